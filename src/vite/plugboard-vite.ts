import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatError, PlugboardError } from '../errors/index.ts';
import { discoverPackages, packageManifest, type PluginPackage } from '../packages/index.ts';

/** The part of a Vite (or Rollup) plugin this one uses; typed here so the package needs no Vite types at run time. */
export interface PlugboardVitePlugin {
  name: string;
  apply: 'build';
  config(config: { build?: { assetsInlineLimit?: number | ((file: string, content: Buffer) => boolean | undefined) } }): { build: { assetsInlineLimit: (file: string, content: Buffer) => boolean | undefined } };
  configResolved(config: { root: string; build: { assetsDir: string } }): void;
  buildStart(this: { error(message: string): never }): void;
  load(id: string): string | undefined;
  generateBundle(this: { emitFile(file: { type: 'asset'; fileName: string; source: Uint8Array }): string }): void;
}

/** Options of the `plugboard/vite` plugin. */
export interface PlugboardViteOptions {
  /** Also ship ONNX Runtime Web's files (`ort/`, about 25 MB) that the model plugins need; default false. */
  models?: boolean;
  /** The package's built files; default the folder this module sits in. */
  distDir?: string;
  /** Where the app's package.json is, whose dependencies are searched for npm plugin packages; default Vite's `root`. */
  appDir?: string;
}

/** Files of the package's build that a page never loads: the command line, this plugin, the conformance kit, types and source maps. */
const NOT_FOR_PAGES = new Set(['cli.js', 'vite.js', 'testing.js', 'standalone.js']);

function listFiles(root: string, dir = root): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...listFiles(root, path));
    else files.push(relative(root, path).split(sep).join('/'));
  }
  return files;
}

/**
 * A Vite plugin for apps that embed Plugboard: `vite build` emits the built-in plugin modules, the SDK
 * they share with the host and the host's chunks beside the built-in manifest in the assets folder, where
 * the bundled host looks for them at run time (the manifest's relative URLs resolve there). Without it, a
 * production build keeps only the manifest and every built-in plugin answers 404. The dev server needs
 * nothing: it serves the package's files as they are.
 *
 * It also ships the app's npm plugin packages: every dependency whose package.json has a `plugboard` field
 * has its modules emitted under `<assets>/plugboard-packages/<package>/`, and its manifest goes into the
 * bundled host (layered after the app's own manifests, before the built-in one). A bad `plugboard` field
 * fails the build with an error naming the package, the field and what to do.
 */
export function plugboard(options: PlugboardViteOptions = {}): PlugboardVitePlugin {
  const distDir = options.distDir ?? dirname(fileURLToPath(import.meta.url));
  let assetsDir = 'assets';
  let appDir = options.appDir;
  let packages: PluginPackage[] = [];
  const packagePrefix = (plugin: PluginPackage) => `plugboard-packages/${plugin.name}/`;
  return {
    name: 'plugboard:builtin-plugins',
    apply: 'build',
    config(config) {
      const own = config.build?.assetsInlineLimit;
      return {
        build: {
          // The package's modules must stay files: inlined as data: URLs (Vite inlines small assets), the
          // SDK could not import its chunks by relative URL.
          assetsInlineLimit: (file, content) =>
            file.startsWith(distDir) ? false : typeof own === 'function' ? own(file, content) : own === undefined ? undefined : content.length < own,
        },
      };
    },
    configResolved(config) {
      assetsDir = config.build.assetsDir;
      appDir ??= config.root;
    },
    buildStart() {
      const found = discoverPackages(appDir ?? process.cwd());
      if (found.errors.length > 0) this.error(found.errors.map((error) => formatError(error)).join('\n\n'));
      packages = found.packages;
    },
    load(id) {
      const file = id.split('?')[0]!;
      // The host's list of bundled manifests is one empty array literal in its own chunk of the package's build.
      if (dirname(file) !== distDir || !/^bundled-packages(?:-[\w-]+)?\.js$/.test(basename(file))) return undefined;
      const code = readFileSync(file, 'utf8');
      if (code.split('[]').length !== 2) {
        if (packages.length === 0) return undefined;
        throw new PlugboardError({
          code: 'BUNDLED_PACKAGES_UNREADABLE',
          url: pathToFileURL(file).href,
          problem: `the plugboard package's ${basename(file)} is not the one empty list this plugin fills, so ${packages.map((plugin) => plugin.name).join(', ')} cannot be shipped`,
          hint: 'Use plugboard/vite from the same plugboard package as the app imports (one version, not mixed builds).',
        });
      }
      // Every chunk sits in the assets folder, so each manifest's URL starts from there.
      const sources = packages.map(
        (plugin) => `{ json: ${JSON.stringify(packageManifest(plugin, './'))}, url: new URL(/* @vite-ignore */ ${JSON.stringify(`./${packagePrefix(plugin)}plugboard-manifest.json`)}, import.meta.url).href }`,
      );
      return code.replace('[]', `[${sources.join(', ')}]`).replace(/\n\/\/# sourceMappingURL=.*$/, '');
    },
    generateBundle() {
      for (const plugin of packages) {
        for (const file of listFiles(plugin.dir)) {
          if (file.split('/').includes('node_modules') || !/\.(js|mjs|json|wasm)$/.test(file)) continue;
          this.emitFile({ type: 'asset', fileName: `${assetsDir}/${packagePrefix(plugin)}${file}`, source: new Uint8Array(readFileSync(join(plugin.dir, file))) });
        }
        const manifest = new TextEncoder().encode(JSON.stringify(packageManifest(plugin, './'), null, 2));
        this.emitFile({ type: 'asset', fileName: `${assetsDir}/${packagePrefix(plugin)}plugboard-manifest.json`, source: manifest });
      }
      for (const file of listFiles(distDir)) {
        if (file.endsWith('.map') || file.startsWith('types/') || NOT_FOR_PAGES.has(file) || (!options.models && file.startsWith('ort/'))) continue;
        if (!/\.(js|json|wasm|mjs)$/.test(file)) continue;
        this.emitFile({ type: 'asset', fileName: `${assetsDir}/${file}`, source: new Uint8Array(readFileSync(join(distDir, file))) });
      }
    },
  };
}
