import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createHost, memoryInstalledPlugins, PlugboardError, formatError, type Host } from '../index.ts';
import { CACHE_OPTIONS, cacheFolderOf } from './cache-options.ts';
import type { CliContext } from './cli-context.ts';
import { isUrl, resolvePath, toUrl } from './locate.ts';
import { UsageError } from './usage.ts';

/**
 * `plugboard freeze SOURCE... [--lock FILE] [--bundle FILE]`, like `pip freeze` and `pip download`: installs what
 * each SOURCE declares into a host of its own — a manifest, a lock or installed-plugins file (the page's "Export
 * installed plugins"), or a bundle — checking, pinning and validating every plugin and every module it imports as
 * a load does, then writes the lock (names, groups, versions, URLs, digests) and/or the bundle (the lock plus every
 * module's bytes). With neither flag it prints the lock. Origins: those the sources name, or with `--allow-origin`
 * only the sources' own and those given. Each file is written whole or not at all. Returns 0, or throws.
 */
export async function runFreeze(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { lock: { type: 'string' }, bundle: { type: 'string' }, 'allow-origin': { type: 'string', multiple: true }, ...CACHE_OPTIONS },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length === 0) throw new UsageError('freeze needs at least one SOURCE: a manifest, a lock or installed-plugins file, or a bundle', 'freeze');
  const given = values['allow-origin'];
  const sources = positionals.map((source) => toUrl(source, context.cwd));
  const host = await createHost({
    ...context.hostOptions,
    ...cacheFolderOf(values, context.cwd, 'freeze'),
    builtins: false,
    installedPlugins: memoryInstalledPlugins(),
    ...(given ? { allowedOrigins: ['self', ...sources, ...given] } : {}),
    onWarning: (warning) => context.stderr(`plugboard: warning: ${formatError(warning, { oneLine: true })}\n`),
  });
  for (const source of sources) {
    try {
      await installSource(host, source, given === undefined);
    } catch (thrown) {
      // The API's hint names its option; here the person confirms an origin with the flag.
      if (!(thrown instanceof PlugboardError) || thrown.code !== 'ORIGIN_NOT_ALLOWED') throw thrown;
      const { code, problem, stage, group, plugin, url } = thrown;
      throw new PlugboardError({ code, problem, ...(stage ? { stage } : {}), ...(group ? { group } : {}), ...(plugin ? { plugin } : {}), ...(url ? { url } : {}), hint: 'Add the origin with --allow-origin ORIGIN if you trust it.', cause: thrown });
    }
  }
  const lock = host.plugins.freeze();
  if (values.lock === undefined && values.bundle === undefined) {
    context.stdout(`${JSON.stringify(lock, null, 2)}\n`);
    return 0;
  }
  if (values.lock !== undefined) {
    await writeWhole(resolvePath(values.lock, context.cwd), lock);
    context.stderr(`plugboard: froze ${lock.plugins.length} plugin${lock.plugins.length === 1 ? '' : 's'} to ${values.lock}\n`);
  }
  if (values.bundle !== undefined) {
    const bundle = await host.plugins.bundle();
    await writeWhole(resolvePath(values.bundle, context.cwd), bundle);
    const count = Object.keys(bundle.modules).length;
    context.stderr(`plugboard: bundled ${bundle.plugins.length} plugin${bundle.plugins.length === 1 ? '' : 's'} and ${count} module${count === 1 ? '' : 's'} to ${values.bundle}\n`);
  }
  return 0;
}

/**
 * Installs a bundle file's plugins into `host` from the bytes it holds (no network; bytes that do not match their
 * pins are refused, nothing kept). The `--bundle FILE` of `eval` and `check`.
 */
export async function installBundleFile(host: Host, file: string, cwd: string): Promise<number> {
  const url = toUrl(file, cwd);
  const installed = await host.plugins.installBundle(await readJson(url), { allowOrigin: true });
  return installed.length;
}

/** Installs what one source declares; its kind is read from the file (`plugboardBundle`, `plugboardInstalled`, else a manifest). */
async function installSource(host: Host, url: string, allowOrigin: boolean): Promise<void> {
  const json = await readJson(url);
  const kind = typeof json === 'object' && json !== null ? json : {};
  if ('plugboardBundle' in kind) await host.plugins.installBundle(json, { allowOrigin });
  else if ('plugboardInstalled' in kind) await host.plugins.importInstalled(json, { allowOrigin });
  else await host.plugins.install(url, { allowOrigin });
}

async function readJson(url: string): Promise<unknown> {
  let text: string;
  try {
    if (url.startsWith('file:')) {
      text = await readFile(new URL(url), 'utf8');
    } else {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`the server answered ${response.status} ${response.statusText}`.trim());
      text = await response.text();
    }
  } catch (cause) {
    throw new PlugboardError({
      code: 'FETCH_FAILED',
      stage: 'fetch',
      url,
      problem: `the file cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`,
      hint: isUrl(url) && !url.startsWith('file:') ? 'Check the URL and that the server is running.' : 'Check the path.',
      cause,
    });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new PlugboardError({
      code: 'INVALID_JSON',
      stage: 'manifest',
      url,
      problem: `the file is not JSON: ${cause instanceof Error ? cause.message : String(cause)}`,
      hint: 'Give a plugin manifest, a lock or installed-plugins file, or a bundle.',
      cause,
    });
  }
}

/** Writes JSON to a temporary file beside `path` and renames it over `path`, so a failed write leaves nothing half-written. */
async function writeWhole(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`);
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
}
