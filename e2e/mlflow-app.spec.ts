// The app's Runs view and a real MLflow tracking server: “Open an MLflow server” shows its runs with search, sort,
// compare and charts as local ones; “Send to MLflow” copies a browser run there (MLflow's Python client reads it
// back, artifacts byte for byte) and “Copy to this browser” brings it back identical; a server that is down, a
// URL that is not MLflow, and a server that refuses the page's origin each show what to do.
import { expect, test, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
// @ts-expect-error — a plain ES module script without types
import { freePort, runMlflowPython } from '../scripts/mlflow-server.js';
import { serveBuiltApp } from './built-app-server.js';
import { findChromium } from './find-chromium.ts';

const MLFLOW = process.env['PLUGBOARD_MLFLOW_URL'] ?? '';
const python = (script: string, args: string[] = []): Promise<string> => runMlflowPython(MLFLOW, script, args);
const jsonOf = (out: string) => JSON.parse(/^JSON=(.*)$/m.exec(out)![1]!);

// plugboard.test is not a local origin (MLflow allows those always) yet resolves to this machine.
test.use({
  launchOptions: {
    executablePath: findChromium()!,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--host-resolver-rules=MAP plugboard.test 127.0.0.1'],
  },
});

// MLflow's Python client takes a while to import on a busy machine.
test.describe.configure({ timeout: 180_000 });

test.beforeAll(() => {
  if (!MLFLOW) throw new Error('no MLflow server: run through `npm test`, or start one with node scripts/mlflow-server.js -- npx playwright test');
});

/** Opens the app's Runs view once the app has its host. */
async function openRunsView(page: Page, origin = ''): Promise<void> {
  await page.goto(`${origin}/#runs`);
  await expect(page.getByRole('table', { name: 'Runs' })).toBeVisible({ timeout: 30_000 });
}

async function openServerInView(page: Page, url: string): Promise<void> {
  await page.getByLabel('MLflow server URL').fill(url);
  await page.getByRole('button', { name: 'Open an MLflow server' }).click();
}

async function filterRuns(page: Page, filter: string): Promise<void> {
  const box = page.getByRole('searchbox', { name: /Filter runs/ });
  await box.fill(filter);
  await box.press('Enter');
}

/** Logs a run into the browser's own store through the app's host; resolves with its ID and what it holds. */
async function logLocalRun(page: Page, runName: string): Promise<{ runId: string; sha256: string }> {
  return page.evaluate(async (runName) => {
    const app = document.querySelector('plugboard-app')!;
    while (!app.host) await new Promise((resolve) => setTimeout(resolve, 50));
    const tracking = app.host.tracking();
    const run = await tracking.startRun({ runName, tags: { team: 'nlp' } });
    await tracking.logParams({ lr: 0.01, optimizer: 'adam', layers: 4 });
    const store = await tracking.store();
    await store.logInputs!(run.info.runId, [
      { dataset: { name: 'pairs.csv', digest: 'd41d8cd9', sourceType: 'upload', source: '{"name": "pairs.csv"}' }, tags: [{ key: 'mlflow.data.context', value: 'evaluation' }] },
    ]);
    const points = Array.from({ length: 1500 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), step, timestamp: 1_700_000_000_000 + step }));
    for (let start = 0; start < points.length; start += 1000) await store.logBatch(run.info.runId, { metrics: points.slice(start, start + 1000) });
    await tracking.logMetrics({ accuracy: 0.875 }, 2);
    await tracking.setTag('origin', 'page');
    const bytes = new Uint8Array(300_000);
    for (let i = 0; i < bytes.length; i += 4096) crypto.getRandomValues(bytes.subarray(i, i + 4096));
    await tracking.logArtifact(new Blob([bytes]), 'model/weights.bin');
    await tracking.logArtifact(new Blob(['{"vocab": 32000}']), 'config.json');
    await tracking.endRun();
    const sha256 = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (byte) => byte.toString(16).padStart(2, '0')).join('');
    return { runId: run.info.runId, sha256 };
  }, runName);
}

