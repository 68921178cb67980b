import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy.ts';
import { computeMetric } from './compute-metric.ts';
import { f1 } from './f1.ts';
import { expectClose, readFixture } from './fixtures/parity.ts';

const accuracyFixture = readFixture<number>('accuracy.json');
const f1Fixture = readFixture<number>('f1.json');

describe('accuracy agrees with scikit-learn accuracy_score', () => {
  it.each(accuracyFixture.cases.map((c) => [c.input, c] as const))('matches on %s', async (_input, c) => {
    const data = accuracyFixture.inputs[c.input]!;
    expectClose(await computeMetric(accuracy, data.predictions, data.references), c.expected, c.input);
  });

  it('returns NaN when there are no rows', async () => {
    expect(await computeMetric(accuracy, [], [])).toBeNaN();
  });

  it('throws naming the row for a missing label', async () => {
    await expect(computeMetric(accuracy, [1, null], [1, 1])).rejects.toMatchObject({ code: 'METRIC_INPUT', field: 'predictions[1]' });
  });
});

describe('f1 agrees with scikit-learn f1_score', () => {
  it.each(f1Fixture.cases.map((c) => [c.input, JSON.stringify(c.options), c] as const))('matches on %s with options %s', async (_input, _key, c) => {
    const data = f1Fixture.inputs[c.input]!;
    expectClose(await computeMetric(f1, data.predictions, data.references, c.options), c.expected, c.input);
  });

  it('throws for average "binary" with more than two labels, naming the option', async () => {
    await expect(computeMetric(f1, [1, 2, 3], [1, 2, 2])).rejects.toMatchObject({ code: 'METRIC_OPTION', field: 'options.average' });
  });

  it('throws when pos_label is not one of two labels present', async () => {
    await expect(computeMetric(f1, ['a', 'b'], ['a', 'a'])).rejects.toMatchObject({ code: 'METRIC_OPTION', field: 'options.pos_label' });
  });

  it('rejects an unknown average listing the choices', () => {
    expect(() => f1.init({ average: 'samples' })).toThrow(/one of "binary", "micro", "macro", "weighted"/);
  });
});
