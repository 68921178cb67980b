import { describe, expect, it } from 'vitest';
import { computeMetric } from './compute-metric.ts';
import { expectClose, readFixture } from './fixtures/parity.ts';
import { tokenAccuracy } from './token-accuracy.ts';

const fixture = readFixture<number>('token-accuracy.json');

describe('token_accuracy follows its formula (matches over positions whose label is not -100)', () => {
  it.each(fixture.cases.map((c) => [c.input, c] as const))('matches on %s', async (_input, c) => {
    const data = fixture.inputs[c.input]!;
    expectClose(await computeMetric(tokenAccuracy, data.predictions, data.references), c.expected, c.input);
  });
});

describe('token_accuracy edges', () => {
  it('honours ignore_index', async () => {
    expect(await computeMetric(tokenAccuracy, [[1, 2, 3]], [[1, 0, 0]], { ignore_index: 0 })).toBe(1);
  });

  it('throws naming the row when prediction and reference lengths differ', async () => {
    await expect(computeMetric(tokenAccuracy, [[1], [1, 2]], [[1], [1]])).rejects.toMatchObject({
      code: 'METRIC_LENGTH_MISMATCH',
      field: 'references[1]',
    });
  });

  it('throws naming the position of a non-integer id', async () => {
    await expect(computeMetric(tokenAccuracy, [[1, 0.5]], [[1, 1]])).rejects.toMatchObject({ field: 'predictions[0][1]' });
  });
});
