// The analyst's flow in the app: upload a file, pick columns and metrics, score it in Workers, keep the run
// with its provenance, look back after a reload, download what was kept, re-run; cancel a big file; errors once.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CDN } from '../playwright.config.ts';

const METRICS = ['bleu', 'chrf'];
const directory = mkdtempSync(join(tmpdir(), 'plugboard-app-'));

function sentences(rows: number, seed = 7): Array<{ prediction: string; reference: string }> {
  const words = ['the', 'cat', 'sat', 'on', 'mat', 'dog', 'ran', 'café', 'naïve', '東京', 'U.S.', '3,000', "don't", 'well-known', 'a', 'an', 'park', 'quickly'];
  let state = seed;
  const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const sentence = () => Array.from({ length: 1 + Math.floor(next() * 12) }, () => words[Math.floor(next() * words.length)]).join(' ');
  return Array.from({ length: rows }, (_, row) => {
    const reference = sentence();
    return { prediction: row % 5 === 0 ? reference : sentence(), reference };
  });
}

function cli(file: string): { rows: number; results: Record<string, { score: number }> } {
  return JSON.parse(execFileSync('node', ['dist/cli.js', 'eval', ...METRICS.flatMap((name) => ['--metric', name]), '--data', file], { encoding: 'utf8' }));
}

async function evaluateInApp(page: Page, file: string): Promise<{ scores: Record<string, number>; runId: string }> {
  await page.getByLabel(/data file/i).setInputFiles(file);
  await page.getByRole('combobox', { name: /prediction/i }).selectOption('prediction');
  await page.getByRole('combobox', { name: /reference/i }).selectOption('reference');
  for (const name of METRICS) await page.getByRole('checkbox', { name, exact: true }).check();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const scores = page.getByRole('table', { name: 'Scores' });
  await expect(scores).toBeVisible({ timeout: 30_000 });
  const values: Record<string, number> = {};
  for (const name of METRICS) values[name] = Number(await scores.locator(`tr[data-metric="${name}"] td.value`).getAttribute('data-value'));
  const runId = (await page.locator('code.run-id').textContent())!;
  return { scores: values, runId };
}

test('a CSV of thousands of rows: scores equal the CLI’s, the run keeps its provenance and file, survives a reload, and re-runs the same', async ({ page }) => {
  test.setTimeout(120_000);
  const file = join(directory, 'pairs.csv');
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  writeFileSync(file, `prediction,reference\n${sentences(4000).map((row) => `${quote(row.prediction)},${quote(row.reference)}`).join('\n')}\n`);
  const expected = cli(file);

  await page.goto('/');
  const { scores, runId } = await evaluateInApp(page, file);
  for (const name of METRICS) expect(Math.abs(scores[name]! - expected.results[name]!.score)).toBeLessThan(1e-9);
  await expect(page.getByRole('table', { name: 'Scores' }).locator('tr[data-metric="bleu"] code.signature')).toHaveText('nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0');
  await expect(page.locator('.skipped')).toHaveText('0 rows skipped');
  // The file is the run's dataset input in the page's IndexedDB, as MLflow records one (its digest cut to 36 characters).
  const inputs = await page.evaluate(async (runId) => {
    const host = document.querySelector('plugboard-app')!.host!;
    return (await (await host.trackingStore()).getRun(runId)).inputs?.datasetInputs;
  }, runId);
  const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  expect(inputs).toEqual([
    {
      dataset: expect.objectContaining({ name: 'pairs.csv', digest: sha256.slice(0, 36), sourceType: 'upload', source: JSON.stringify({ name: 'pairs.csv', bytes: readFileSync(file).length, digest: `sha256:${sha256}` }) }),
      tags: [{ key: 'mlflow.data.context', value: 'evaluation' }],
    },
  ]);

  await page.reload();
  await page.getByRole('tab', { name: 'Runs' }).click();
  const row = page.locator(`tr[data-run="${runId}"]`);
  await expect(row).toBeVisible();
  await expect(page.locator('#chart-runs canvas')).toBeVisible();

  await page.getByRole('button', { name: /^Artifacts of / }).first().click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download data/pairs.csv' }).click()]);
  expect(readFileSync(await download.path()).equals(readFileSync(file))).toBe(true);
  const [results] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download results.json' }).click()]);
  const saved = JSON.parse(readFileSync(await results.path(), 'utf8'));
  expect(saved.provenance.map((record: { name: string }) => record.name)).toEqual(['csv', 'bleu', 'chrf']);
  for (const record of saved.provenance) {
    expect(record.sha384).toMatch(/^sha384-[A-Za-z0-9+/]{64}$/);
    expect(record.version).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  }

  await row.getByRole('button', { name: /^Re-run / }).click();
  await expect(page.locator('p.message')).toContainText('with the same file and plugin bytes: the same scores', { timeout: 30_000 });
});

