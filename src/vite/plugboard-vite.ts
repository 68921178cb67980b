import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The part of a Vite (or Rollup) plugin this one uses; typed here so the package needs no Vite types at run time. */
export interface PlugboardVitePlugin {
  name: string;
  apply: 'build';
  config(config: { build?: { assetsInlineLimit?: number | ((file: string, content: Buffer) => boolean | undefined) } }): { build: { assetsInlineLimit: (file: string, content: Buffer) => boolean | undefined } };
  configResolved(config: { build: { assetsDir: string } }): void;
  generateBundle(this: { emitFile(file: { type: 'asset'; fileName: string; source: Uint8Array }): string }): void;
}

/** Options of the `plugboard/vite` plugin. */
export interface PlugboardViteOptions {
  /** Also ship ONNX Runtime Web's files (`ort/`, about 25 MB) that the model plugins need; default false. */
  models?: boolean;
  /** The package's built files; default the folder this module sits in. */
  distDir?: string;
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
 */
export function plugboard(options: PlugboardViteOptions = {}): PlugboardVitePlugin {
  const distDir = options.distDir ?? dirname(fileURLToPath(import.meta.url));
  let assetsDir = 'assets';
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
    },
    generateBundle() {
      for (const file of listFiles(distDir)) {
        if (file.endsWith('.map') || file.startsWith('types/') || NOT_FOR_PAGES.has(file) || (!options.models && file.startsWith('ort/'))) continue;
        if (!/\.(js|json|wasm|mjs)$/.test(file)) continue;
        this.emitFile({ type: 'asset', fileName: `${assetsDir}/${file}`, source: new Uint8Array(readFileSync(join(distDir, file))) });
      }
    },
  };
}
