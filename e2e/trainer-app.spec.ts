// The Train view in the app: a CSV of text and label uploaded, a head trained on the tiny minilm's frozen
// embeddings in a module Worker (the model from the fixture CDN, a second origin), the scores, run and model
// version shown and kept in IndexedDB; and a long training cancelled mid-way, its Worker gone and its run KILLED.
import { expect, test, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
  // The page's resource list (read below to see where the model ran) keeps only 250 entries unless told otherwise,
  // fewer than the dev server's source modules.
  await page.addInitScript(() => performance.setResourceTimingBufferSize(100_000));
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

/** The scores the view shows, as numbers. */
async function shownScores(page: Page): Promise<{ accuracy: number; f1: number }> {
  const scores = page.getByRole('table', { name: 'Validation scores' });
  await expect(scores).toBeVisible({ timeout: 90_000 });
  const value = async (key: string) => Number(await scores.locator(`tr[data-metric="${key}"] td.value`).getAttribute('data-value'));
  return { accuracy: await value('accuracy'), f1: await value('f1') };
}

/**
 * Reads the run back from IndexedDB: its status, metrics, params and tags, the predictions artifact, and what
 * the accuracy and f1 metric plugins (loaded through the host) compute on those predictions.
 */
async function storedRun(page: Page, runId: string) {
  return page.evaluate(async (runId) => {
    const host = document.querySelector('plugboard-app')!.host!;
    const store = await host.trackingStore();
    const run = await store.getRun(runId);
    const repository = await host.artifactRepository(run.info.artifactUri);
    const lines = (await (await repository.downloadArtifact('predictions/validation.jsonl')).text()).trim().split('\n');
    const rows = lines.map((line) => JSON.parse(line) as { text: string; label: string; prediction: string });
    const score = async (name: string, options: Record<string, unknown>) => {
      const metric = await host.load<{ init(options: unknown): unknown; update(state: unknown, batch: unknown): unknown; finalize(state: unknown): unknown }>('codex_ml.metrics', name);
      return metric.finalize(metric.update(metric.init(options), { predictions: rows.map((row) => row.prediction), references: rows.map((row) => row.label) })) as number;
    };
    const metric = (key: string) => run.data.metrics.find((entry) => entry.key === key)?.value;
    const param = (key: string) => run.data.params.find((entry) => entry.key === key)?.value;
    return {
      status: run.info.status,
      accuracy: metric('accuracy'),
      f1: metric('f1'),
      trainer: param('trainer'),
      scoredRows: param('scored_rows'),
      provenance: run.data.tags.filter((tag) => tag.key.startsWith('plugboard.provenance.codex_ml.metrics.')).map((tag) => tag.key).sort(),
      tags: Object.fromEntries(run.data.tags.map((tag) => [tag.key, tag.value])),
      rows,
      plugins: { accuracy: await score('accuracy', {}), f1: await score('f1', { average: 'macro' }) },
      evalAccuracyPoints: (await store.getMetricHistory(runId, 'eval_accuracy')).length,
    };
  }, runId);
}

/** Accuracy and macro F1 (scikit-learn's, over the labels seen) counted here, by hand, from the rows. */
function countScores(rows: readonly { label: string; prediction: string }[]): { accuracy: number; f1: number } {
  const labels = [...new Set(rows.flatMap((row) => [row.label, row.prediction]))];
  const f1 = labels.map((label) => {
    const tp = rows.filter((row) => row.label === label && row.prediction === label).length;
    const predicted = rows.filter((row) => row.prediction === label).length;
    const actual = rows.filter((row) => row.label === label).length;
    return predicted + actual === 0 ? 0 : (2 * tp) / (predicted + actual);
  });
  return { accuracy: rows.filter((row) => row.label === row.prediction).length / rows.length, f1: f1.reduce((a, b) => a + b, 0) / labels.length };
}

test('a separable CSV trains to at least 95% in a Worker; the accuracy and f1 plugins score the validation predictions into the run', async ({ page }) => {
  test.setTimeout(120_000);
  await openTrain(page, separableCsv('separable.csv', 400, 1), { epochs: 10, head: 'mlp' });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const shown = await shownScores(page);
  expect(shown.accuracy).toBeGreaterThanOrEqual(0.95);
  expect(shown.f1).toBeGreaterThanOrEqual(0.9);
  const progress = page.getByRole('progressbar', { name: /progress/i });
  expect(await progress.evaluate((element: HTMLProgressElement) => element.value === element.max && element.max > 1)).toBe(true);
  const runId = (await page.locator('code.run-id').textContent())!;
  await expect(page.locator('code.model-version')).toHaveText('text-classifier v1');

  const stored = await storedRun(page, runId);
  // The predictions read back score to exactly what the view shows and the run logged, by the plugins and by hand.
  expect(stored.rows).toHaveLength(80);
  expect({ accuracy: stored.accuracy, f1: stored.f1 }).toEqual(shown);
  expect(stored.plugins).toEqual(shown);
  const counted = countScores(stored.rows);
  expect(Math.abs(counted.accuracy - shown.accuracy)).toBeLessThan(1e-12);
  expect(Math.abs(counted.f1 - shown.f1)).toBeLessThan(1e-12);
  expect(stored).toMatchObject({ status: 'FINISHED', trainer: 'functional', scoredRows: '80', evalAccuracyPoints: 10 });
  expect(stored.provenance).toEqual(['plugboard.provenance.codex_ml.metrics.accuracy', 'plugboard.provenance.codex_ml.metrics.f1']);
  // The encoder the Worker loaded from the second origin: each file it read, with the SHA-384 of the fixture's bytes on disk.
  const modelTag = stored.tags['plugboard.provenance.model.functional']!;
  const [encoder] = JSON.parse(modelTag) as { plugin: string; model_name: string; files: Record<string, string> }[];
  expect(encoder).toMatchObject({ plugin: 'minilm', model_name: `${CDN}/models/tiny-minilm` });
  expect(Object.keys(encoder!.files)).toEqual(expect.arrayContaining(['config.json', 'tokenizer.json', 'tokenizer_config.json']));
  expect(Object.keys(encoder!.files).some((file) => file.startsWith('onnx/'))).toBe(true);
  const fixture = new URL('../src/plugins/models/fixtures/tiny-minilm/', import.meta.url);
  for (const [file, digest] of Object.entries(encoder!.files)) expect(digest).toBe(`sha384-${createHash('sha384').update(readFileSync(new URL(file, fixture))).digest('base64')}`);
  // The trainer's and model factory's plugin provenance, as an evaluation run records its plugins': the SHA-384 of the module the Worker ran.
  const plugins = ['codex_ml.trainers.functional', 'codex_ml.models.minilm'].map((key) => JSON.parse(stored.tags[`plugboard.provenance.${key}`]!) as { url: string; sha384: string });
  const served = await page.evaluate(async (urls) => Promise.all(urls.map(async (url) => {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-384', await (await fetch(url)).arrayBuffer()));
    return `sha384-${btoa(String.fromCharCode(...digest))}`;
  })), plugins.map((plugin) => plugin.url));
  expect(plugins.map((plugin) => plugin.sha384)).toEqual(served);
  expect(plugins.map((plugin) => new URL(plugin.url).pathname)).toEqual(['/src/plugins/trainers/functional.ts', '/src/plugins/models/factories.ts']);

  const elsewhere = await page.evaluate(async (runId) => {
    const host = document.querySelector('plugboard-app')!.host!;
    const version = await (await host.modelRegistry()).getModelVersion('text-classifier', 1);
    return {
      versionRun: version.runId,
      versionTags: version.tags,
      // The training ran off the page: no Worker-less fallback exists, and the page never loaded transformers.js.
      pageLoadedTransformers: performance.getEntriesByType('resource').some((entry) => entry.name.includes('transformers')),
    };
  }, runId);
  expect(elsewhere).toEqual({ versionRun: runId, versionTags: [{ key: 'plugboard.provenance.model.functional', value: modelTag }], pageLoadedTransformers: false });
});

test('hf_trainer trains from TrainingArguments fields, lists the arguments it refuses, and refuses one given by name', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto('/#train');
  await page.getByLabel(/file/i).setInputFiles(separableCsv('hf.csv', 300, 4));
  await page.getByRole('combobox', { name: /text/i }).selectOption('sentence');
  await page.getByRole('combobox', { name: /label/i }).selectOption('category');
  await page.getByLabel(/model/i).fill(`${CDN}/models/tiny-minilm`);
  await page.getByRole('combobox', { name: 'Trainer' }).selectOption('hf_trainer');
  await expect(page.getByLabel('Epochs', { exact: true })).toHaveCount(0);
  await page.getByLabel('learning_rate', { exact: true }).fill('0.05');
  await page.getByLabel('num_train_epochs').fill('6');
  await page.getByLabel('per_device_train_batch_size').fill('16');
  await page.getByRole('combobox', { name: 'eval_strategy' }).selectOption('epoch');
  await page.getByLabel('logging_steps').fill('5');
  await page.getByRole('combobox', { name: 'metric_for_best_model' }).selectOption('eval_f1');
  await page.getByLabel('seed', { exact: true }).fill('7');
  await page.getByLabel('seed', { exact: true }).blur();
  // Refused arguments are listed with their reasons.
  await page.getByText('Arguments refused here, by name').click();
  await expect(page.locator('li[data-argument="fp16"]')).toContainText('no half-precision path');
  await expect(page.locator('li[data-argument="gradient_accumulation_steps"]')).toContainText('raise per_device_train_batch_size');

  // One given anyway is refused by name, with its reason, before any run starts.
  await page.getByLabel(/More TrainingArguments/).fill('{"fp16": true}');
  await page.getByLabel(/More TrainingArguments/).blur();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const refused = page.locator('.problem[data-code="TRAINER_UNSUPPORTED_ARGUMENT"]');
  await expect(refused).toBeVisible({ timeout: 90_000 });
  await expect(refused).toContainText('fp16');
  await expect(refused).toContainText('half-precision');
  // Not JSON is named too.
  await page.getByLabel(/More TrainingArguments/).fill('{"fp16": tru');
  await page.getByLabel(/More TrainingArguments/).blur();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.locator('.problem[data-code="TRAINER_BAD_CONFIG"]')).toContainText('not JSON');

  await page.getByLabel(/More TrainingArguments/).fill('{"adam_beta2": 0.98}');
  await page.getByLabel(/More TrainingArguments/).blur();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const shown = await shownScores(page);
  expect(shown.accuracy).toBeGreaterThanOrEqual(0.95);
  const runId = (await page.locator('code.run-id').textContent())!;
  const stored = await storedRun(page, runId);
  expect(stored.plugins).toEqual(shown);
  expect({ accuracy: stored.accuracy, f1: stored.f1 }).toEqual(shown);
  expect(stored).toMatchObject({ status: 'FINISHED', trainer: 'hf_trainer', scoredRows: '60', evalAccuracyPoints: 6 });
  const params = await page.evaluate(async (runId) => {
    const host = document.querySelector('plugboard-app')!.host!;
    const run = await (await host.trackingStore()).getRun(runId);
    return Object.fromEntries(run.data.params.filter((param) => ['learning_rate', 'batch_size', 'seed', 'lr_scheduler', 'epochs'].includes(param.key)).map((param) => [param.key, param.value]));
  }, runId);
  expect(params).toEqual({ learning_rate: '0.05', batch_size: '16', seed: '7', lr_scheduler: 'linear', epochs: '6' });
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

test('the training Worker imports the trainer and model under the manifest’s integrity and refuses bytes that differ', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/package.json'); // a page without Vite's client, so nothing reloads it
  const outcomes = await page.evaluate(async (cdn) => {
    const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
    await import(/* @vite-ignore */ String('/src/ui/pb-trainer.ts'));
    const trainerUrl = new URL('/src/plugins/trainers/functional.ts', location.href).href;
    const modelUrl = new URL('/src/plugins/models/factories.ts', location.href).href;
    const sri = async (bytes: ArrayBuffer) => `sha384-${btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-384', bytes))))}`;
    const served = async (url: string) => sri(await (await fetch(url)).arrayBuffer());
    // The digest of other bytes: what a manifest pins when the module on the server has changed since.
    const changed = async (url: string) => sri(new TextEncoder().encode(`${await (await fetch(url)).text()}\n// changed\n`).buffer);
    const rows = Array.from({ length: 40 }, (_, index) => ({ sentence: index % 2 ? 'model reads file line' : 'browser streams texts words', category: index % 2 ? 'first' : 'second' }));
    const attempt = async (name: string, pins: { trainer: string; model: string }) => {
      const host = await createHost({
        manifests: [{
          url: new URL(`/${name}.json`, location.href).href,
          json: {
            manifestVersion: 1,
            groups: {
              'codex_ml.trainers': { functional: { url: trainerUrl, export: 'functional', api: 'v1', integrity: pins.trainer } },
              'codex_ml.models': { minilm: { url: modelUrl, export: 'minilm', api: 'v1', integrity: pins.model } },
            },
          },
        }],
        onWarning: () => {},
      });
      const view = document.createElement('pb-trainer');
      view.host = host;
      view.trackingUri = `idb://integrity-${name}`;
      view.modelName = `${cdn}/models/tiny-minilm`;
      view.rows = rows;
      view.textColumn = 'sentence';
      view.labelColumn = 'category';
      view.epochs = 2;
      view.registerAs = '';
      document.body.append(view);
      const result = await view.train();
      view.remove();
      const problem = view.problem as { code?: string; url?: string; stage?: string } | undefined;
      return { trained: result !== undefined, scored: view.scores?.rows, code: problem?.code, url: problem?.url, stage: problem?.stage };
    };
    return {
      trainerChanged: await attempt('trainer-changed', { trainer: await changed(trainerUrl), model: await served(modelUrl) }),
      modelChanged: await attempt('model-changed', { trainer: await served(trainerUrl), model: await changed(modelUrl) }),
      bothServed: await attempt('both-served', { trainer: await served(trainerUrl), model: await served(modelUrl) }),
      trainerUrl,
      modelUrl,
    };
  }, CDN);
  expect(outcomes.trainerChanged).toEqual({ trained: false, code: 'INTEGRITY_MISMATCH', url: outcomes.trainerUrl, stage: 'integrity' });
  expect(outcomes.modelChanged).toEqual({ trained: false, code: 'INTEGRITY_MISMATCH', url: outcomes.modelUrl, stage: 'integrity' });
  expect(outcomes.bothServed).toEqual({ trained: true, scored: 8 });
});
