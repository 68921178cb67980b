// The tracking case in the page: the built-in IndexedDB tracking store (reached through the host) against the
// raw IndexedDB API storing one record per metric point and one record per run. Each function times its own work.
import * as plugboard from '/dist/index.js';

const KEY = 'loss';
const BATCH = 1000;

function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The metric points every side writes: one key, steps 0…n-1, a noisy decreasing loss. */
function points(n) {
  const random = seeded(7);
  const base = 1_700_000_000_000;
  return Array.from({ length: n }, (_, step) => ({ key: KEY, value: 2 / (1 + step / 500) + random() * 0.05, timestamp: base + step * 10, step }));
}

/** What a history must look like: its length, its value sum, and whether steps come in order. */
function historyAnswer(history) {
  let sum = 0;
  let ordered = true;
  for (let i = 0; i < history.length; i += 1) {
    sum += history[i].value;
    if (i > 0 && history[i].step < history[i - 1].step) ordered = false;
  }
  return { count: history.length, sum: Number(sum.toFixed(6)), ordered, first: history[0]?.step ?? null, last: history.at(-1)?.step ?? null };
}

// --- Plugboard: the store the host resolves for an idb: URI.
let host;
async function store(uri) {
  host ??= await plugboard.createHost({ onWarning: () => {} });
  if (typeof host.trackingStore === 'function') return host.trackingStore(uri);
  const factory = await host.load('mlflow.tracking_store', 'idb');
  return factory(uri);
}

const plugboardRuns = new Map();

async function plugboardWrite(database, n) {
  const tracking = await store(`idb://${database}`);
  const { info } = await tracking.createRun({ experimentId: '0' });
  const all = points(n);
  const started = performance.now();
  for (let offset = 0; offset < n; offset += BATCH) {
    await tracking.logBatch(info.runId, { metrics: all.slice(offset, offset + BATCH) });
  }
  const ms = performance.now() - started;
  plugboardRuns.set(database, info.runId);
  return { ms, answer: historyAnswer(await tracking.getMetricHistory(info.runId, KEY)) };
}

async function plugboardRead(database) {
  const tracking = await store(`idb://${database}`);
  const runId = plugboardRuns.get(database);
  const started = performance.now();
  const history = await tracking.getMetricHistory(runId, KEY);
  return { ms: performance.now() - started, answer: historyAnswer(history) };
}

// --- Raw IndexedDB: one record per point in one transaction, an index on [runId, key].
function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openRaw(database) {
  const req = indexedDB.open(database, 1);
  req.onupgradeneeded = () => {
    const points = req.result.createObjectStore('points', { autoIncrement: true });
    points.createIndex('byRunKey', ['runId', 'key']);
    const runs = req.result.createObjectStore('runs', { keyPath: 'runId' });
    runs.createIndex('byExperiment', 'experimentId');
  };
  return request(req);
}

function done(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new Error('transaction aborted'));
  });
}

async function rawWrite(database, n) {
  const db = await openRaw(database);
  const all = points(n);
  const runId = 'raw-run';
  const started = performance.now();
  const transaction = db.transaction('points', 'readwrite');
  const objects = transaction.objectStore('points');
  for (const point of all) objects.put({ runId, key: point.key, value: point.value, timestamp: point.timestamp, step: point.step });
  await done(transaction);
  const ms = performance.now() - started;
  db.close();
  return { ms, answer: historyAnswer((await rawHistory(database)).history) };
}

async function rawHistory(database) {
  const db = await openRaw(database);
  const started = performance.now();
  const history = await request(db.transaction('points', 'readonly').objectStore('points').index('byRunKey').getAll(IDBKeyRange.only(['raw-run', KEY])));
  const ms = performance.now() - started;
  db.close();
  return { ms, history };
}

async function rawRead(database) {
  const { ms, history } = await rawHistory(database);
  return { ms, answer: historyAnswer(history) };
}

// --- searchRuns over many runs: metrics and params filter, order by a metric.
const MODELS = ['bert', 'gpt2', 'minilm', 't5'];
function runData(count) {
  const random = seeded(11);
  return Array.from({ length: count }, (_, i) => ({
    acc: Number(random().toFixed(6)),
    loss: Number((random() * 3).toFixed(6)),
    lr: String([0.1, 0.01, 0.001, 0.0001][i % 4]),
    model: MODELS[Math.floor(random() * MODELS.length)],
  }));
}
const FILTER = "metrics.acc > 0.5 AND params.model = 'bert'";
const ORDER_BY = ['metrics.loss ASC'];

async function plugboardFillRuns(database, count) {
  const tracking = await store(`idb://${database}`);
  const experimentId = await tracking.createExperiment('search-bench');
  const timestamp = 1_700_000_000_000;
  const data = runData(count);
  const names = new Map();
  // Runs are created a hundred at a time: the store serialises overlapping transactions anyway.
  for (let offset = 0; offset < count; offset += 100) {
    await Promise.all(
      data.slice(offset, offset + 100).map(async (row, k) => {
        const { info } = await tracking.createRun({ experimentId, startTime: timestamp + offset + k });
        names.set(info.runId, offset + k);
        await tracking.logBatch(info.runId, {
          metrics: [{ key: 'acc', value: row.acc, timestamp, step: 0 }, { key: 'loss', value: row.loss, timestamp, step: 0 }],
          params: [{ key: 'lr', value: row.lr }, { key: 'model', value: row.model }],
        });
      }),
    );
  }
  plugboardRuns.set(`${database}:search`, { experimentId, names });
  return { ms: 0, answer: count };
}

async function plugboardSearch(database) {
  const tracking = await store(`idb://${database}`);
  const { experimentId, names } = plugboardRuns.get(`${database}:search`);
  const started = performance.now();
  const page = await tracking.searchRuns({ experimentIds: [experimentId], filter: FILTER, orderBy: ORDER_BY, maxResults: 1000 });
  const ms = performance.now() - started;
  return { ms, answer: page.runs.map((run) => names.get(run.info.runId)) };
}

async function rawFillRuns(database, count) {
  const db = await openRaw(database);
  const transaction = db.transaction('runs', 'readwrite');
  runData(count).forEach((row, i) =>
    transaction.objectStore('runs').put({ runId: `run-${i}`, index: i, experimentId: '1', lifecycleStage: 'active', metrics: { acc: row.acc, loss: row.loss }, params: { lr: row.lr, model: row.model } }),
  );
  await done(transaction);
  db.close();
  return { ms: 0, answer: count };
}

async function rawSearch(database) {
  const db = await openRaw(database);
  const started = performance.now();
  const runs = await request(db.transaction('runs', 'readonly').objectStore('runs').index('byExperiment').getAll('1'));
  const found = runs
    .filter((run) => run.lifecycleStage === 'active' && run.metrics.acc > 0.5 && run.params.model === 'bert')
    // MLflow breaks ties of the order-by keys by start time, newest first (here the start time grows with the index).
    .sort((a, b) => a.metrics.loss - b.metrics.loss || b.index - a.index)
    .slice(0, 1000);
  const ms = performance.now() - started;
  db.close();
  return { ms, answer: found.map((run) => run.index) };
}

window.bench = { plugboardWrite, plugboardRead, rawWrite, rawRead, plugboardFillRuns, plugboardSearch, rawFillRuns, rawSearch };
window.benchReady = true;
