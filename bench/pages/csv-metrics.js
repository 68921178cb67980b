// The metrics-over-a-CSV case in the page: the host the app builds (scoring in Workers through
// createWorkerScorer), BLEU + chrF + ROUGE + exact_match over the uploaded File. As in the app, the Workers are
// readied (started, plugins imported) while the person picks columns and metrics; the clock starts at the
// evaluate call, as a Run press makes it, and records when the first progress update arrives.
import { createHost } from '/dist/index.js';
import { createWorkerScorer } from '/dist/worker.js';

/** Main-thread tasks over 50 ms: when each began (ms after the evaluate call) and how long it ran. */
const longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longTasks.push({ at: Math.round(entry.startTime - started), ms: Math.round(entry.duration) });
}).observe({ type: 'longtask', buffered: true });

let host;
let started = 0;
const file = () => document.getElementById('upload').files[0];
const makeHost = () => createHost({ scoreInWorkers: createWorkerScorer(), onWarning: () => {} });

/**
 * A first Run with nothing readied, on a fresh host (plugins loaded in the page, Workers started and importing
 * them inside the timing), stopped at its first progress update: resolves with the ms to that update.
 */
window.coldFirstProgress = async (metrics, workers) => {
  const cold = await makeHost();
  const controller = new AbortController();
  const begun = performance.now();
  let firstProgressMs;
  await cold
    .evaluate({
      source: file(),
      metrics,
      workers,
      signal: controller.signal,
      onProgress: () => {
        firstProgressMs ??= performance.now() - begun;
        controller.abort(new Error('measured'));
      },
    })
    .catch(() => undefined);
  return firstProgressMs;
};

/** What the app does when a file is chosen and metrics ticked: readies the Workers; resolves with the ms it took. */
window.prepareMetrics = async (metrics, workers) => {
  host ??= await makeHost();
  const begun = performance.now();
  await host.prepareEvaluation({ source: file(), metrics, workers });
  return performance.now() - begun;
};

window.runMetrics = async (metrics, workers) => {
  host ??= await makeHost();
  longTasks.length = 0;
  let firstProgressMs;
  let updates = 0;
  started = performance.now();
  const result = await host.evaluate({
    source: file(),
    metrics,
    workers,
    onProgress: () => {
      updates += 1;
      firstProgressMs ??= performance.now() - started;
    },
  });
  const ms = performance.now() - started;
  // Long-task entries are delivered after the task; one more turn lets the last of them arrive.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { ms, firstProgressMs, updates, rows: result.rows, workers: result.workers, scores: result.scores, longTasks: [...longTasks] };
};
window.benchReady = true;