/** Everything a copy must keep of a run in the page's stores, by tracking URI: all but IDs and artifact location. */
async function runInPage(page: Page, uri: string, runId: string) {
  return page.evaluate(async ({ uri, runId }) => {
    const host = document.querySelector('plugboard-app')!.host!;
    const store = await host.trackingStore(uri);
    const run = await store.getRun(runId);
    const byKey = <T extends { key: string }>(list: T[]) => [...list].sort((a, b) => (a.key < b.key ? -1 : 1));
    const histories = Object.fromEntries(await Promise.all(run.data.metrics.map(async (metric) => [metric.key, await store.getMetricHistory(runId, metric.key)] as const)));
    const artifacts = await host.artifactRepository(run.info.artifactUri);
    const files: Record<string, string> = {};
    const walk = async (dir?: string) => {
      for (const info of await artifacts.listArtifacts(dir)) {
        if (info.isDir) await walk(info.path);
        else {
          const bytes = await (await artifacts.downloadArtifact(info.path)).arrayBuffer();
          files[info.path] = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (byte) => byte.toString(16).padStart(2, '0')).join('');
        }
      }
    };
    await walk();
    const { runName, userId, status, startTime, endTime, lifecycleStage } = run.info;
    const inputs = run.inputs?.datasetInputs ?? [];
    return { runName, userId, status, startTime, endTime, lifecycleStage, params: byKey(run.data.params), tags: byKey(run.data.tags), metrics: byKey(run.data.metrics), histories, files, inputs };
  }, { uri, runId });
}

const READ_BACK = `
import hashlib, json, sys, mlflow
from mlflow import MlflowClient
run_id = sys.argv[1]
run = mlflow.get_run(run_id)
history = [[m.step, m.timestamp, m.value] for m in MlflowClient().get_metric_history(run_id, "loss")]
path = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="model/weights.bin")
inputs = [[i.dataset.name, i.dataset.digest, i.dataset.source_type, [[t.key, t.value] for t in i.tags]] for i in run.inputs.dataset_inputs]
print("JSON=" + json.dumps({"name": run.info.run_name, "inputs": inputs, "params": run.data.params, "metrics": run.data.metrics, "tags": run.data.tags,
  "status": run.info.status, "history": history, "sha256": hashlib.sha256(open(path, "rb").read()).hexdigest()}))
`;

test('“Send to MLflow” copies a browser run to the server, which MLflow’s Python client reads back the same, and “Copy to this browser” brings it back identical', async ({ page }) => {
  await openRunsView(page);
  const name = `sent-${Date.now()}`;
  const local = await logLocalRun(page, name);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.getByLabel('MLflow server URL').fill(MLFLOW);
  await page.getByRole('button', { name: `Send to MLflow: ${name}` }).click();
  const status = page.locator('p.copy.ok');
  await expect(status).toContainText(`Copied ${name} to ${MLFLOW} as run`, { timeout: 60_000 });
  await expect(status).toContainText('3 params, ');
  await expect(status).toContainText('1501 metric points, 2 artifacts, 1 dataset inputs');
  const sentId = (await status.locator('code.copied-run-id').textContent())!;
  const experimentId = /in experiment (\S+):/.exec((await status.textContent())!)![1];
  await expect(status.getByRole('link', { name: 'Open it in MLflow' })).toHaveAttribute('href', `${MLFLOW}/#/experiments/${experimentId}/runs/${sentId}`);

  const seen = jsonOf(await python(READ_BACK, [sentId]));
  const original = await runInPage(page, 'idb:', local.runId);
  expect(seen.name).toBe(name);
  expect(seen.params).toEqual({ lr: '0.01', optimizer: 'adam', layers: '4' });
  expect(seen.metrics).toEqual({ loss: 1 / 1500, accuracy: 0.875 });
  expect(seen.tags).toMatchObject({ team: 'nlp', origin: 'page' });
  expect(seen.status).toBe('FINISHED');
  expect(seen.history).toEqual(original.histories['loss']!.map((point) => [point.step, point.timestamp, point.value]));
  expect(seen.sha256).toBe(local.sha256);
  expect(seen.inputs).toEqual([['pairs.csv', 'd41d8cd9', 'upload', [['mlflow.data.context', 'evaluation']]]]);

  // Back: the server's copy, opened in the view, copied into the browser.
  await openServerInView(page, MLFLOW);
  await filterRuns(page, `attributes.run_name = '${name}'`);
  await expect(page.locator(`tr[data-run="${sentId}"]`)).toBeVisible();
  await page.getByRole('button', { name: `Copy to this browser: ${name}` }).click();
  await expect(status).toContainText(`Copied ${name} into this browser as run`, { timeout: 60_000 });
  const backId = (await status.locator('code.copied-run-id').textContent())!;
  expect(backId).not.toBe(local.runId);
  expect(await runInPage(page, 'idb:', backId)).toEqual(original);
  expect(original.files['model/weights.bin']).toBe(local.sha256);
  expect(original.inputs).toHaveLength(1);
});

