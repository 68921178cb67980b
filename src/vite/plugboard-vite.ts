import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatError, PlugboardError } from '../errors/index.ts';
import { discoverPackages, packageManifest, type PluginPackage } from '../packages/index.ts';
import { DEV_PACKAGES_PATH, servePackageFile, type DevRequest, type DevResponse } from './serve-package-file.ts';

/** A plugin of Vite's dependency optimizer (Rolldown), which bundles `plugboard` for the dev server. */
export interface OptimizerPlugin {
  name: string;
  load(id: string): string | undefined;
}

/** The part of a Vite (or Rollup) plugin this one uses; typed here so the package needs no Vite types at run time. */
export interface PlugboardVitePlugin {
  name: string;
  config(
    config: { root?: string; build?: { assetsInlineLimit?: number | ((file: string, content: Buffer) => boolean | undefined) } },
    env?: { command: 'build' | 'serve' },
  ): { build: { assetsInlineLimit: (file: string, content: Buffer) => boolean | undefined }; optimizeDeps?: { rolldownOptions: { plugins: OptimizerPlugin[] } } };
  configResolved(config: { root: string; base?: string; build: { assetsDir: string } }): void;
  configureServer(server: { middlewares: { use(handler: (request: DevRequest, response: DevResponse, next: () => void) => void): void }; config: { logger: { error(message: string): void } } }): void;
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
 * nothing for them: it serves the package's files as they are.
 *
 * It also ships the app's npm plugin packages: every dependency whose package.json has a `plugboard` field
 * has its modules emitted under `<assets>/plugboard-packages/<package>/`, and its manifest goes into the
 * bundled host (layered after the app's own manifests, before the built-in one). A bad `plugboard` field
 * fails the build with an error naming the package, the field and what to do.
 *
 * Under the dev server (`vite`), the same packages are served from their folders as they are on disk, at
 * `<base>@plugboard-packages/<package>/` (JavaScript as `text/javascript`, nothing cached, nothing outside the
 * package), and their manifests go into the host Vite's dependency optimizer bundles, so the app sees them as in the
 * build. A bad `plugboard` field is logged and that package left out; the dev server goes on. The optimizer's
 * cache is keyed by the packages' manifests, so a changed `plugboard` field is picked up at the next start.
 */
export function plugboard(options: PlugboardViteOptions = {}): PlugboardVitePlugin {
  const distDir = options.distDir ?? dirname(fileURLToPath(import.meta.url));
  let assetsDir = 'assets';
  let appDir = options.appDir;
  let packages: PluginPackage[] = [];
  let serving = false;
  let base = '/';
  let devProblems: PlugboardError[] = [];
  const packagePrefix = (plugin: PluginPackage) => `plugboard-packages/${plugin.name}/`;
  // Built: beside the host's chunks in the assets folder. Served: from the dev server's root, whatever the chunk's URL.
  const manifestUrlOf = (plugin: PluginPackage) => (serving ? `${base}${DEV_PACKAGES_PATH.slice(1)}${plugin.name}/plugboard-manifest.json` : `./${packagePrefix(plugin)}plugboard-manifest.json`);
  const fill = (id: string): string | undefined => {
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
    const sources = packages.map(
      (plugin) => `{ json: ${JSON.stringify(packageManifest(plugin, './'))}, url: new URL(/* @vite-ignore */ ${JSON.stringify(manifestUrlOf(plugin))}, import.meta.url).href }`,
    );
    return code.replace('[]', `[${sources.join(', ')}]`).replace(/\n\/\/# sourceMappingURL=.*$/, '');
  };
  return {
    name: 'plugboard:builtin-plugins',
    config(config, env) {
      const own = config.build?.assetsInlineLimit;
      const build = {
        // The package's modules must stay files: inlined as data: URLs (Vite inlines small assets), the
        // SDK could not import its chunks by relative URL.
        assetsInlineLimit: (file: string, content: Buffer) =>
          file.startsWith(distDir) ? false : typeof own === 'function' ? own(file, content) : own === undefined ? undefined : content.length < own,
      };
      serving = env?.command === 'serve';
      if (!serving) return { build };
      // The dependency optimizer bundles the host before any request: the packages are known by then.
      appDir ??= resolve(config.root ?? process.cwd());
      const found = discoverPackages(appDir);
      packages = found.packages;
      devProblems = found.errors;
      // The optimizer keeps its bundle while its plugins' names stay the same: a name of the manifests makes a changed field rebundle.
      const digest = createHash('sha256').update(JSON.stringify(packages.map((plugin) => [plugin.dir, packageManifest(plugin)]))).digest('hex').slice(0, 12);
      return { build, optimizeDeps: { rolldownOptions: { plugins: [{ name: `plugboard:bundled-packages-${digest}`, load: fill }] } } };
    },
    configResolved(config) {
      assetsDir = config.build.assetsDir;
      base = config.base ?? '/';
      appDir ??= config.root;
    },
    configureServer(server) {
      for (const problem of devProblems) server.config.logger.error(`plugboard: ${formatError(problem)}`);
      server.middlewares.use((request, response, next) => {
        servePackageFile(request, response, next, packages, base).catch((thrown: unknown) => {
          response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`plugboard: ${thrown instanceof Error ? thrown.message : String(thrown)}\n`);
        });
      });
    },
    buildStart() {
      if (serving) return;
      const found = discoverPackages(appDir ?? process.cwd());
      if (found.errors.length > 0) this.error(found.errors.map((error) => formatError(error)).join('\n\n'));
      packages = found.packages;
    },
    load(id) {
      return fill(id);
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
