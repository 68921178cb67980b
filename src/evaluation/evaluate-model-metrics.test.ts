import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createHost } from '../host/index.ts';
import { sourceEnvironment } from '../host/source-environment.test-helpers.ts';
import type { EvaluationResult } from './index.ts';

const FIXTURES = new URL('../plugins/models/fixtures/', import.meta.url);
const reference = JSON.parse(readFileSync(new URL('reference.json', FIXTURES), 'utf8')) as {
  'tiny-gpt2': { texts: string[] };
  'tiny-minilm': { similarity: { predictions: string[]; references: string[] } };
};
/** The files transformers.js reads of a model folder, with the SHA-384 of each as it lies on disk. */
function digestsOnDisk(fixture: string): Record<string, string> {
  const files = ['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json'];
  return Object.fromEntries(files.map((file) => [file, `sha384-${createHash('sha384').update(readFileSync(new URL(`${fixture}/${file}`, FIXTURES))).digest('base64')}`]));
}

/** Evaluates `source` with `metrics`, logged to a fresh IndexedDB store, and reads the run back: its tags and results.json. */
async function evaluateAndReadRun(source: File, metrics: Record<string, Record<string, unknown>>, columns?: { prediction: string }) {
  const host = await createHost({ environment: sourceEnvironment() });
  const uri = `idb://models-${Math.random().toString(36).slice(2)}`;
  const result = await host.evaluate({ source, metrics, ...(columns ? { columns: { ...columns, reference: 'reference' } } : {}), log: { trackingUri: uri } });
  const run = await (await host.trackingStore(uri)).getRun(result.runId!);
  const tags = Object.fromEntries(run.data.tags.map((tag) => [tag.key, tag.value]));
  const saved = JSON.parse(await (await (await host.artifactRepository(run.info.artifactUri)).downloadArtifact('results.json')).text()) as EvaluationResult;
  return { result, tags, saved };
}

describe('host.evaluate with a metric that runs a model', () => {
  it('records the tiny GPT-2 ppl ran — folder, dtype and each file with the SHA-384 of its bytes — in the result and the run, keeping evaluate’s result keys', { timeout: 60_000 }, async () => {
    const folder = new URL('tiny-gpt2/', FIXTURES).href;
    const texts = reference['tiny-gpt2'].texts;
    const source = new File([texts.map((text) => JSON.stringify({ text })).join('\n') + '\n'], 'texts.jsonl');
    const { result, tags, saved } = await evaluateAndReadRun(source, { ppl: { model_id: folder, batch_size: 2 } }, { prediction: 'text' });

    expect(Object.keys(result.scores['ppl']!).sort()).toEqual(['mean_perplexity', 'perplexities']);
    const expected = digestsOnDisk('tiny-gpt2');
    expect(Object.keys(result.models)).toEqual(['ppl']);
    const [model, ...others] = result.models['ppl']!;
    expect(others).toEqual([]);
    expect(model).toMatchObject({ plugin: 'gpt2', model_name: folder, folder, dtype: 'fp32', revision: 'main' });
    expect(Object.fromEntries(model!.files.map((file) => [file.file, file.sha384]))).toEqual(expected);
    for (const file of model!.files) expect(file.url).toBe(new URL(file.file, folder).href);

    expect(JSON.parse(tags['plugboard.provenance.model.ppl']!)).toEqual([{ plugin: 'gpt2', model_name: folder, folder, revision: 'main', dtype: 'fp32', device: 'auto', files: expected }]);
    expect(saved.models).toEqual(result.models);
    expect(Object.keys(saved.scores['ppl']!).sort()).toEqual(['mean_perplexity', 'perplexities']);
  });

  it('records the tiny MiniLM embedding_similarity ran, each file with the SHA-384 of its bytes, in the result and the run', { timeout: 60_000 }, async () => {
    const folder = new URL('tiny-minilm/', FIXTURES).href;
    const { predictions, references } = reference['tiny-minilm'].similarity;
    const source = new File([predictions.map((prediction, row) => JSON.stringify({ prediction, reference: references[row] })).join('\n') + '\n'], 'pairs.jsonl');
    const { result, tags, saved } = await evaluateAndReadRun(source, { embedding_similarity: { model_id: folder } });

    expect(Object.keys(result.scores['embedding_similarity']!).sort()).toEqual(['score', 'scores']);
    const expected = digestsOnDisk('tiny-minilm');
    expect(result.models['embedding_similarity']).toHaveLength(1);
    const model = result.models['embedding_similarity']![0]!;
    expect(model).toMatchObject({ plugin: 'minilm', model_name: folder, folder, dtype: 'fp32' });
    expect(Object.fromEntries(model.files.map((file) => [file.file, file.sha384]))).toEqual(expected);
    expect(JSON.parse(tags['plugboard.provenance.model.embedding_similarity']!)[0].files).toEqual(expected);
    expect(saved.models).toEqual(result.models);
  });

  it('records no model, and sets no model tag, for metrics that run none', async () => {
    const source = new File(['prediction,reference\na,a\nb,c\n'], 'pairs.csv');
    const { result, tags, saved } = await evaluateAndReadRun(source, { exact_match: {} });
    expect(result.models).toEqual({});
    expect(saved.models).toEqual({});
    expect(Object.keys(tags).filter((key) => key.startsWith('plugboard.provenance.model.'))).toEqual([]);
  });
});
