import type { HostOptions } from '../index.ts';
import { UsageError, type USAGE } from './usage.ts';

/** The cache flags every command that loads plugins takes (node:util parseArgs option specs). */
export const CACHE_OPTIONS = {
  'cache-dir': { type: 'string' },
  'no-cache': { type: 'boolean', default: false },
} as const;

/** The host's `cacheFolder` from the flags; both flags at once is a usage mistake. Empty when neither is given. */
export function cacheFolderOf(values: { 'cache-dir'?: string | undefined; 'no-cache'?: boolean | undefined }, cwd: string, command: keyof typeof USAGE): Pick<HostOptions, 'cacheFolder'> {
  if (values['no-cache'] && values['cache-dir'] !== undefined) throw new UsageError('--cache-dir and --no-cache cannot be given together', command);
  if (values['no-cache']) return { cacheFolder: false };
  if (values['cache-dir'] !== undefined) return { cacheFolder: values['cache-dir'].startsWith('/') ? values['cache-dir'] : `${cwd.replace(/\/+$/, '')}/${values['cache-dir']}` };
  return {};
}
