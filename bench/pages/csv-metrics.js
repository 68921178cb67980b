// The metrics-over-a-CSV case in the page: the host the app builds (scoring in Workers through
// createWorkerScorer), one Worker per core, BLEU + chrF + ROUGE + exact_match over the uploaded File. The clock
// starts at the evaluate call, as a Run press makes it, and records when the first progress update arrives.
import { createHost } from '/dist/index.js';
import { createWorkerScorer } from '/dist/worker.js';

/** Main-thread tasks over 50 ms: when each began (ms after the evaluate call) and how long it ran. */
const longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longTasks.push({ at: Math.round(entry.startTime - started), ms: Math.round(entry.duration) });
}).observe({ type: 'longtask', buffered: true });

let host;
let started = 0;

window.runMetrics = async (metrics) => {
  host ??= await createHost({ scoreInWorkers: createWorkerScorer(), onWarning: () => {} });
  const file = document.getElementById('upload').files[0];
  longTasks.length = 0;
  let firstProgressMs;
  let updates = 0;
  started = performance.now();
  const result = await host.evaluate({
    source: file,
    metrics,
    workers: navigator.hardwareConcurrency,
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
