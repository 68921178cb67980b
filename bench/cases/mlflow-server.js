// Case 7 — an MLflow tracking server: 100,000 metric points logged to one real `mlflow server` (SQLite) by
// Plugboard's REST tracking store (batches of 1000, a few in flight) and by MLflow's own Python client
// (MlflowClient.log_batch of 1000 points per call, and its asynchronous variant), each into a fresh run.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { alternate } from '../lib/alternate.js';
import { notMeasured, pairEntry } from '../lib/results.js';

const PYTHON_SIDE = `
import sys, time
from mlflow import MlflowClient
from mlflow.entities import Metric
client = MlflowClient()
points, asynchronous = int(sys.argv[1]), sys.argv[2] == "async"
run_id = client.create_run("0").info.run_id
started = time.perf_counter()
pending = []
for start in range(0, points, 1000):
    batch = [Metric("loss", float(i), 1_700_000_000_000 + i, i) for i in range(start, min(start + 1000, points))]
    result = client.log_batch(run_id, metrics=batch, synchronous=not asynchronous)
    if asynchronous: pending.append(result)
for operation in pending: operation.wait()
ms = (time.perf_counter() - started) * 1000
print(f"RESULT {ms} {run_id}")
`;

/** Runs MLflow's Python client once; resolves with the time it measured and the run it logged to. */
function pythonSide(python, url, points, mode) {
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-c', PYTHON_SIDE, String(points), mode], { env: { ...process.env, MLFLOW_TRACKING_URI: url } });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('close', (status) => {
      const match = /RESULT (\S+) (\w+)/.exec(out);
      if (status === 0 && match) resolve({ ms: Number(match[1]), runId: match[2] });
      else reject(new Error(`the Python client failed (${status}): ${err.trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}

/** Runs the case; resolves with its entries, or "not measured" when the REST store is not built. */
export async function runMlflowServer({ root, quick, log }) {
  const points = quick ? 10_000 : 100_000;
  const built = join(root, 'dist/plugins/stores/mlflow-server.js');
  const caseName = `mlflow server: ${points.toLocaleString('en')} metric points logged (batches of 1000)`;
  if (!existsSync(built)) {
    return [notMeasured({ caseName, n: points, baselineName: 'MlflowClient.log_batch', target: 'ratio ≤ 1', reason: `${built} is not built` })];
  }
  const { startMlflowServer, PYTHON } = await import(pathToFileURL(join(root, 'scripts/mlflow-server.js')).href);
  const { mlflowTrackingStore } = await import(pathToFileURL(built).href);
  const server = await startMlflowServer();
  log(`  server ${server.url}`);
  try {
    const store = await mlflowTrackingStore(server.url);
    const count = async (runId) => (await store.getMetricHistory(runId, 'loss')).length;
    const plugboard = async () => {
      const run = await store.createRun({ experimentId: '0' });
      const started = performance.now();
      const batches = [];
      for (let start = 0; start < points; start += 1000) {
        batches.push(Array.from({ length: Math.min(1000, points - start) }, (_, offset) => ({ key: 'loss', value: start + offset, timestamp: 1_700_000_000_000 + start + offset, step: start + offset })));
      }
      // Four batches in flight: the store's client queues beyond its limit, the server's pool takes four.
      let next = 0;
      await Promise.all(Array.from({ length: 4 }, async () => {
        while (next < batches.length) await store.logBatch(run.info.runId, { metrics: batches[next++] });
      }));
      const ms = performance.now() - started;
      return { ms, answer: await count(run.info.runId) };
    };
    const python = (mode) => async () => {
      const { ms, runId } = await pythonSide(PYTHON, server.url, points, mode);
      return { ms, answer: await count(runId) };
    };
    const reps = quick ? 1 : 3;
    const samples = await alternate(
      [
        { name: 'plugboard', run: plugboard },
        { name: 'python', run: python('sync') },
        { name: 'pythonAsync', run: python('async') },
      ],
      { reps },
    );
    const rate = (ms) => `${Math.round(points / (ms / 1000)).toLocaleString('en')} points/s`;
    const entries = [
      pairEntry({ caseName, n: points, plugboard: samples.plugboard, baseline: samples.python, baselineName: 'MlflowClient.log_batch, 1000 points per call (mlflow 3.17.2)', maxRatio: 1, targetText: 'ratio ≤ 1 (≥ 1× the Python client)' }),
      pairEntry({ caseName: `${caseName}, against the asynchronous client`, n: points, plugboard: samples.plugboard, baseline: samples.pythonAsync, baselineName: 'MlflowClient.log_batch(synchronous=False), 1000 points per call', maxRatio: null, targetText: 'reported' }),
    ];
    for (const entry of entries) {
      entry.rate = `${rate(entry.plugboard)} vs ${rate(entry.baseline)}`;
      log(`  ${entry.case}: ${entry.plugboard} ms vs ${entry.baseline} ms → ${entry.ratio ?? entry.mismatch}`);
    }
    return entries;
  } finally {
    await server.stop(false);
  }
}
