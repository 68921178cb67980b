// A Vite plugin that serves ONNX Runtime Web's WebAssembly files from the build itself: the two files the
// bundled transformers.js asks for are copied to `<out>/ort/`, and the placeholder ORT_FOLDER in any chunk
// becomes that folder's path relative to the chunk. Pages never fetch them from a public CDN.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

/** The placeholder a module writes where it needs the URL (relative to itself) of the `ort/` folder. */
export const ORT_FOLDER_PLACEHOLDER = '__PLUGBOARD_ORT_FOLDER__';

/** The files transformers.js's web build loads (the asyncify variant: WebAssembly, and WebGPU where there is one). */
const ORT_FILES = ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'];

export function onnxRuntimeFiles(options: { root: string }): Plugin {
  return {
    name: 'plugboard:onnxruntime-files',
    apply: 'build',
    renderChunk(code, chunk) {
      if (!code.includes(ORT_FOLDER_PLACEHOLDER)) return null;
      const relative = path.posix.relative(path.posix.dirname(chunk.fileName), 'ort');
      return { code: code.replaceAll(ORT_FOLDER_PLACEHOLDER, `${relative.startsWith('.') ? relative : `./${relative}`}/`), map: null };
    },
    generateBundle(_options, bundle) {
      const usesRuntime = Object.values(bundle).some((item) => item.type === 'chunk' && item.code.includes('ort-wasm-simd-threaded'));
      if (!usesRuntime) return;
      // onnxruntime-web's own `new URL(…wasm, import.meta.url)` emits a copy under an absolute /assets/ path,
      // which is wrong wherever the build is not served from the origin's root; only ort/ is used.
      for (const [fileName, item] of Object.entries(bundle)) {
        if (item.type === 'asset' && /^assets\/ort-wasm-simd-threaded.*\.wasm$/.test(fileName)) delete bundle[fileName];
      }
      for (const file of ORT_FILES) {
        this.emitFile({ type: 'asset', fileName: `ort/${file}`, source: readFileSync(path.join(options.root, 'node_modules/onnxruntime-web/dist', file)) });
      }
    },
  };
}
