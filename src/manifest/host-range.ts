import { satisfies } from 'compare-versions';
import { PlugboardError } from '../errors/index.ts';

/** This host's version (package.json's), which manifest and catalog entries' `host` ranges are matched against. */
export const HOST_VERSION = '0.1.0';

/**
 * Checks that `HOST_VERSION` is in an entry's `host` range (npm `engines` syntax: `>=0.1 <0.3`, `^0.1`, `0.1.x`,
 * `||` between alternatives; `*` matches any). Returns nothing when it is, or when no range is declared; throws
 * INCOMPATIBLE_HOST naming both versions when it is not, and INVALID_HOST_RANGE for a range it cannot read.
 */
export function checkHostRange(entry: { group: string; name: string; url: string; host?: string | undefined }, version: string = HOST_VERSION): void {
  const range = entry.host?.trim();
  if (range === undefined || range === '' || range === '*') return;
  let fits: boolean;
  try {
    fits = satisfies(version, range);
  } catch {
    throw new PlugboardError({
      code: 'INVALID_HOST_RANGE',
      stage: 'validate',
      group: entry.group,
      plugin: entry.name,
      url: entry.url,
      field: 'host',
      problem: `the host range ${JSON.stringify(range)} is not a version range`,
      hint: 'Write it as package.json "engines" does, for example ">=0.1 <0.3" or "^0.1".',
    });
  }
  if (fits) return;
  throw new PlugboardError({
    code: 'INCOMPATIBLE_HOST',
    stage: 'validate',
    group: entry.group,
    plugin: entry.name,
    url: entry.url,
    field: 'host',
    problem: `the plugin works with Plugboard ${range}; this is Plugboard ${version}`,
    hint: 'Install a version of the plugin made for this Plugboard, or a Plugboard in its range.',
  });
}
