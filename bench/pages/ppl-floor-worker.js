// The floor of the page side of the models case: a module Worker that imports onnxruntime-web itself — the
// build transformers.js bundles (`onnxruntime-web/webgpu`), with the same WebAssembly from the build's ort/
// folder — and computes the perplexities with a session on the model URL, WebAssembly execution provider.
// Message in: { id, modelUrl, config, ids, batchSize, bos, pad, wasmPaths }. Out: { id, perplexities } | { id, error }.
// A session is created per message, as ppl loads its model per evaluation; a kept Worker reuses the runtime.
import * as ort from '/ort-web/ort.webgpu.bundle.min.mjs';
import { floorPerplexity } from '/bench/ppl-floor.js';

self.onmessage = async ({ data }) => {
  try {
    ort.env.wasm.wasmPaths = data.wasmPaths;
    const perplexities = await floorPerplexity(ort, data.modelUrl, data.config, data.ids, data.batchSize, data.bos, data.pad, { executionProviders: ['wasm'] });
    self.postMessage({ id: data.id, perplexities });
  } catch (error) {
    self.postMessage({ id: data.id, error: `${error?.message ?? error}` });
  }
};
