// transformers.js, imported only when a model factory first runs, with every file it asks for routed through ModelFiles.
import { isNode } from '../data-loaders/open-source.ts';
import { MODEL_FILE_MISSING, type ModelFiles } from './model-files.ts';
import { modelError } from './model-error.ts';

/** The npm package the model factories run on. */
export const TRANSFORMERS_PACKAGE = '@huggingface/transformers';

/** The module as this code uses it. */
export type Transformers = typeof import('@huggingface/transformers');

/**
 * The host transformers.js is told models live on. Its requests never leave this module: `routeFetch`
 * answers them from the ModelFiles registered under the path's first segment. `.invalid` never resolves,
 * so a request that escaped would fail rather than reach anyone.
 */
const ROUTED_HOST = 'https://models.plugboard.invalid';

let loading: Promise<Transformers> | undefined;
const folders = new Map<string, ModelFiles>();
let nextKey = 0;

/**
 * Imports transformers.js once and points it at ModelFiles: no local-folder or Hub look-ups of its own,
 * no caches of its own (ModelFiles caches, and records digests), ONNX Runtime's WebAssembly from
 * `wasmPaths` in pages. Rejects with MODEL_UNAVAILABLE, saying what to install, when the package is missing.
 */
export function loadTransformers(plugin: string, wasmPaths?: string): Promise<Transformers> {
  loading ??= importTransformers().then((library) => configure(library), (thrown: unknown) => {
    loading = undefined;
    throw modelError({
      code: 'MODEL_UNAVAILABLE',
      plugin,
      problem: `the model factories need the package ${TRANSFORMERS_PACKAGE}, which could not be loaded (${thrown instanceof Error ? thrown.message : String(thrown)})`,
      hint: `Install it beside plugboard: npm install ${TRANSFORMERS_PACKAGE} (add onnxruntime-node-install=skip to .npmrc where its install script cannot download).`,
      cause: thrown,
    });
  });
  return loading.then((library) => {
    const wasm = library.env.backends.onnx.wasm;
    if (!isNode() && wasm) wasm.wasmPaths = wasmPaths ?? defaultWasmPaths();
    return library;
  });
}

/**
 * Where ONNX Runtime's WebAssembly files are served when the config does not say: the build's `ort/` folder
 * (the build writes its path relative to this module over the placeholder), or the package folder the dev
 * server serves when running from source.
 */
function defaultWasmPaths(): string {
  const folder = '__PLUGBOARD_ORT_FOLDER__';
  if (!folder.startsWith('__')) return new URL(folder, import.meta.url).href;
  return new URL('/node_modules/onnxruntime-web/dist/', globalThis.location?.href).href;
}

async function importTransformers(): Promise<Transformers> {
  // In Node the package is imported from node_modules as published (it picks onnxruntime-node there); pages
  // and Workers get the bundled web build. The variable specifier keeps bundlers off the Node import.
  if (isNode()) return (await import(/* @vite-ignore */ TRANSFORMERS_PACKAGE)) as Transformers;
  return await import('@huggingface/transformers');
}

function configure(library: Transformers): Transformers {
  const { env } = library;
  const passThrough = env.fetch;
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.remoteHost = ROUTED_HOST;
  env.remotePathTemplate = '{model}/';
  env.useBrowserCache = false;
  env.useFSCache = false;
  // The "cache" is where routed files are answered from: transformers.js asks it first, and in Node it
  // reads weights only from a cache or a file path, never from a fetched response.
  env.useCustomCache = true;
  env.customCache = {
    match: async (request: string | Request) => {
      const url = typeof request === 'string' ? request : request.url;
      if (!url.startsWith(`${ROUTED_HOST}/`)) return undefined;
      const response = await routeFetch(url.slice(ROUTED_HOST.length + 1));
      return response.status === 200 ? response : undefined;
    },
    put: async () => undefined,
  };
  env.useWasmCache = false;
  env.fetch = (input: string | URL, init?: unknown) => {
    const url = String(input);
    return url.startsWith(`${ROUTED_HOST}/`) ? routeFetch(url.slice(ROUTED_HOST.length + 1)) : passThrough(input, init);
  };
  return library;
}

async function routeFetch(path: string): Promise<Response> {
  const slash = path.indexOf('/');
  const files = folders.get(path.slice(0, slash));
  if (!files) return new Response(null, { status: 404 });
  try {
    const bytes = await files.read(decodeURIComponent(path.slice(slash + 1).split('?')[0]!));
    return new Response(bytes as Uint8Array<ArrayBuffer>, { status: 200, headers: { 'content-length': String(bytes.byteLength) } });
  } catch (thrown) {
    // transformers.js treats a 404 as "the file is optional and absent"; other failures keep their fields.
    if ((thrown as { code?: unknown }).code === MODEL_FILE_MISSING) return new Response(null, { status: 404 });
    throw thrown;
  }
}

/** Registers a model folder's files; resolves transformers.js's model id for it (use once, then `release`). */
export function registerFolder(files: ModelFiles): string {
  const key = `plugboard-model-${nextKey++}`;
  folders.set(key, files);
  return key;
}

/** Forgets a folder registered with `registerFolder`. */
export function releaseFolder(key: string): void {
  folders.delete(key);
}