test('a JSON Lines file gives the CLI’s scores too', async ({ page }) => {
  const file = join(directory, 'pairs.jsonl');
  writeFileSync(file, `${sentences(3000, 11).map((row) => JSON.stringify(row)).join('\n')}\n`);
  const expected = cli(file);
  await page.goto('/');
  const { scores } = await evaluateInApp(page, file);
  for (const name of METRICS) expect(Math.abs(scores[name]! - expected.results[name]!.score)).toBeLessThan(1e-9);
});

test('cancelling a 100 MB evaluation stops it at once, part-way through, and the page can run again', async ({ page }) => {
  test.setTimeout(120_000);
  const file = join(directory, 'big.csv');
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(file);
    out.on('error', reject);
    const block = sentences(2000, 3).map((row) => `"${row.prediction}","${row.reference}"`).join('\n') + '\n';
    out.write('prediction,reference\n');
    for (let written = 0; written < 105 * 1024 * 1024; written += block.length) out.write(block);
    out.end(resolve);
  });
  await page.goto('/');
  await page.getByLabel(/data file/i).setInputFiles(file);
  await page.getByRole('checkbox', { name: 'bleu', exact: true }).check();
  const progress = page.getByRole('progressbar', { name: /progress/i });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(async () => Number(await progress.getAttribute('value') ?? (await progress.evaluate((element: HTMLProgressElement) => element.value))), { timeout: 30_000 }).toBeGreaterThan(0);
  // While the Workers score, the page still answers: a click-free round trip through its event loop settles.
  // How long main-thread tasks take while a file is scored is measured by the benchmark (csv-metrics), not here.
  await page.evaluate(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  await page.waitForTimeout(1_000);
  const before = Number(await progress.evaluate((element: HTMLProgressElement) => element.value));
  expect(before).toBeLessThan(105 * 1024 * 1024);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('status')).toContainText('Cancelled after', { timeout: 2_000 });
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
});

test('a malformed file and a failing plugin each show their message once', async ({ page }) => {
  const file = join(directory, 'short-row.csv');
  writeFileSync(file, 'prediction,reference\na,a\nb,b\nc\n');
  await page.goto(`/?manifest=${encodeURIComponent(`${CDN}/broken.json`)}`);
  await page.getByLabel(/data file/i).setInputFiles(file);
  await page.getByRole('checkbox', { name: 'bleu', exact: true }).check();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const alerts = page.getByRole('alert');
  await expect(alerts).toHaveCount(1);
  await expect(alerts).toContainText('short-row.csv line 4, field “reference”: expected 2 fields');
  await expect(alerts).toContainText('What to do');

  await page.getByRole('checkbox', { name: 'bleu', exact: true }).uncheck();
  await page.getByRole('checkbox', { name: 'throws_at_import', exact: true }).check();
  await page.getByRole('checkbox', { name: /^Skip rows/ }).check();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(alerts).toHaveCount(1);
  await expect(alerts).toContainText('codex_ml.metrics/throws_at_import');
  await expect(alerts).toContainText('stage import');
  expect((await alerts.textContent())!.split('throws_at_import').length - 1).toBe(1);
});

test('while the person picks metrics, a Worker is started and imports the ticked metric before Run is pressed', async ({ page }) => {
  test.setTimeout(60_000);
  const file = join(directory, 'ready.csv');
  writeFileSync(file, `prediction,reference\n${sentences(50).map((row) => `"${row.prediction}","${row.reference}"`).join('\n')}\n`);
  await page.goto('/');
  await page.getByLabel(/data file/i).setInputFiles(file);
  await page.getByRole('checkbox', { name: 'chrf', exact: true }).check();
  // What a Worker fetched shows in its own resource timing: the loader and the metric, with Run not pressed yet.
  const fetchedByWorkers = async () => (await Promise.all(page.workers().map((worker) => worker.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name))))).flat();
  await expect.poll(async () => (await fetchedByWorkers()).map((url) => /\/(?:data-loaders|metrics)\/(csv|chrf)\.[jt]s$/.exec(url)?.[1]).filter(Boolean).sort(), { timeout: 30_000 }).toEqual(['chrf', 'csv']);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('table', { name: 'Scores' }).locator('tr[data-metric="chrf"]')).toBeVisible({ timeout: 30_000 });
});
