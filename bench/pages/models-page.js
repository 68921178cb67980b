// The page side of the models case: each run starts a fresh module Worker from this page and times it from
// the start to the answer. Plugboard: the built `lines` loader and `ppl` (model_id) over the text file in the
// Worker. Floor: onnxruntime-web called directly in the Worker on the same model and token ids.

/** Starts `url` as a module Worker, posts `message`, and resolves with its answer and the time taken. */
async function inWorker(url, message) {
  const started = performance.now();
  const worker = new Worker(url, { type: 'module' });
  try {
    const answer = await new Promise((resolve, reject) => {
      worker.onmessage = ({ data }) => (data.error ? reject(new Error(data.error)) : resolve(data));
      worker.onerror = (event) => reject(new Error(`${url}: ${event.message}`));
      worker.postMessage(message);
    });
    return { ms: performance.now() - started, ...answer };
  } finally {
    worker.terminate();
  }
}

window.runPlugboard = async ({ fileUrl, dist, options }) => {
  const file = new File([await (await fetch(fileUrl)).blob()], 'texts.txt', { type: 'text/plain' });
  return inWorker('/bench/ppl-plugboard-worker.js', { dist, file, options });
};

window.runFloor = (message) => inWorker('/bench/ppl-floor-worker.js', message);
window.benchReady = true;
