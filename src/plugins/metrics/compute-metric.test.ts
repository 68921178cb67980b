import { describe, expect, it } from 'vitest';
import { defineMetric } from 'plugboard/sdk';
import { accuracy } from './accuracy.ts';
import { computeMetric, isAccumulator } from './compute-metric.ts';

describe('computeMetric', () => {
  it('runs an accumulator through init, update and finalize', async () => {
    expect(await computeMetric(accuracy, ['a', 'b', 'c', 'd'], ['a', 'b', 'x', 'd'])).toBe(0.75);
  });

  it('calls a plain function metric with predictions, references and options', async () => {
    const length = defineMetric((predictions: readonly unknown[], _references: readonly unknown[], options?: { scale?: number }) => predictions.length * (options?.scale ?? 1));
    expect(await computeMetric(length, [1, 2, 3], [1, 2, 3], { scale: 2 })).toBe(6);
  });

  it('rejects something that is neither form with a PlugboardError', async () => {
    await expect(computeMetric({ init() {} } as never, [], [])).rejects.toMatchObject({ code: 'METRIC_STATE', group: 'codex_ml.metrics' });
    expect(isAccumulator({ init() {} })).toBe(false);
  });
});