test('an opened MLflow server shows its experiments and runs, with search, column-accurate filter errors, sort, compare and charts; it is remembered across a reload until “back”', async ({ page }) => {
  const marker = `python-${Date.now()}`;
  const logged = jsonOf(await python(`
import json, mlflow, sys
ids = []
for lr, losses in [("0.1", [0.9, 0.5, 0.3]), ("0.01", [0.8, 0.6, 0.2])]:
    with mlflow.start_run(run_name=f"{sys.argv[1]}-lr{lr}") as run:
        mlflow.log_param("marker", sys.argv[1])
        mlflow.log_param("lr", lr)
        for step, loss in enumerate(losses):
            mlflow.log_metric("loss", loss, step=step)
        ids.append(run.info.run_id)
mlflow.set_experiment(sys.argv[1])
with mlflow.start_run(run_name=sys.argv[1] + "-elsewhere"):
    mlflow.log_param("marker", sys.argv[1])
print("JSON=" + json.dumps(ids))
`, [marker]));

  await openRunsView(page);
  await expect(page.getByText('Showing the runs of this browser.')).toBeVisible();
  await openServerInView(page, `${MLFLOW}/`);
  await expect(page.getByText(`Showing the runs of the MLflow server ${MLFLOW}.`)).toBeVisible();

  await filterRuns(page, `params.marker = '${marker}'`);
  const rows = page.getByRole('table', { name: 'Runs' }).locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await page.getByRole('button', { name: 'Sort by loss' }).click();
  await expect(rows.first()).toHaveAttribute('data-run', logged[0]);
  await page.getByRole('button', { name: 'Sort by loss' }).click();
  await expect(rows.first()).toHaveAttribute('data-run', logged[1]);
  await expect(rows.first().getByRole('link', { name: `${marker}-lr0.01` })).toHaveAttribute('href', `${MLFLOW}/#/experiments/0/runs/${logged[1]}`);

  await page.getByRole('checkbox', { name: `Select ${marker}-lr0.1` }).check();
  await page.getByRole('checkbox', { name: `Select ${marker}-lr0.01` }).check();
  const compare = page.getByRole('table', { name: 'Compare runs' });
  await expect(compare.locator('tr', { hasText: 'params.lr' })).toContainText('0.1');
  await expect(compare.locator('tr', { hasText: 'params.lr' })).toContainText('0.01');
  await expect(page.locator('#chart-runs canvas')).toBeVisible();
  await expect(page.locator('#chart-steps canvas')).toBeVisible();

  // The server's parse error names no column; the view shows where the filter goes wrong.
  await filterRuns(page, `params.marker = '${marker}' and metrics.loss >`);
  const error = page.locator('#filter-error');
  await expect(error).toContainText('(column');
  await expect(error.locator('pre')).toContainText('^');

  // Another experiment of the server, chosen by name.
  await filterRuns(page, '');
  await page.getByRole('combobox', { name: 'Experiment' }).selectOption({ label: marker });
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${marker}-elsewhere`);

  await page.reload();
  await expect(page.getByText(`Showing the runs of the MLflow server ${MLFLOW}.`)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByLabel('MLflow server URL')).toHaveValue(MLFLOW);
  await page.getByRole('button', { name: "Back to this browser's runs" }).click();
  await expect(page.getByText('Showing the runs of this browser.')).toBeVisible();
  await page.reload();
  await expect(page.getByText('Showing the runs of this browser.')).toBeVisible({ timeout: 30_000 });
});

/**
 * Serves pages that are not an MLflow server: every path answers 404 with an HTML page, with CORS headers that
 * let any page read it (`cors`) or none (as most web servers).
 */
async function notMlflow(cors: boolean): Promise<{ url: string; server: Server }> {
  const allow = cors ? { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': '*', 'Access-Control-Allow-Methods': '*' } : {};
  const server = createServer((request, response) => {
    if (cors && request.method === 'OPTIONS') response.writeHead(204, allow).end();
    else response.writeHead(404, { 'Content-Type': 'text/html', ...allow }).end('<!doctype html><title>Not Found</title><h1>Not Found</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

test('a server that is down and a URL that is not an MLflow server each show, in the page, the URL and what to do', async ({ page }) => {
  await openRunsView(page);
  const down = `http://127.0.0.1:${await freePort()}`;
  await openServerInView(page, down);
  const failure = page.locator('.failure');
  await expect(failure).toContainText(`Could not open the MLflow server at ${down}.`);
  await expect(failure).toContainText(`could not reach the MLflow server at ${down}`);
  await expect(failure.locator('.hint')).toContainText('Check that the server is running');
  await expect(page.getByText('Showing the runs of this browser.')).toBeVisible();

  const name = `to-nowhere-${Date.now()}`;
  await logLocalRun(page, name);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.getByRole('button', { name: `Send to MLflow: ${name}` }).click();
  await expect(failure).toContainText(`Could not copy ${name} to the MLflow server at ${down}.`);
  await expect(failure.locator('.hint')).toContainText('Check that the server is running');

  const readable = await notMlflow(true);
  try {
    await openServerInView(page, readable.url);
    await expect(failure).toContainText(`Could not open the MLflow server at ${readable.url}.`);
    await expect(failure).toContainText('HTTP 404');
    await expect(failure.locator('.url')).toContainText(`${readable.url}/api/2.0/mlflow/experiments/search`);
    await expect(failure.locator('.hint')).toContainText('points at an MLflow server');
  } finally {
    readable.server.close();
  }
  // A web server that sends no CORS headers cannot be told from an MLflow server refusing the page: the hint says both.
  const unreadable = await notMlflow(false);
  try {
    await openServerInView(page, unreadable.url);
    await expect(failure).toContainText(`Could not open the MLflow server at ${unreadable.url}.`);
    await expect(failure.locator('.hint')).toContainText(`If ${unreadable.url} is not an MLflow server, correct the URL`);
  } finally {
    unreadable.server.close();
  }
  await expect(page.getByText('Showing the runs of this browser.')).toBeVisible();

  await openServerInView(page, '127.0.0.1:5000');
  await expect(failure).toContainText('"127.0.0.1:5000" does not start with http:// or https://');
  await expect(failure.locator('.hint')).toContainText('Did you mean http://127.0.0.1:5000?');
});

test('a page on an origin the server does not allow is told so, with the flag that allows it', async ({ page }) => {
  const app = await serveBuiltApp('self');
  try {
    const origin = `http://plugboard.test:${new URL(app.url).port}`;
    await openRunsView(page, origin);
    await openServerInView(page, MLFLOW);
    const failure = page.locator('.failure');
    await expect(failure).toContainText(`Could not open the MLflow server at ${MLFLOW}.`, { timeout: 30_000 });
    await expect(failure).toContainText(`refused to let this page (origin ${origin}) read it (CORS)`);
    await expect(failure.locator('.hint')).toContainText(`--cors-allowed-origins ${origin}`);
  } finally {
    await app.close();
  }
});
