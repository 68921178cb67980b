import { describe, expect, it } from 'vitest';
import { computeMetric } from './compute-metric.ts';
import { expectClose, readFixture } from './fixtures/parity.ts';
import { ppl } from './ppl.ts';
import type { PplResult } from './ppl.ts';

const fixture = readFixture<PplResult>('ppl.json');

describe('ppl follows its formula (exp of the mean NLL, computed with math.fsum)', () => {
  it.each(fixture.cases.map((c) => [c.input, c] as const))('matches on %s', async (_input, c) => {
    const data = fixture.inputs[c.input]!;
    const result = (await computeMetric(ppl, data.predictions, [])) as PplResult;
    const scale = (value: number) => 1e-9 * Math.max(1, Math.abs(value));
    expectClose(result.score, c.expected.score, `${c.input} score`, scale(c.expected.score));
    expectClose(result.mean_per_sequence, c.expected.mean_per_sequence, `${c.input} mean_per_sequence`, scale(c.expected.mean_per_sequence));
    expectClose(result.nll, c.expected.nll, `${c.input} nll`);
    expect(result.tokens).toBe(c.expected.tokens);
  });
});

describe('ppl edges', () => {
  it('returns NaN, not 1, when there are no tokens', async () => {
    const result = (await computeMetric(ppl, [[], []], [])) as PplResult;
    expect(result.score).toBeNaN();
    expect(result.tokens).toBe(0);
  });

  it('gives Infinity when a token has log-probability -Infinity', async () => {
    const result = (await computeMetric(ppl, [[-0.5, Number.NEGATIVE_INFINITY]], [])) as PplResult;
    expect(result.score).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects a positive value naming the row and token', async () => {
    await expect(computeMetric(ppl, [[-0.1], [-0.2, 2.3]], [])).rejects.toMatchObject({ code: 'METRIC_INPUT', field: 'predictions[1][1]' });
  });
});
