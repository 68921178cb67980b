// Developing a plugin in place: `plugboard dev` serves a folder, the app connects to it in the Plugins view, the
// metric runs in an evaluation, and edits to the folder's files change what the page runs — then break it — with
// no reload of the page; after a reload the app follows the dev server again.
import { expect, test, type Page } from '@playwright/test';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const folder = mkdtempSync(join(tmpdir(), 'plugboard-dev-e2e-'));
const ROW = '[data-plugin="codex_ml.metrics/dev_ratio"]';
let dev: ChildProcessWithoutNullStreams;
let output = '';
let manifestUrl: string;

/** Saves a file as many editors do: written beside it, then renamed over it, so the dev server sees one change. */
function save(path: string, text: string): void {
  writeFileSync(`${path}.tmp~`, text);
  renameSync(`${path}.tmp~`, path);
}

test.beforeAll(async () => {
  writeFileSync(join(folder, 'plugins-manifest.json'), JSON.stringify({ manifestVersion: 1, name: 'my-plugin', groups: { 'codex_ml.metrics': { dev_ratio: './metric.js#devRatio' } } }));
  writeFileSync(join(folder, 'metric.js'), "import { weight } from './weight.js';\nexport const devRatio = Object.assign((predictions) => ({ score: weight * predictions.length / predictions.length }), { api: 'v1' });\n");
  writeFileSync(join(folder, 'weight.js'), 'export const weight = 1;\n');
  dev = spawn(process.execPath, ['dist/cli.js', 'dev', folder, '--port', '0']);
  dev.stdout.on('data', (chunk) => (output += chunk));
  dev.stderr.on('data', (chunk) => (output += chunk));
  manifestUrl = await new Promise<string>((resolve, reject) => {
    const poll = setInterval(() => {
      const url = /manifest {2}(\S+)/.exec(output)?.[1];
      if (url) {
        clearInterval(poll);
        resolve(url);
      }
    }, 50);
    dev.once('exit', (code) => reject(new Error(`plugboard dev exited ${code}: ${output}`)));
  });
});

test.afterAll(async () => {
  if (dev.exitCode === null) {
    dev.kill('SIGINT');
    await new Promise((resolve) => dev.once('exit', resolve));
  }
  rmSync(folder, { recursive: true, force: true });
});

/** Runs the development metric over the sample data in the Evaluate view and resolves with its score. */
async function runMetric(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
}

test('connects plugboard dev in the Plugins view, runs its metric, and follows edits and breakage without a reload', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/#plugins');
  const develop = page.getByRole('region', { name: 'Develop' });
  await develop.getByRole('textbox', { name: 'Dev server manifest address' }).fill(manifestUrl);
  await develop.getByRole('button', { name: 'Connect' }).click();
  const review = page.getByRole('region', { name: 'Review development source' });
  await expect(review).toContainText(new URL(manifestUrl).origin);
  await expect(review).toContainText('not allowed yet');
  await expect(review).toContainText('codex_ml.metrics/dev_ratio');
  await review.getByRole('button', { name: 'Confirm connect' }).click();

  const row = page.locator(ROW);
  await expect(row).toHaveAttribute('data-status', 'loaded');
  await expect(row).toHaveAttribute('data-development', 'yes');
  await expect(row).toContainText('not pinned (development)');
  const source = page.locator(`[data-dev-source="${manifestUrl}"]`);
  await expect(source).toHaveAttribute('data-state', 'connected');
  await expect(source).toHaveAttribute('data-generation', '1');

  // The page is never reloaded from here on: a marker on window would be gone if it were.
  await page.evaluate(() => ((window as { pbNoReload?: boolean }).pbNoReload = true));
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await page.getByRole('button', { name: 'Try it with sample data' }).click();
  await page.getByRole('combobox', { name: /prediction/i }).selectOption('prediction');
  await page.getByRole('combobox', { name: /reference/i }).selectOption('reference');
  for (const name of ['bleu', 'chrf']) await page.getByRole('checkbox', { name, exact: true }).uncheck();
  await page.getByRole('checkbox', { name: 'dev_ratio', exact: true }).check();
  const value = page.getByRole('table', { name: 'Scores' }).locator('tr[data-metric="dev_ratio"] td.value');
  await runMetric(page);
  await expect(value).toHaveAttribute('data-value', '1', { timeout: 30_000 });

  // An edit to a module the entry imports: the dev server says so, the page reloads the plugin in place.
  save(join(folder, 'weight.js'), 'export const weight = 2;\n');
  await page.getByRole('tab', { name: 'Plugins' }).click();
  await expect(source).toHaveAttribute('data-generation', '2', { timeout: 15_000 });
  await expect(row).toHaveAttribute('data-status', 'loaded');
  await runMetric(page);
  await expect(value).toHaveAttribute('data-value', '2', { timeout: 30_000 });

  // Broken: the plugin fails its contract, and the page says so with its stage and hint, as for any plugin.
  save(join(folder, 'metric.js'), 'export const devRatio = 42;\n');
  await page.getByRole('tab', { name: 'Plugins' }).click();
  await expect(source).toHaveAttribute('data-generation', '3', { timeout: 15_000 });
  await expect(row).toHaveAttribute('data-status', 'failed');
  const failure = row.locator('.error');
  await expect(failure).toHaveAttribute('data-stage', 'validate');
  await expect(failure).toContainText('dev_ratio');
  await expect(failure).toContainText('hint:');
  await runMetric(page);
  const alert = page.locator('pb-evaluator').getByRole('alert');
  await expect(alert).toContainText('dev_ratio');
  await expect(alert).toContainText('What to do');

  // A second entry point added to the manifest shows in the open Evaluate view, and runs.
  save(join(folder, 'twice.js'), "export const twice = Object.assign(() => ({ score: 4 }), { api: 'v1' });\n");
  save(join(folder, 'plugins-manifest.json'), JSON.stringify({ manifestVersion: 1, name: 'my-plugin', groups: { 'codex_ml.metrics': { dev_ratio: './metric.js#devRatio', dev_twice: './twice.js#twice' } } }));
  await page.getByRole('checkbox', { name: 'dev_twice', exact: true }).check({ timeout: 15_000 });
  await page.getByRole('checkbox', { name: 'dev_ratio', exact: true }).uncheck();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('table', { name: 'Scores' }).locator('tr[data-metric="dev_twice"] td.value')).toHaveAttribute('data-value', '4', { timeout: 30_000 });

  expect(await page.evaluate(() => (window as { pbNoReload?: boolean }).pbNoReload)).toBe(true);
  expect(output).toContain('generation 3');

  // After a reload the app follows the dev server again, as pip install -e stays installed.
  await page.reload();
  await page.getByRole('tab', { name: 'Plugins' }).click();
  await expect(source).toHaveAttribute('data-state', 'connected');
  await expect(page.locator('[data-plugin="codex_ml.metrics/dev_twice"]')).toHaveAttribute('data-status', 'loaded');
  await expect(page.locator('[data-plugin="codex_ml.metrics/dev_twice"]')).toHaveAttribute('data-development', 'yes');
  await expect(row).toHaveAttribute('data-status', 'failed');

  // Ctrl+C stops the server cleanly; the page says the connection is lost and keeps retrying.
  dev.kill('SIGINT');
  expect(await new Promise((resolve) => dev.once('exit', resolve))).toBe(0);
  expect(output).toContain('plugboard dev: stopped');
  await page.getByRole('tab', { name: 'Plugins' }).click();
  await expect(source).toHaveAttribute('data-state', 'lost', { timeout: 15_000 });
});
