// The model factories and the metrics that use them, in Chromium: the built plugins come from the fixture
// CDN (a second origin) through the manifest, the tiny models from the same origin acting as a model host,
// ONNX Runtime's WebAssembly from the build's own ort/ folder; every number agrees with PyTorch.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { CDN } from '../playwright.config.ts';

const reference = JSON.parse(readFileSync(new URL('../src/plugins/models/fixtures/reference.json', import.meta.url), 'utf8'));

test('gpt2, minilm, ppl and embedding_similarity give the PyTorch numbers in a page, with model files cached', async ({ page }) => {
  test.setTimeout(300_000); // five model loads in one page; minutes on a loaded machine
  await page.goto('/package.json'); // a page without Vite's client, so nothing reloads it
  const result = await page.evaluate(
    async ({ cdn, texts, encoderTexts, pairs }) => {
      const { createHost } = await import(/* @vite-ignore */ String('/src/index.ts'));
      const host = await createHost({ manifests: [`${cdn}/dist/plugins-manifest.json`], onWarning: () => {} });
      const gpt2 = await host.load('codex_ml.models', 'gpt2');
      const minilm = await host.load('codex_ml.models', 'minilm');
      const [model, tokenizer] = await gpt2({ model_name: `${cdn}/models/tiny-gpt2` });
      const rows: { ids: number[]; logits: number[]; logProbabilities: number[] }[] = [];
      for (const text of texts) {
        const ids = tokenizer.encode(text, { addSpecialTokens: false });
        const { logits } = await model.forward([ids], [ids.map(() => 1)]);
        rows.push({ ids, logits: Array.from(logits), logProbabilities: await model.tokenLogProbabilities(ids) });
      }
      const [encoder] = await minilm({ model_name: `${cdn}/models/tiny-minilm` });
      const embeddings = await encoder.embed(encoderTexts);
      const run = async (name: string, predictions: unknown[], references: unknown[], options: Record<string, unknown>) => {
        const metric = await host.load('codex_ml.metrics', name);
        return metric.finalize(metric.update(metric.init(options), { predictions, references }));
      };
      const perplexity = await run('ppl', texts, [], { model_id: `${cdn}/models/tiny-gpt2`, batch_size: 2 });
      const similarity = await run('embedding_similarity', pairs.predictions, pairs.references, { model_id: `${cdn}/models/tiny-minilm` });
      const [again] = await gpt2({ model_name: `${cdn}/models/tiny-gpt2` });
      return { rows, embeddings, perplexity, similarity, first: model.provenance, again: again.provenance };
    },
    { cdn: CDN, texts: reference['tiny-gpt2'].texts as string[], encoderTexts: reference['tiny-minilm'].texts as string[], pairs: reference['tiny-minilm'].similarity },
  );

  const within = (actual: number[], expected: number[], tolerance = 1e-5) => {
    expect(actual).toHaveLength(expected.length);
    return Math.max(...actual.map((value, index) => Math.abs(value - expected[index]!))) <= tolerance;
  };
  reference['tiny-gpt2'].rows.forEach((row: { input_ids: number[]; logits: number[][]; next_token_log_probs: number[] }, index: number) => {
    expect(result.rows[index]!.ids).toEqual(row.input_ids);
    expect(within(result.rows[index]!.logits, row.logits.flat())).toBe(true);
    expect(within(result.rows[index]!.logProbabilities, row.next_token_log_probs)).toBe(true);
  });
  expect(result.embeddings).toHaveLength(reference['tiny-minilm'].texts.length);
  result.embeddings.forEach((vector: number[], index: number) => expect(within(vector, reference['tiny-minilm'].embeddings[index])).toBe(true));
  const evaluated = reference['tiny-gpt2'].perplexity.find((entry: { options: Record<string, unknown> }) => entry.options['batch_size'] === 2 && entry.options['max_length'] === undefined).result;
  const relative = (actual: number[], expected: number[]) => within(actual.map((value, index) => value / expected[index]!), expected.map(() => 1));
  expect(relative(result.perplexity.perplexities, evaluated.perplexities)).toBe(true);
  expect(within(result.similarity.scores, reference['tiny-minilm'].similarity.scores)).toBe(true);

  // The page asked the model host once per file: the second load came from the Cache API, same digests.
  expect(result.first.dtype).toBe('fp32');
  expect(result.again.files.map((file: { file: string; cached: boolean }) => [file.file, file.cached])).toEqual(result.first.files.map((file: { file: string }) => [file.file, true]));
  expect(result.again.files.map((file: { sha256: string }) => file.sha256)).toEqual(result.first.files.map((file: { sha256: string }) => file.sha256));
  const requests = await (await fetch(`${CDN}/__requests?url=${encodeURIComponent('/models/tiny-gpt2/onnx/model.onnx')}`)).json();
  expect(requests).toBe(1);
  // ONNX Runtime's WebAssembly came from the build, not from a public CDN.
  const wasm = await (await fetch(`${CDN}/__requests?url=${encodeURIComponent('/dist/ort/ort-wasm-simd-threaded.asyncify.wasm')}`)).json();
  expect(wasm).toBeGreaterThanOrEqual(1);
});

test('ppl and embedding_similarity run whole in a module Worker, with the PyTorch numbers', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/package.json');
  const { predictions, references, scores } = reference['tiny-bert'].similarity;
  const requests = [
    { metric: 'ppl', exportName: 'ppl', predictions: reference['tiny-gpt2'].texts, references: [], options: { model_id: `${CDN}/models/tiny-gpt2`, batch_size: 3 } },
    { metric: 'embedding-similarity', exportName: 'embeddingSimilarity', predictions, references, options: { model: 'bert_base_uncased', model_id: `${CDN}/models/tiny-bert` } },
  ];
  // One Worker answers both, one after the other, as a page's scoring Worker would.
  const [perplexity, similarity] = await page.evaluate(async ({ dist, requests }) => {
    const worker = new Worker('/e2e/workers/model-metrics-worker.ts', { type: 'module' });
    const ask = (message: unknown) =>
      new Promise<{ result?: unknown; error?: string; inWorker?: boolean }>((resolve) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => resolve({ error: event.message });
        worker.postMessage(message);
      });
    try {
      const answers = [];
      for (const request of requests) answers.push(await ask({ dist, ...request }));
      return answers;
    } finally {
      worker.terminate();
    }
  }, { dist: `${CDN}/dist/`, requests });
  expect(perplexity!.error, JSON.stringify(perplexity)).toBeUndefined();
  expect(perplexity!.inWorker).toBe(true);
  const evaluated = reference['tiny-gpt2'].perplexity.find((entry: { options: Record<string, unknown> }) => entry.options['add_start_token'] === true && entry.options['max_length'] === undefined).result;
  (perplexity!.result as { perplexities: number[] }).perplexities.forEach((value, row) => expect(Math.abs(value / evaluated.perplexities[row] - 1)).toBeLessThanOrEqual(1e-5));
  expect(similarity!.error, JSON.stringify(similarity)).toBeUndefined();
  (similarity!.result as { scores: number[] }).scores.forEach((value, row) => expect(Math.abs(value - scores[row])).toBeLessThanOrEqual(1e-5));
});
