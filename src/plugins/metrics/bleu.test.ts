import { describe, expect, it } from 'vitest';
import { PlugboardError } from '../../errors/index.ts';
import { bleu } from './bleu.ts';
import { computeMetric } from './compute-metric.ts';
import { expectClose, readFixture } from './fixtures/parity.ts';
import type { BleuResult } from './bleu.ts';

interface Expected {
  score?: number;
  counts?: number[];
  totals?: number[];
  precisions?: number[];
  bp?: number;
  sys_len?: number;
  ref_len?: number;
  sentences?: number[];
  signature?: string;
}

const fixture = readFixture<Expected>('bleu.json');
// The flores tokenizers need a SentencePiece model loaded first; bleu-flores.test.ts covers them.
const optionSets = [...new Map(fixture.cases.map((c) => [JSON.stringify(c.options), c.options])).values()].filter(
  (options) => !String(options.tokenize).startsWith('flores'),
);

describe('bleu agrees with sacreBLEU', () => {
  it.each(optionSets.map((options) => [JSON.stringify(options), options] as const))(
    'matches corpus_score / sentence_bleu on every fixture input with options %s',
    async (key, options) => {
      const cases = fixture.cases.filter((c) => JSON.stringify(c.options) === key);
      expect(cases.length).toBeGreaterThan(90);
      for (const { input, expected } of cases) {
        const data = fixture.inputs[input]!;
        const result = (await computeMetric(bleu, data.predictions, data.references, options)) as BleuResult;
        const where = `${input} ${key}`;
        if (expected.sentences !== undefined) {
          expect(result.sentences?.length, where).toBe(expected.sentences.length);
          expected.sentences.forEach((score, row) => expectClose(result.sentences?.[row], score, `${where} row ${row}`));
          continue;
        }
        expectClose(result.score, expected.score!, `${where} score`);
        expectClose(result.bp, expected.bp!, `${where} bp`);
        expect(result.sys_len, where).toBe(expected.sys_len);
        expect(result.ref_len, where).toBe(expected.ref_len);
        expect(result.counts, where).toEqual(expected.counts);
        expect(result.totals, where).toEqual(expected.totals);
        expect(result.signature, where).toBe(expected.signature);
        expected.precisions!.forEach((p, n) => expectClose(result.precisions[n], p, `${where} precision ${n + 1}`));
      }
    },
  );
});

describe('bleu inputs and options', () => {
  it('keeps an empty string as a zero-length reference and drops null references', async () => {
    const result = (await computeMetric(bleu, ['a dog', 'the cat sat'], ['', ['the cat sat', null]])) as BleuResult;
    expect(result.ref_len).toBe(3);
    expect(result.sys_len).toBe(5);
  });

  it('throws naming the row when a row has no reference left', async () => {
    const run = computeMetric(bleu, ['the cat', 'a dog'], ['the cat', [null, null]]);
    await expect(run).rejects.toBeInstanceOf(PlugboardError);
    await expect(run).rejects.toMatchObject({ code: 'METRIC_INPUT', plugin: 'bleu', field: 'references[1]' });
  });

  it('throws naming the option and the valid choices for an unknown tokenizer', () => {
    expect(() => bleu.init({ tokenize: 'ja-mecab' })).toThrow(/"tokenize" must be one of "13a", "none", "intl", "zh", "char"/);
  });

  it('throws listing the valid options for an unknown option', () => {
    expect(() => bleu.init({ smoothing: 'exp' })).toThrowError(
      expect.objectContaining({
        code: 'METRIC_OPTION',
        group: 'codex_ml.metrics',
        plugin: 'bleu',
        field: 'options.smoothing',
        problem: 'unknown option "smoothing".',
        hint: expect.stringContaining('Valid options: lowercase, tokenize, smooth_method'),
      }),
    );
  });

  it('throws METRIC_LENGTH_MISMATCH when predictions and references differ in length', () => {
    expect(() => bleu.update(bleu.init(), { predictions: ['a', 'b'], references: ['a'] })).toThrowError(
      expect.objectContaining({ code: 'METRIC_LENGTH_MISMATCH', group: 'codex_ml.metrics' }),
    );
  });
});
