// The page and a real MLflow tracking server: runs logged through the http(s) store plugins, read back by
// MLflow's own Python client (and the other way round), and the message a page shows when the server is down,
// the URL is not an MLflow server, or the server refuses the page's origin.
import { expect, test, type Page } from '@playwright/test';
// @ts-expect-error — a plain ES module script without types
import { freePort, runMlflowPython } from '../scripts/mlflow-server.js';
import { CDN } from '../playwright.config.ts';
import { findChromium } from './find-chromium.ts';

const MLFLOW = process.env['PLUGBOARD_MLFLOW_URL'] ?? '';
const python = (script: string, args: string[] = []): Promise<string> => runMlflowPython(MLFLOW, script, args);
const quiet = (page: Page) => page.goto('/package.json');

// plugboard.test is not a local origin (MLflow always allows those) yet resolves to this machine: the last test
// serves a page from it.
test.use({
  launchOptions: {
    executablePath: findChromium()!,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--host-resolver-rules=MAP plugboard.test 127.0.0.1'],
  },
});

// MLflow's Python client takes a while to import on a busy machine.
test.describe.configure({ timeout: 120_000 });

test.beforeAll(() => {
  if (!MLFLOW) throw new Error('no MLflow server: run through `npm test`, or start one with node scripts/mlflow-server.js -- npx playwright test');
});

const READ_BACK = `
import hashlib, json, sys, mlflow
from mlflow import MlflowClient
run_id = sys.argv[1]
run = mlflow.get_run(run_id)
history = [[m.step, m.timestamp, m.value] for m in MlflowClient().get_metric_history(run_id, "loss")]
path = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="model/weights.bin")
print("JSON=" + json.dumps({"params": run.data.params, "metrics": run.data.metrics, "tags": run.data.tags,
  "status": run.info.status, "history": history, "sha256": hashlib.sha256(open(path, "rb").read()).hexdigest()}))
`;

test("a run the page logs to the MLflow server reads back the same through MLflow's Python client, artifact byte for byte", async ({ page }) => {
  await quiet(page);
  const logged = await page.evaluate(async (uri) => {
    const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
    const host = await createHost({ onWarning: () => {} });
    const tracking = host.tracking({ uri });
    const run = await tracking.startRun({ runName: `page-${Date.now()}` });
    await tracking.logParams({ lr: 0.01, optimizer: 'adam' });
    for (let step = 0; step < 5; step++) await tracking.logMetrics({ loss: 1 / (step + 1) }, step);
    await tracking.setTag('origin', 'page');
    const bytes = new Uint8Array(1024 * 1024);
    for (let i = 0; i < bytes.length; i += 4096) crypto.getRandomValues(bytes.subarray(i, i + 4096));
    const sha256 = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (byte) => byte.toString(16).padStart(2, '0')).join('');
    await tracking.logArtifact(new Blob([bytes]), 'model/weights.bin');
    await tracking.endRun();
    const history = await (await tracking.store()).getMetricHistory(run.info.runId, 'loss');
    return { runId: run.info.runId, sha256, history: history.map((point: { step: number; timestamp: number; value: number }) => [point.step, point.timestamp, point.value]) };
  }, MLFLOW);
  const seen = JSON.parse(/^JSON=(.*)$/m.exec(await python(READ_BACK, [logged.runId]))![1]!);
  expect(seen.params).toEqual({ lr: '0.01', optimizer: 'adam' });
  expect(seen.metrics).toEqual({ loss: 0.2 });
  expect(seen.tags).toMatchObject({ origin: 'page' });
  expect(seen.status).toBe('FINISHED');
  expect(seen.history).toEqual(logged.history);
  expect(seen.sha256).toBe(logged.sha256);
});

test("a run MLflow's Python client logs is found by the page's search, with its history", async ({ page }) => {
  const marker = `python-${Date.now()}`;
  await python(`
import mlflow, sys
with mlflow.start_run(run_name=sys.argv[1]):
    mlflow.log_param("marker", sys.argv[1])
    for step, loss in enumerate([0.9, 0.5, 0.3]):
        mlflow.log_metric("loss", loss, step=step)
`, [marker]);
  await quiet(page);
  const found = await page.evaluate(async ({ uri, marker }) => {
    const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
    const host = await createHost({ onWarning: () => {} });
    const store = await host.trackingStore(uri);
    const { runs } = await store.searchRuns({ experimentIds: ['0'], filter: `params.marker = '${marker}'` });
    const history = runs[0] ? await store.getMetricHistory(runs[0].info.runId, 'loss') : [];
    return { names: runs.map((run: { info: { runName: string } }) => run.info.runName), history: history.map((point: { value: number }) => point.value) };
  }, { uri: MLFLOW, marker });
  expect(found).toEqual({ names: [marker], history: [0.9, 0.5, 0.3] });
});

/** What the page's store call rejects with, as fields. */
async function failureOf(page: Page, uri: string): Promise<{ code: string; message: string; url: string; hint: string }> {
  return page.evaluate(async (uri) => {
    const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
    const host = await createHost({ onWarning: () => {} });
    const store = await host.trackingStore(uri);
    return store.createExperiment(`never-${Date.now()}`).then(
      () => ({ code: 'none', message: 'resolved', url: '', hint: '' }),
      (error: { code: string; message: string; url: string; hint: string }) => ({ code: error.code, message: error.message, url: error.url, hint: error.hint }),
    );
  }, uri);
}

test('a server that is down and a URL that is not an MLflow server each give a message naming the URL', async ({ page }) => {
  await quiet(page);
  const port = await freePort();
  const down = await failureOf(page, `http://127.0.0.1:${port}`);
  expect(down).toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE', url: `http://127.0.0.1:${port}/api/2.0/mlflow/experiments/create` });
  expect(down.message).toContain(`could not reach the MLflow server at http://127.0.0.1:${port}`);
  const app = new URL(page.url()).origin;
  const wrong = await failureOf(page, app);
  expect(wrong.code).not.toBe('none');
  expect(wrong.url).toBe(`${app}/api/2.0/mlflow/experiments/create`);
  expect(wrong.message).toMatch(/HTTP 404|not JSON/);
});

test.describe('a page on an origin the server does not allow', () => {

  test('is told the server refused its origin, and how to allow it', async ({ page }) => {
    const origin = `http://plugboard.test:${new URL(CDN).port}`;
    await page.goto(`${origin}/blank.html`);
    const failure = await page.evaluate(async (uri) => {
      const { createHost } = await import(/* @vite-ignore */ String('/dist/standalone.js'));
      const host = await createHost({ onWarning: () => {} });
      const store = await host.trackingStore(uri);
      return store.createExperiment(`refused-${Date.now()}`).then(
        () => null,
        (error: { code: string; message: string; hint: string }) => ({ code: error.code, message: error.message, hint: error.hint }),
      );
    }, MLFLOW);
    expect(failure?.code).toBe('PERMISSION_DENIED');
    expect(failure?.message).toContain(origin);
    expect(failure?.hint).toContain(`--cors-allowed-origins ${origin}`);
  });
});
