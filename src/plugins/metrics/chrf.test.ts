import { describe, expect, it } from 'vitest';
import { chrf } from './chrf.ts';
import { computeMetric } from './compute-metric.ts';
import { expectClose, readFixture } from './fixtures/parity.ts';

const fixture = readFixture<{ score: number; signature: string }>('chrf.json');
const optionSets = [...new Map(fixture.cases.map((c) => [JSON.stringify(c.options), c.options])).values()];

describe('chrf agrees with sacreBLEU CHRF', () => {
  it.each(optionSets.map((options) => [JSON.stringify(options), options] as const))(
    'matches corpus_score on every fixture input with options %s',
    async (key, options) => {
      const cases = fixture.cases.filter((c) => JSON.stringify(c.options) === key);
      expect(cases.length).toBeGreaterThan(90);
      for (const { input, expected } of cases) {
        const data = fixture.inputs[input]!;
        const result = (await computeMetric(chrf, data.predictions, data.references, options)) as { score: number; signature: string };
        expectClose(result.score, expected.score, `${input} ${key}`);
        expect(result.signature, `${input} ${key}`).toBe(expected.signature);
      }
    },
  );
});

describe('chrf inputs and options', () => {
  it('counts character n-grams over code points, so an astral character is one character', async () => {
    const result = (await computeMetric(chrf, ['\u{1F600}x'], ['\u{1F600}y'])) as { score: number };
    // Unigrams match 1 of 2 on each side; no 2-gram matches: P = R = (1/2 + 0) / 2.
    expectClose(result.score, 25, 'astral');
  });

  it('rejects a negative char_order naming the option', () => {
    expect(() => chrf.init({ char_order: -1 })).toThrowError(expect.objectContaining({ code: 'METRIC_OPTION', field: 'options.char_order' }));
  });
});
