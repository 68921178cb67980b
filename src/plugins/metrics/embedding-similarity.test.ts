import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { computeMetric } from './compute-metric.ts';
import { embeddingSimilarity } from './embedding-similarity.ts';

const FIXTURES = new URL('../models/fixtures/', import.meta.url);

interface EncoderReference {
  similarity: { predictions: string[]; references: string[]; scores: number[]; mean: number };
}
const reference = JSON.parse(await readFile(new URL('reference.json', FIXTURES), 'utf8')) as Record<'tiny-bert' | 'tiny-minilm', EncoderReference>;

describe('embedding_similarity', () => {
  for (const [model, fixture] of [['minilm', 'tiny-minilm'], ['bert_base_uncased', 'tiny-bert']] as const) {
    it(`${model}: gives the cosine similarities PyTorch gives per row and their mean, within 1e-5`, async () => {
      const { predictions, references, scores, mean } = reference[fixture].similarity;
      const result = (await computeMetric(embeddingSimilarity, predictions, references, { model, model_id: new URL(`${fixture}/`, FIXTURES).href, batch_size: 2 })) as { score: number; scores: number[] };
      expect(result.scores).toHaveLength(scores.length);
      result.scores.forEach((value, row) => expect(Math.abs(value - scores[row]!), `row ${row}`).toBeLessThanOrEqual(1e-5));
      expect(Math.abs(result.score - mean)).toBeLessThanOrEqual(1e-5);
    });
  }

  it('gives NaN with no rows, without loading a model', async () => {
    expect(await computeMetric(embeddingSimilarity, [], [], { model_id: 'https://unreachable.invalid/model' })).toEqual({ score: Number.NaN, scores: [] });
  });

  it('names the row and field of a value that is not a text', () => {
    const state = embeddingSimilarity.init();
    expect(() => embeddingSimilarity.update(state, { predictions: ['a'], references: [3] })).toThrowError(expect.objectContaining({ code: 'METRIC_INPUT', field: 'references[0]' }));
  });

  it('names the option when the encoder cannot be loaded', async () => {
    const error = await computeMetric(embeddingSimilarity, ['a'], ['b'], { model_id: new URL('tiny-nothing/', FIXTURES).href }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'METRIC_OPTION', plugin: 'embedding_similarity', field: 'options.model_id' });
  });
});
