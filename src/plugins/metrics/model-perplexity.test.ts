import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PlugboardError } from '../../errors/index.ts';
import { gpt2 } from '../models/index.ts';
import { computeMetric } from './compute-metric.ts';
import { ppl } from './ppl.ts';

const FIXTURES = new URL('../models/fixtures/', import.meta.url);
const MODEL = new URL('tiny-gpt2/', FIXTURES).href;

interface GptReference {
  texts: string[];
  rows: { text: string; input_ids: number[]; next_token_log_probs: number[] }[];
  perplexity: { options: Record<string, unknown>; result: { perplexities: number[]; mean_perplexity: number } }[];
}
const reference = (JSON.parse(await readFile(new URL('reference.json', FIXTURES), 'utf8')) as { 'tiny-gpt2': GptReference })['tiny-gpt2'];

/** Perplexities near the vocabulary size carry float32 rounding of about 1e-7 relative; compare relative to 1e-5. */
function expectRelativelyClose(actual: number, expected: number, where: string): void {
  expect(Math.abs(actual - expected) / Math.abs(expected), where).toBeLessThanOrEqual(1e-5);
}

describe('ppl with model_id (Hugging Face evaluate perplexity)', () => {
  for (const { options, result } of reference.perplexity) {
    it(`gives evaluate's perplexities and mean with ${JSON.stringify(options)}`, async () => {
      const actual = (await computeMetric(ppl, reference.texts, [], { model_id: MODEL, ...options })) as typeof result;
      expect(Object.keys(actual).sort()).toEqual(['mean_perplexity', 'perplexities']);
      expect(actual.perplexities).toHaveLength(result.perplexities.length);
      actual.perplexities.forEach((value, row) => expectRelativelyClose(value, result.perplexities[row]!, `row ${row}`));
      expectRelativelyClose(actual.mean_perplexity, result.mean_perplexity, 'mean');
    });
  }

  it('gives the same result when the rows arrive in batches and halves are merged', async () => {
    const options = { model_id: MODEL, batch_size: 2 };
    const left = ppl.update(ppl.init(options), { predictions: reference.texts.slice(0, 1), references: [] });
    const right = ppl.update(ppl.init(options), { predictions: reference.texts.slice(1), references: [] });
    const merged = (await ppl.finalize(ppl.merge(left, right))) as { perplexities: number[] };
    const whole = (await computeMetric(ppl, reference.texts, [], options)) as { perplexities: number[] };
    expect(merged.perplexities).toEqual(whole.perplexities);
  });

  it('names the row of a prediction that is not a text, and of a text too short to score', async () => {
    expect(() => ppl.update(ppl.init({ model_id: MODEL }), { predictions: ['fine', [-0.5]], references: [] })).toThrowError(
      expect.objectContaining({ code: 'METRIC_INPUT', field: 'predictions[1]' }),
    );
    const short = await computeMetric(ppl, ['every plugin scores', ''], [], { model_id: MODEL }).catch((error: unknown) => error);
    expect(short).toMatchObject({ code: 'METRIC_INPUT', field: 'predictions[1]', plugin: 'ppl' });
    const one = await computeMetric(ppl, ['every plugin scores', 'the'], [], { model_id: MODEL, add_start_token: false }).catch((error: unknown) => error);
    expect(one).toMatchObject({ code: 'METRIC_INPUT', field: 'predictions[1]' });
  });

  it('names model_id when the model cannot be loaded', async () => {
    const error = await computeMetric(ppl, ['a text'], [], { model_id: new URL('no-such-model/', FIXTURES).href }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PlugboardError);
    expect(error).toMatchObject({ code: 'METRIC_OPTION', plugin: 'ppl', field: 'options.model_id' });
    expect((error as PlugboardError).problem).toContain('no-such-model');
  });

  it('refuses a model option without model_id instead of ignoring it', () => {
    expect(() => ppl.init({ batch_size: 4 })).toThrowError(expect.objectContaining({ code: 'METRIC_OPTION', field: 'options.batch_size' }));
    expect(() => ppl.init({ max_length: 8 })).toThrowError(expect.objectContaining({ code: 'METRIC_OPTION', field: 'options.max_length' }));
  });
});

describe('ppl from the model\u2019s token log-probabilities', () => {
  it('takes the log-probabilities PyTorch gives, within 1e-5, and scores them as the log-prob form does', async () => {
    const [model] = await gpt2({ model_name: MODEL });
    const rows: number[][] = [];
    for (const row of reference.rows) {
      const logProbabilities = await model.tokenLogProbabilities(row.input_ids);
      expect(logProbabilities).toHaveLength(row.next_token_log_probs.length);
      logProbabilities.forEach((value, index) => expect(Math.abs(value - row.next_token_log_probs[index]!), `${row.text} ${index}`).toBeLessThanOrEqual(1e-5));
      rows.push(logProbabilities);
    }
    const fromModel = (await computeMetric(ppl, rows, [])) as { mean_per_sequence: number };
    const fromPyTorch = (await computeMetric(ppl, reference.rows.map((row) => row.next_token_log_probs), [])) as { mean_per_sequence: number };
    expectRelativelyClose(fromModel.mean_per_sequence, fromPyTorch.mean_per_sequence, 'mean per sequence');
    // add_start_token false scores exactly these tokens: evaluate's mean_perplexity is the log-prob form's mean_per_sequence.
    const evaluated = reference.perplexity.find((entry) => entry.options['add_start_token'] === false && entry.options['max_length'] === undefined)!;
    expectRelativelyClose(fromPyTorch.mean_per_sequence, evaluated.result.mean_perplexity, 'evaluate mean');
  });
});
