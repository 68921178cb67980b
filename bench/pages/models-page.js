// The page side of the models case, each run timed from the page: cold, a fresh module Worker per run (from
// `new Worker` to the answer); warm, one Worker per side kept across runs (from the message to the answer).
// Plugboard: the built `lines` loader and `ppl` (model_id) over the text file in the Worker. Floor:
// onnxruntime-web called directly in the Worker on the same model and token ids.
import { startWorker } from '/bench/worker-client.js';

const PLUGBOARD = '/bench/ppl-plugboard-worker.js';
const FLOOR = '/bench/ppl-floor-worker.js';
const kept = new Map();

/** Posts `message` to a fresh Worker (cold) or the side's kept one (warm), and resolves with its answer and the time taken. */
async function run(url, message, warm) {
  const started = performance.now();
  const worker = warm ? (kept.get(url) ?? kept.set(url, startWorker(url)).get(url)) : startWorker(url);
  try {
    const answer = await worker.call(message);
    return { ...answer, ms: performance.now() - started };
  } finally {
    if (!warm) worker.terminate();
  }
}

window.runPlugboard = async ({ fileUrl, dist, options, warm = false }) => {
  const file = new File([await (await fetch(fileUrl)).blob()], 'texts.txt', { type: 'text/plain' });
  return run(PLUGBOARD, { dist, file, options }, warm);
};

window.runFloor = ({ warm = false, ...message }) => run(FLOOR, message, warm);
window.benchReady = true;
