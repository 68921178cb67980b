// A Vite plugin that ships the built-in manifest with the host: the virtual module
// `virtual:plugboard/builtin-manifest` holds its JSON and the URL its relative paths resolve against.
// Served from source (dev server, tests) the manifest points at src/…/*.ts; in a build every plugin
// module it names becomes an entry of its own (`plugins/<path>.js`) and the manifest is rewritten to match.
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { Plugin } from 'vite';

const VIRTUAL_ID = 'virtual:plugboard/builtin-manifest';
const RESOLVED_ID = '\0' + VIRTUAL_ID;
const SDK_URL_ID = 'virtual:plugboard/sdk-url';
const RESOLVED_SDK_URL_ID = '\0' + SDK_URL_ID;

interface Manifest {
  groups: Record<string, Record<string, string | { url: string; [key: string]: unknown }>>;
  [key: string]: unknown;
}

/** The output name of a built-in plugin module: `./src/plugins/metrics/bleu.ts` → `plugins/metrics/bleu`. */
function entryName(sourcePath: string): string {
  return sourcePath.replace(/^\.\/src\//, '').replace(/\.ts$/, '');
}

/** Rewrites every `./src/…ts` URL of the manifest to its built `./…js` file. */
export function rewriteForBuild(manifest: Manifest): Manifest {
  const groups = Object.fromEntries(
    Object.entries(manifest.groups).map(([group, entries]) => [
      group,
      Object.fromEntries(
        Object.entries(entries).map(([name, value]) => {
          if (typeof value === 'string') {
            const [url, exportName] = value.split('#');
            return [name, `./${entryName(url!)}.js${exportName ? `#${exportName}` : ''}`];
          }
          return [name, { ...value, url: `./${entryName(value.url)}.js` }];
        }),
      ),
    ]),
  );
  const { $schema: _schema, ...rest } = manifest;
  return { ...rest, groups };
}

/** Gives every entry that declares no version of its own the package's `version`: built-in plugins ship with the package. */
export function withPackageVersion(manifest: Manifest, version: string): Manifest {
  const groups = Object.fromEntries(
    Object.entries(manifest.groups).map(([group, entries]) => [
      group,
      Object.fromEntries(
        Object.entries(entries).map(([name, value]) => {
          const spec = typeof value === 'string' ? { url: value.split('#')[0]!, export: value.split('#')[1] ?? 'default' } : value;
          return [name, { ...spec, version: spec['version'] ?? version }];
        }),
      ),
    ]),
  );
  return { ...manifest, groups };
}

/** The plugin module files the manifest names, relative to the project root. */
export function builtinModules(root: string): string[] {
  const manifest = JSON.parse(readFileSync(path.join(root, 'plugins-manifest.json'), 'utf8')) as Manifest;
  const files = new Set<string>();
  for (const entries of Object.values(manifest.groups)) {
    for (const value of Object.values(entries)) {
      const url = typeof value === 'string' ? value.split('#')[0]! : value.url;
      if (url.startsWith('./src/')) files.add(url);
    }
  }
  return [...files];
}

/** Rollup inputs for every built-in plugin module (a missing file is left out with a warning; a unit test fails on it). */
export function builtinInputs(root: string): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const file of builtinModules(root)) {
    if (existsSync(path.join(root, file))) inputs[entryName(file)] = path.join(root, file);
    else console.warn(`plugins-manifest.json names ${file}, which does not exist`);
  }
  return inputs;
}

/**
 * `sdkLayout` says where the SDK's own module sits in the output: beside the host chunks as `sdk.js`
 * (library and app builds), or inside the very file that imports it (the standalone build).
 */
export function builtinPlugins(options: { root: string; sdkLayout?: 'entry' | 'inline' }): Plugin {
  let command: 'serve' | 'build' = 'serve';
  const manifestPath = path.join(options.root, 'plugins-manifest.json');
  return {
    name: 'plugboard:builtin-plugins',
    configResolved(config) {
      command = config.command;
    },
    resolveId(id) {
      if (id === VIRTUAL_ID) return RESOLVED_ID;
      return id === SDK_URL_ID ? RESOLVED_SDK_URL_ID : undefined;
    },
    load(id) {
      if (id === RESOLVED_SDK_URL_ID) {
        // The URL plugins get for 'plugboard/sdk' in the import map: the module whose exports are the SDK's own names.
        if (command === 'build') {
          return options.sdkLayout === 'inline'
            ? 'export default import.meta.url;'
            : "export default new URL(/* @vite-ignore */ './sdk.js', import.meta.url).href;";
        }
        const sdkPath = path.join(options.root, 'src/sdk/index.ts');
        return process.env['VITEST'] !== undefined
          ? `export default ${JSON.stringify(pathToFileURL(sdkPath).href)};`
          : "export default new URL('/src/sdk/index.ts', import.meta.url).href;";
      }
      if (id !== RESOLVED_ID) return undefined;
      this.addWatchFile(manifestPath);
      const { version } = JSON.parse(readFileSync(path.join(options.root, 'package.json'), 'utf8')) as { version: string };
      const manifest = withPackageVersion(JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest, version);
      if (command === 'build') {
        this.emitFile({ type: 'asset', fileName: 'plugins-manifest.json', source: JSON.stringify(rewriteForBuild(manifest), null, 2) });
        // Every chunk of the host sits at the root of the output, beside plugins-manifest.json.
        return `export default { json: ${JSON.stringify(rewriteForBuild(manifest))}, url: new URL(/* @vite-ignore */ './plugins-manifest.json', import.meta.url).href };`;
      }
      const isNode = process.env['VITEST'] !== undefined;
      const url = isNode ? JSON.stringify(pathToFileURL(manifestPath).href) : `new URL('/plugins-manifest.json', import.meta.url).href`;
      return `export default { json: ${JSON.stringify(manifest)}, url: ${url} };`;
    },
  };
}
