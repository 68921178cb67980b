import { describe, expect, it } from 'vitest';
import { computeMetric } from './compute-metric.ts';
import { expectClose, readFixture } from './fixtures/parity.ts';
import { rouge } from './rouge.ts';
import type { RougeFMeasures } from './rouge-scores.ts';

const TYPES = ['rouge1', 'rouge2', 'rougeL', 'rougeLsum'] as const;
const fixture = readFixture<RougeFMeasures>('rouge.json');

describe('rouge agrees with rouge_score', () => {
  it.each([
    ['without the stemmer', {}],
    ['with use_stemmer', { use_stemmer: true }],
  ] as const)('matches the mean of score/score_multi F-measures on every fixture input %s', async (_label, options) => {
    const cases = fixture.cases.filter((c) => JSON.stringify(c.options) === JSON.stringify(options));
    expect(cases.length).toBeGreaterThan(90);
    for (const { input, expected, rows } of cases) {
      const data = fixture.inputs[input]!;
      const result = (await computeMetric(rouge, data.predictions, data.references, options)) as RougeFMeasures;
      for (const type of TYPES) expectClose(result[type], expected[type], `${input} ${JSON.stringify(options)} ${type}`);
      // Row by row as well, so a difference cannot hide inside a mean.
      if (input === 'random-corpus' || input === 'edge-corpus') {
        for (let row = 0; row < data.predictions.length; row++) {
          const single = (await computeMetric(rouge, [data.predictions[row]], [data.references[row]], options)) as RougeFMeasures;
          for (const type of TYPES) expectClose(single[type], rows![type]![row]!, `${input} row ${row} ${type}`);
        }
      }
    }
  });
});

describe('rouge inputs', () => {
  it('gives 0 for CJK text, which has no [a-z0-9] tokens', async () => {
    const result = (await computeMetric(rouge, ['我爱你'], ['我爱你'])) as RougeFMeasures;
    expect(result).toEqual({ rouge1: 0, rouge2: 0, rougeL: 0, rougeLsum: 0 });
  });

  it('returns NaN for every type when there are no rows', async () => {
    const result = (await computeMetric(rouge, [], [])) as RougeFMeasures;
    for (const type of TYPES) expect(result[type]).toBeNaN();
  });
});
