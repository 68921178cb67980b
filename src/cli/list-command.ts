import { parseArgs } from 'node:util';
import { CACHE_OPTIONS, cacheFolderOf } from './cache-options.ts';
import { createHost, formatError, PlugboardError, type EntryPoint } from '../index.ts';
import type { CliContext } from './cli-context.ts';
import { toUrl } from './locate.ts';
import { packageManifestSources } from '../packages/index.ts';

/** One entry point as `plugboard list --json` prints it. */
export interface ListedEntryPoint {
  group: string;
  name: string;
  version: string | null;
  api: string | null;
  description: string | null;
  /** The declaring manifest's name when it has one, else its URL. */
  manifest: string;
  url: string;
}

/**
 * `plugboard list`: the groups and entry points of the given manifests, of the npm packages the current
 * folder's package.json depends on that declare a `plugboard` field (shown under the package's name) and of
 * the built-in manifest, sorted, from the manifests alone (no plugin code runs). A bad `plugboard` field is
 * reported on stderr and makes the exit code 1; the other packages still show. An unknown `--group` throws UNKNOWN_GROUP naming the known groups
 * (exit 1).
 */
export async function runList(args: string[], context: CliContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { group: { type: 'string' }, manifest: { type: 'string', multiple: true }, json: { type: 'boolean', default: false }, ...CACHE_OPTIONS },
    strict: true,
    allowPositionals: false,
  });
  const packages = packageManifestSources(context.cwd);
  const host = await createHost({
    ...context.hostOptions,
    ...cacheFolderOf(values, context.cwd, 'list'),
    manifests: [...(values.manifest ?? []).map((manifest) => toUrl(manifest, context.cwd)), ...packages.sources],
    onWarning: (warning) => context.stderr(`plugboard: warning: ${formatError(warning, { oneLine: true })}\n`),
  });
  const names = new Map(host.manifests().map((manifest) => [manifest.url, manifest.name ?? manifest.url]));
  const groups = values.group === undefined ? host.groups() : host.groups().filter((group) => group === values.group);
  if (values.group !== undefined && groups.length === 0) {
    throw new PlugboardError({
      code: 'UNKNOWN_GROUP',
      field: '--group',
      problem: `no manifest declares the group ${JSON.stringify(values.group)}`,
      hint: `Known groups: ${host.groups().join(', ') || 'none'}.`,
    });
  }
  const listed = groups.flatMap((group) => host.discover(group).map((entry) => toListed(entry, names)));
  if (values.json) {
    context.stdout(`${JSON.stringify(listed, null, 2)}\n`);
  } else {
    context.stdout(formatList(groups, listed));
  }
  for (const problem of packages.errors) context.stderr(`plugboard: package: ${formatError(problem, { oneLine: true })}\n`);
  for (const problem of host.report()) context.stderr(`plugboard: ${problem.stage}: ${formatError(problem, { oneLine: true })}\n`);
  return host.report().length > 0 || packages.errors.length > 0 ? 1 : 0;
}

function toListed(entry: EntryPoint, names: Map<string, string>): ListedEntryPoint {
  return {
    group: entry.group,
    name: entry.name,
    version: entry.version ?? null,
    api: entry.api ?? null,
    description: entry.description ?? null,
    manifest: names.get(entry.source) ?? entry.source,
    url: entry.url,
  };
}

/** Prints each group as a heading and its entry points as aligned columns: name, version, api, manifest, description. */
function formatList(groups: string[], listed: ListedEntryPoint[]): string {
  const width = (pick: (entry: ListedEntryPoint) => string) => Math.max(0, ...listed.map((entry) => pick(entry).length));
  const nameWidth = width((entry) => entry.name);
  const versionWidth = Math.max(1, width((entry) => entry.version ?? '-'));
  const apiWidth = Math.max(1, width((entry) => entry.api ?? '-'));
  const manifestWidth = width((entry) => entry.manifest);
  const lines: string[] = [];
  for (const group of groups) {
    lines.push(group);
    for (const entry of listed.filter((item) => item.group === group)) {
      const columns = [
        entry.name.padEnd(nameWidth),
        (entry.version ?? '-').padEnd(versionWidth),
        (entry.api ?? '-').padEnd(apiWidth),
        entry.manifest.padEnd(manifestWidth),
        entry.description ?? '',
      ];
      lines.push(`  ${columns.join('  ')}`.trimEnd());
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
