// A Vite plugin that ships the built-in manifest with the host: the virtual module
// `virtual:plugboard/builtin-manifest` holds its JSON and the URL its relative paths resolve against.
// Served from source (dev server, tests) the manifest points at src/…/*.ts; in a build every plugin
// module it names becomes an entry of its own (`plugins/<path>.js`) and the manifest is rewritten to match.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { Plugin } from 'vite';

const VIRTUAL_ID = 'virtual:plugboard/builtin-manifest';
const RESOLVED_ID = '\0' + VIRTUAL_ID;

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

/** Rollup inputs for every built-in plugin module. */
export function builtinInputs(root: string): Record<string, string> {
  return Object.fromEntries(builtinModules(root).map((file) => [entryName(file), path.join(root, file)]));
}

export function builtinPlugins(options: { root: string }): Plugin {
  let command: 'serve' | 'build' = 'serve';
  const manifestPath = path.join(options.root, 'plugins-manifest.json');
  return {
    name: 'plugboard:builtin-plugins',
    configResolved(config) {
      command = config.command;
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      this.addWatchFile(manifestPath);
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
      if (command === 'build') {
        this.emitFile({ type: 'asset', fileName: 'plugins-manifest.json', source: JSON.stringify(rewriteForBuild(manifest), null, 2) });
        // Every chunk of the host sits at the root of the output, beside plugins-manifest.json.
        return `export default { json: ${JSON.stringify(rewriteForBuild(manifest))}, url: new URL('./plugins-manifest.json', import.meta.url).href };`;
      }
      const isNode = process.env['VITEST'] !== undefined;
      const url = isNode ? JSON.stringify(pathToFileURL(manifestPath).href) : `new URL('/plugins-manifest.json', import.meta.url).href`;
      return `export default { json: ${JSON.stringify(manifest)}, url: ${url} };`;
    },
  };
}
