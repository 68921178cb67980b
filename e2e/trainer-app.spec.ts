// The Train view in the app: a CSV of text and label uploaded, a head trained on the tiny minilm's frozen
// embeddings in a module Worker (the model from the fixture CDN, a second origin), the scores, run and model
// version shown and kept in IndexedDB; and a long training cancelled mid-way, its Worker gone and its run KILLED.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CDN } from '../playwright.config.ts';

const directory = mkdtempSync(join(tmpdir(), 'plugboard-train-'));
// Words the tiny minilm's tokenizer knows whole; a row's words come from one set, and the set is its label.
const FIRST = ['model', 'reads', 'file', 'line', 'rows', 'whole'];
const SECOND = ['browser', 'streams', 'texts', 'words', 'network', 'short'];

/** Writes a separable CSV of `count` rows (a seeded generator, so every run trains on the same file). */
function separableCsv(name: string, count: number, seed: number): string {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = Array.from({ length: count }, () => {
    const label = next() < 0.5 ? 'first' : 'second';
    const words = label === 'first' ? FIRST : SECOND;
    return `${Array.from({ length: 3 + Math.floor(next() * 4) }, () => words[Math.floor(next() * words.length)]).join(' ')},${label}`;
  });
  const file = join(directory, name);
  writeFileSync(file, `sentence,category\n${lines.join('\n')}\n`);
  return file;
}

async function openTrain(page: Page, file: string, settings: { epochs: number; head: string }): Promise<void> {
  await page.goto('/#train');
  await page.getByLabel(/file/i).setInputFiles(file);
  await page.getByRole('combobox', { name: /text/i }).selectOption('sentence');
  await page.getByRole('combobox', { name: /label/i }).selectOption('category');
  await page.getByLabel(/model/i).fill(`${CDN}/models/tiny-minilm`);
  await page.getByRole('combobox', { name: /head/i }).selectOption(settings.head);
  await page.getByLabel('Epochs').fill(String(settings.epochs));
  await page.getByLabel('Batch size').fill('16');
  await page.getByLabel('Learning rate').fill('0.05');
  await page.getByLabel('Seed').fill('3');
  await page.getByLabel('Seed').blur();
}

test('a separable CSV trains to at least 95% validation accuracy in a Worker; the run and model version are in the stores', async ({ page }) => {
  test.setTimeout(120_000);
  await openTrain(page, separableCsv('separable.csv', 400, 1), { epochs: 10, head: 'mlp' });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const scores = page.getByRole('table', { name: 'Validation scores' });
  await expect(scores).toBeVisible({ timeout: 90_000 });
  const accuracy = Number(await scores.locator('tr[data-metric="eval_accuracy"] td.value').getAttribute('data-value'));
  const f1 = Number(await scores.locator('tr[data-metric="eval_f1"] td.value').getAttribute('data-value'));
  expect(accuracy).toBeGreaterThanOrEqual(0.95);
  expect(f1).toBeGreaterThanOrEqual(0.9);
  const progress = page.getByRole('progressbar', { name: /progress/i });
  expect(await progress.evaluate((element: HTMLProgressElement) => element.value === element.max && element.max > 1)).toBe(true);
  const runId = (await page.locator('code.run-id').textContent())!;
  await expect(page.locator('code.model-version')).toHaveText('text-classifier v1');

  const stored = await page.evaluate(async (runId) => {
    const host = document.querySelector('plugboard-app')!.host!;
    const store = await host.trackingStore();
    const run = await store.getRun(runId);
    const version = await (await host.modelRegistry()).getModelVersion('text-classifier', 1);
    return {
      status: run.info.status,
      accuracy: run.data.metrics.find((metric) => metric.key === 'eval_accuracy')?.value,
      epochs: (await store.getMetricHistory(runId, 'eval_accuracy')).length,
      versionRun: version.runId,
      // The training ran off the page: no Worker-less fallback exists, and the page never loaded transformers.js.
      pageLoadedTransformers: performance.getEntriesByType('resource').some((entry) => entry.name.includes('transformers')),
    };
  }, runId);
  expect(stored).toEqual({ status: 'FINISHED', accuracy, epochs: 10, versionRun: runId, pageLoadedTransformers: false });
});

test('Cancel terminates the training Worker at once: progress stops, the run ends KILLED, the error says so', async ({ page }) => {
  test.setTimeout(120_000);
  await openTrain(page, separableCsv('long.csv', 2000, 2), { epochs: 500, head: 'softmax_regression' });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const progress = page.getByRole('progressbar', { name: /progress/i });
  const value = () => progress.evaluate((element: HTMLProgressElement) => element.value);
  await expect.poll(value, { timeout: 90_000 }).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(page.locator('.problem[data-code="TRAINER_CANCELLED"]')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel', exact: true })).toBeDisabled();
  const stopped = await value();
  await page.waitForTimeout(1000);
  expect(await value()).toBe(stopped);
  const runs = await page.evaluate(async () => {
    const host = document.querySelector('plugboard-app')!.host!;
    const page = await (await host.trackingStore()).searchRuns({ experimentIds: ['0'], filter: "attributes.run_name = 'train long.csv'" });
    return page.runs.map((run) => run.info.status);
  });
  expect(runs).toEqual(['KILLED']);
});
