import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bleu } from './bleu.ts';
import type { BleuResult } from './bleu.ts';
import { computeMetric } from './compute-metric.ts';
import { expectClose, readFixture } from './fixtures/parity.ts';

// The real FLORES-101/200 models are downloads this project does not ship; the fixture script trains two
// small stand-ins and has sacreBLEU load them in their place, so these cases run sacreBLEU's own SPM path.
const modelOf = (tokenize: string) => fileURLToPath(new URL(`./fixtures/${tokenize}-stand-in.model`, import.meta.url));
const fixture = readFixture<{ score: number; counts: number[]; totals: number[]; signature: string }>('bleu.json');

describe('bleu with the flores tokenizers agrees with sacreBLEU 2.6 on the same SentencePiece models', () => {
  for (const tokenize of ['flores101', 'flores200']) {
    it(`matches corpus_score and the signature on every fixture input with tokenize ${tokenize}`, async () => {
      const cases = fixture.cases.filter((c) => c.options.tokenize === tokenize);
      expect(cases.length).toBeGreaterThan(90);
      const options = { tokenize, spm_model: modelOf(tokenize) };
      for (const { input, expected } of cases) {
        const data = fixture.inputs[input]!;
        const result = (await computeMetric(bleu, data.predictions, data.references, options)) as BleuResult;
        expectClose(result.score, expected.score, `${input} ${tokenize}`);
        expect(result.counts, input).toEqual(expected.counts);
        expect(result.totals, input).toEqual(expected.totals);
        expect(result.signature, input).toBe(expected.signature);
      }
    });
  }
});

describe('bleu flores options', () => {
  it('asks for spm_model with a flores tokenizer, naming sacreBLEU\u2019s model, and refuses it with another tokenizer', () => {
    expect(() => bleu.init({ tokenize: 'flores200' })).toThrowError(
      expect.objectContaining({ code: 'METRIC_OPTION', field: 'options.spm_model', hint: expect.stringContaining('flores200sacrebleuspm') }),
    );
    expect(() => bleu.init({ tokenize: 'intl', spm_model: modelOf('flores101') })).toThrowError(
      expect.objectContaining({ code: 'METRIC_OPTION', field: 'options.spm_model' }),
    );
  });

  it('refuses to start before prepare has loaded the model, and starts after', async () => {
    const options = { tokenize: 'flores101', spm_model: `${modelOf('flores101')}?unprepared` };
    expect(() => bleu.init(options)).toThrowError(expect.objectContaining({ code: 'METRIC_STATE', plugin: 'bleu', hint: expect.stringContaining('prepare') }));
    await expect(bleu.prepare!(options)).rejects.toMatchObject({ code: 'METRIC_OPTION', field: 'options.spm_model' });
    const ready = { tokenize: 'flores101', spm_model: modelOf('flores101') };
    await bleu.prepare!(ready);
    const state = bleu.update(bleu.init(ready), { predictions: ['the cat sat on the mat today'], references: ['the cat sat on the mat today'] });
    expect(bleu.finalize(state).score).toBeCloseTo(100, 9);
  });
});
