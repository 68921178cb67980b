import { parseArgs } from 'node:util';
import { CACHE_OPTIONS, cacheFolderOf } from './cache-options.ts';
import { createHost, formatError, memoryInstalledPlugins, type Host, type LoadError } from '../index.ts';
import { installBundleFile } from './freeze-command.ts';
import type { CliContext } from './cli-context.ts';
import { toUrl } from './locate.ts';
import { UsageError } from './usage.ts';

/** What `plugboard check --json` prints. */
export interface CheckReport {
  manifest: string;
  loaded: { group: string; name: string; url: string }[];
  errors: LoadError[];
}

/**
 * `plugboard check MANIFEST`: validates the manifest, then preflights, imports and validates every plugin
 * it declares (the built-in manifest is left out), and prints the load report. Plugins may come from
 * every origin the manifest names unless `--allow-origin` narrows it. Returns 1 when anything failed.
 */
export async function runCheck(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { 'allow-origin': { type: 'string', multiple: true }, json: { type: 'boolean', default: false }, bundle: { type: 'string' }, ...CACHE_OPTIONS },
    strict: true,
    allowPositionals: true,
  });
  if (values.bundle !== undefined) {
    if (positionals.length !== 0) throw new UsageError('check takes one MANIFEST or --bundle FILE, not both', 'check');
    const host = await createHost({ ...context.hostOptions, ...cacheFolderOf(values, context.cwd, 'check'), builtins: false, installedPlugins: memoryInstalledPlugins(), onWarning: () => {} });
    await installBundleFile(host, values.bundle, context.cwd);
    return report(toUrl(values.bundle, context.cwd), host, values.json, context);
  }
  if (positionals.length !== 1) throw new UsageError(`check takes one MANIFEST, received ${positionals.length}`, 'check');
  const manifest = toUrl(positionals[0]!, context.cwd);
  const quiet = { ...context.hostOptions, ...cacheFolderOf(values, context.cwd, 'check'), manifests: [manifest], builtins: false, onWarning: () => {} };
  // A first host reads the manifest (no plugin code runs) to learn which origins it names.
  const discovery = await createHost(quiet);
  const named = discovery.groups().flatMap((group) => discovery.discover(group).map((entry) => entry.url));
  const host = await createHost({
    ...quiet,
    allowedOrigins: values['allow-origin'] ? ['self', manifest, ...values['allow-origin']] : ['self', manifest, ...named],
    onWarning: (warning) => context.stderr(`plugboard: warning: ${formatError(warning, { oneLine: true })}\n`),
  });
  return report(manifest, host, values.json, context);
}

/** Loads every group of the host and prints what loaded and what failed; 1 when anything failed. */
async function report(manifest: string, host: Host, json: boolean, context: CliContext): Promise<number> {
  const loaded: CheckReport['loaded'] = [];
  for (const group of host.groups()) {
    const report = await host.loadGroup(group);
    const urls = new Map(host.discover(group).map((entry) => [entry.name, entry.url]));
    for (const name of report.loaded) loaded.push({ group, name, url: urls.get(name) ?? '' });
  }
  const errors = host.report();
  if (json) {
    const report: CheckReport = { manifest, loaded, errors };
    context.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    context.stdout(formatReport(manifest, loaded, errors));
  }
  return errors.length > 0 ? 1 : 0;
}

function formatReport(manifest: string, loaded: CheckReport['loaded'], errors: LoadError[]): string {
  const lines = [`manifest ${manifest}`];
  for (const entry of loaded) lines.push(`  ok    ${entry.group}/${entry.name}  ${entry.url}`);
  for (const error of errors) lines.push(`  FAIL  [${error.stage}] ${formatError(error).split('\n').join('\n        ')}`);
  const failed = new Set(errors.map((error) => `${error.group}/${error.plugin}`)).size;
  lines.push(`${loaded.length} loaded, ${failed} failed`);
  return `${lines.join('\n')}\n`;
}
