// Metrics that run a model, evaluated through host.evaluate with Workers in Chromium: the model is loaded and
// run in the scoring Worker when the metric finalizes, never on the page's thread, and cancelling then stops it.
// The built plugins come from the fixture CDN (a second origin), the tiny models from the same origin.
import { expect, test } from '@playwright/test';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { CDN } from '../playwright.config.ts';

const reference = JSON.parse(readFileSync(new URL('../src/plugins/models/fixtures/reference.json', import.meta.url), 'utf8'));
const texts = reference['tiny-gpt2'].texts as string[];

// The page's resource list is what shows where the model ran; by default it stops at 250 entries, fewer than the
// dev server's source modules, and a full list would make "the page fetched no model" true for want of looking.
const keepEveryResourceTiming = () => performance.setResourceTimingBufferSize(100_000);

/** Puts a fixture model's files under /mutable/<path>/ on the fixture CDN; resolves with each file's SHA-384 (`sha384-<base64>`) by path. */
async function serveModel(fixture: string, path: string): Promise<Record<string, string>> {
  const folder = new URL(`../src/plugins/models/fixtures/${fixture}/`, import.meta.url);
  const digests: Record<string, string> = {};
  for (const file of [...readdirSync(folder).filter((name) => name.endsWith('.json')), ...readdirSync(new URL('onnx/', folder)).map((name) => `onnx/${name}`)]) {
    const bytes = readFileSync(new URL(file, folder));
    const put = await fetch(`${CDN}/mutable/${path}/${file}`, { method: 'PUT', body: bytes });
    expect(put.status).toBe(204);
    digests[file] = `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
  }
  return digests;
}

test('ppl with model_id through host.evaluate with a Worker: the model runs in the Worker, with the page’s own numbers', async ({ page }) => {
  test.setTimeout(180_000);
  // The model is served from a folder of its own, so this test's downloads do not count in another's.
  const folder = new URL('../src/plugins/models/fixtures/tiny-gpt2/', import.meta.url);
  for (const file of [...readdirSync(folder).filter((name) => name.endsWith('.json')), ...readdirSync(new URL('onnx/', folder)).map((name) => `onnx/${name}`)]) {
    const put = await fetch(`${CDN}/mutable/in-workers/tiny-gpt2/${file}`, { method: 'PUT', body: readFileSync(new URL(file, folder)) });
    expect(put.status).toBe(204);
  }
  await page.addInitScript(keepEveryResourceTiming);
  await page.goto('/package.json'); // a page without Vite's client, so nothing reloads it
  const result = await page.evaluate(
    async ({ cdn, texts }) => {
      const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
      const { createWorkerScorer } = await import(/* @vite-ignore */ String('/src/workers/index.ts'));
      const host = await createHost({ manifests: [`${cdn}/dist/plugins-manifest.json`], scoreInWorkers: createWorkerScorer(), onWarning: () => {} });
      const options = { model_id: `${cdn}/mutable/in-workers/tiny-gpt2`, batch_size: 2 };
      const source = new File([texts.map((text) => JSON.stringify({ text })).join('\n') + '\n'], 'texts.jsonl');
      const inWorkers = await host.evaluate({ source, columns: { prediction: 'text' }, metrics: { ppl: options }, workers: 1, workersRequired: true });
      // What this page fetched or imported while evaluating: no model file and no transformers.js.
      const modelParts = () => performance.getEntriesByType('resource').map((entry) => entry.name).filter((name) => /\/in-workers\/tiny-gpt2\/|transformers/.test(name));
      const pageDuringEvaluation = modelParts();
      const metric = await host.load('codex_ml.metrics', 'ppl');
      const inPage = await metric.finalize(metric.update(metric.init(options), { predictions: texts, references: [] }));
      return { workers: inWorkers.workers, rows: inWorkers.rows, inWorkers: inWorkers.scores.ppl, inPage, pageDuringEvaluation, pageAfterScoringHere: modelParts() };
    },
    { cdn: CDN, texts },
  );
  expect({ workers: result.workers, rows: result.rows }).toEqual({ workers: 1, rows: texts.length });
  expect(result.pageDuringEvaluation).toEqual([]);
  // The same check sees the model when this page itself runs it, so the empty list above is not for want of looking.
  expect(result.pageAfterScoringHere.some((name: string) => name.includes('/in-workers/tiny-gpt2/'))).toBe(true);
  expect(result.pageAfterScoringHere.some((name: string) => name.includes('transformers'))).toBe(true);
  const worker = result.inWorkers as { perplexities: number[]; mean_perplexity: number };
  const here = result.inPage as { perplexities: number[]; mean_perplexity: number };
  expect(worker.perplexities).toHaveLength(texts.length);
  worker.perplexities.forEach((value, row) => expect(Math.abs(value - here.perplexities[row]!)).toBeLessThanOrEqual(1e-9));
  expect(Math.abs(worker.mean_perplexity - here.mean_perplexity)).toBeLessThanOrEqual(1e-9);
  const evaluated = reference['tiny-gpt2'].perplexity.find((entry: { options: Record<string, unknown> }) => entry.options['batch_size'] === 2 && entry.options['max_length'] === undefined).result;
  worker.perplexities.forEach((value, row) => expect(Math.abs(value / evaluated.perplexities[row] - 1)).toBeLessThanOrEqual(1e-5));
});

test('cancelling host.evaluate while ppl’s model loads in the Worker stops the Worker and rejects with the signal’s reason', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(keepEveryResourceTiming);
  await page.goto('/package.json');
  const open = async () => Number(await (await fetch(`${CDN}/__open-held`)).text());
  expect(await open()).toBe(0);
  await page.evaluate(
    async ({ cdn, texts }) => {
      const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
      const { createWorkerScorer } = await import(/* @vite-ignore */ String('/src/workers/index.ts'));
      const host = await createHost({ manifests: [`${cdn}/dist/plugins-manifest.json`], scoreInWorkers: createWorkerScorer(), onWarning: () => {} });
      const source = new File([texts.map((text) => JSON.stringify({ text })).join('\n') + '\n'], 'texts.jsonl');
      const controller = new AbortController();
      // The model's weights are held open by the model host: finalize is under way and cannot finish by itself.
      const evaluation = host.evaluate({ source, columns: { prediction: 'text' }, metrics: { ppl: { model_id: `${cdn}/held-models/tiny-gpt2` } }, workers: 1, workersRequired: true, signal: controller.signal });
      const state = window as unknown as { cancel: () => void; outcome: Promise<string> };
      state.cancel = () => controller.abort();
      // A hang guard only: a cancelled evaluation settles at once.
      state.outcome = Promise.race([
        evaluation.then(() => 'resolved', (error: unknown) => (error as { name?: string }).name ?? String(error)),
        new Promise<string>((resolve) => setTimeout(() => resolve('still running a minute after the abort'), 60_000)),
      ]);
    },
    { cdn: CDN, texts },
  );
  // The weights were asked for (the metric is finalizing), and the answer is still open.
  await expect.poll(open, { timeout: 60_000 }).toBe(1);
  await page.evaluate(() => (window as unknown as { cancel: () => void }).cancel());
  expect(await page.evaluate(() => (window as unknown as { outcome: Promise<string> }).outcome)).toBe('AbortError');
  // The Worker was terminated: its download of the weights was dropped, closing the connection.
  await expect.poll(open, { timeout: 30_000 }).toBe(0);
});

test('embedding_similarity through host.evaluate with a Worker embeds there, with the page’s own numbers; a model that will not load comes back naming the metric, the option and the stage', async ({ page }) => {
  test.setTimeout(180_000);
  const folder = new URL('../src/plugins/models/fixtures/tiny-minilm/', import.meta.url);
  for (const file of [...readdirSync(folder).filter((name) => name.endsWith('.json')), ...readdirSync(new URL('onnx/', folder)).map((name) => `onnx/${name}`)]) {
    const put = await fetch(`${CDN}/mutable/in-workers/tiny-minilm/${file}`, { method: 'PUT', body: readFileSync(new URL(file, folder)) });
    expect(put.status).toBe(204);
  }
  await page.addInitScript(keepEveryResourceTiming);
  await page.goto('/package.json');
  const { predictions, references, scores } = reference['tiny-minilm'].similarity as { predictions: string[]; references: string[]; scores: number[] };
  const result = await page.evaluate(
    async ({ cdn, predictions, references }) => {
      const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
      const { createWorkerScorer } = await import(/* @vite-ignore */ String('/src/workers/index.ts'));
      const host = await createHost({ manifests: [`${cdn}/dist/plugins-manifest.json`], scoreInWorkers: createWorkerScorer(), onWarning: () => {} });
      const source = new File([predictions.map((prediction, row) => JSON.stringify({ prediction, reference: references[row] })).join('\n') + '\n'], 'pairs.jsonl');
      const options = { model_id: `${cdn}/mutable/in-workers/tiny-minilm` };
      const inWorkers = await host.evaluate({ source, metrics: { embedding_similarity: options }, workers: 1, workersRequired: true });
      const failure = await host
        .evaluate({ source, metrics: { embedding_similarity: { model_id: `${cdn}/mutable/in-workers/no-such-model` } }, workers: 1, workersRequired: true })
        .then(
          () => undefined,
          (error: { name?: string; code?: string; plugin?: string; group?: string; field?: string; stage?: string; problem?: string }) => ({ name: error.name, code: error.code, plugin: error.plugin, group: error.group, field: error.field, stage: error.stage, problem: error.problem }),
        );
      const pageDuringEvaluation = performance.getEntriesByType('resource').map((entry) => entry.name).filter((name) => /\/in-workers\/|transformers/.test(name));
      const metric = await host.load('codex_ml.metrics', 'embedding_similarity');
      const inPage = await metric.finalize(metric.update(metric.init(options), { predictions, references }));
      return { workers: inWorkers.workers, inWorkers: inWorkers.scores.embedding_similarity, inPage, failure, pageDuringEvaluation };
    },
    { cdn: CDN, predictions, references },
  );
  expect(result.workers).toBe(1);
  expect(result.pageDuringEvaluation).toEqual([]);
  const worker = result.inWorkers as { score: number; scores: number[] };
  const here = result.inPage as { score: number; scores: number[] };
  expect(worker.scores).toHaveLength(predictions.length);
  worker.scores.forEach((value, row) => expect(Math.abs(value - here.scores[row]!)).toBeLessThanOrEqual(1e-9));
  expect(Math.abs(worker.score - here.score)).toBeLessThanOrEqual(1e-9);
  worker.scores.forEach((value, row) => expect(Math.abs(value - scores[row]!)).toBeLessThanOrEqual(1e-5));
  expect(result.failure).toMatchObject({ name: 'PlugboardError', code: 'METRIC_OPTION', plugin: 'embedding_similarity', group: 'codex_ml.metrics', field: 'options.model_id', stage: 'finalize' });
  expect(result.failure!.problem).toContain('no-such-model');
});

test('an evaluation in a Worker logs a run whose provenance names the model files it ran with their SHA-384, read back from IndexedDB', async ({ page }) => {
  test.setTimeout(180_000);
  const path = `provenance-${Date.now()}`;
  const gpt2 = await serveModel('tiny-gpt2', `${path}/tiny-gpt2`);
  const minilm = await serveModel('tiny-minilm', `${path}/tiny-minilm`);
  const { predictions, references } = reference['tiny-minilm'].similarity as { predictions: string[]; references: string[] };
  await page.goto('/package.json');
  const logged = await page.evaluate(
    async ({ cdn, path, predictions, references }) => {
      const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
      const { createWorkerScorer } = await import(/* @vite-ignore */ String('/src/workers/index.ts'));
      const host = await createHost({ manifests: [`${cdn}/dist/plugins-manifest.json`], scoreInWorkers: createWorkerScorer(), onWarning: () => {} });
      const source = new File([predictions.map((prediction, row) => JSON.stringify({ prediction, reference: references[row] })).join('\n') + '\n'], 'pairs.jsonl');
      const metrics = { ppl: { model_id: `${cdn}/mutable/${path}/tiny-gpt2` }, embedding_similarity: { model_id: `${cdn}/mutable/${path}/tiny-minilm` } };
      const result = await host.evaluate({ source, metrics, workers: 1, workersRequired: true, log: { trackingUri: 'idb:' } });
      // Read back from the page's IndexedDB, as the Runs view would.
      const run = await (await host.trackingStore('idb:')).getRun(result.runId);
      const tags = Object.fromEntries(run.data.tags.map((tag: { key: string; value: string }) => [tag.key, tag.value]));
      const saved = JSON.parse(await (await (await host.artifactRepository(run.info.artifactUri)).downloadArtifact('results.json')).text());
      return { workers: result.workers, pplKeys: Object.keys(result.scores.ppl).sort(), tags, saved };
    },
    { cdn: CDN, path, predictions, references },
  );
  expect(logged.workers).toBe(1);
  expect(logged.pplKeys).toEqual(['mean_perplexity', 'perplexities']);
  const byFile = (model: { files: { file: string; sha384: string }[] }) => Object.fromEntries(model.files.map((file) => [file.file, file.sha384]));
  for (const [metric, folder, digests, plugin] of [['ppl', 'tiny-gpt2', gpt2, 'gpt2'], ['embedding_similarity', 'tiny-minilm', minilm, 'minilm']] as const) {
    const url = `${CDN}/mutable/${path}/${folder}/`;
    const tag = JSON.parse(logged.tags[`plugboard.provenance.model.${metric}`]);
    expect(tag).toEqual([expect.objectContaining({ plugin, folder: url, dtype: 'fp32' })]);
    expect(tag[0].files).toEqual(digests);
    const saved = logged.saved.models[metric];
    expect(saved).toHaveLength(1);
    expect(byFile(saved[0])).toEqual(digests);
    for (const file of saved[0].files) expect(file.url).toBe(`${url}${file.file}`);
  }
});
