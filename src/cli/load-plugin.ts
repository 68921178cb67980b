import type { Host } from '../host/index.ts';
import { USAGE, UsageError } from './usage.ts';

/**
 * Loads a plugin through the host; a name no manifest declares is a usage mistake (UsageError listing
 * the declared names), any other failure is rethrown as the host's PlugboardError.
 */
export async function loadPlugin<T = unknown>(host: Host, group: string, name: string, command: keyof typeof USAGE): Promise<T> {
  try {
    return await host.load<T>(group, name);
  } catch (thrown) {
    if ((thrown as { code?: unknown }).code === 'UNKNOWN_ENTRY_POINT') {
      const known = host.discover(group).map((entry) => entry.name);
      throw new UsageError(`no ${group} entry point is named ${JSON.stringify(name)}; known: ${known.join(', ') || 'none'}`, command);
    }
    throw thrown;
  }
}
