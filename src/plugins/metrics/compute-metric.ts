// Runs any metric plugin, accumulator or plain function, over in-memory rows.
import type { Metric, MetricResult } from 'plugboard/sdk';
import { metricError, showValue } from './metric-error.ts';

/** Returns true when `metric` is an accumulator (`init`, `update`, `merge`, `finalize` functions). */
export function isAccumulator(metric: unknown): metric is {
  init(options?: unknown): unknown;
  update(state: unknown, batch: { predictions: readonly unknown[]; references: readonly unknown[] }, options?: unknown): unknown;
  merge(a: unknown, b: unknown, options?: unknown): unknown;
  finalize(state: unknown, options?: unknown): MetricResult;
} {
  if (metric === null || typeof metric !== 'object') return false;
  const shape = metric as Record<string, unknown>;
  return ['init', 'update', 'merge', 'finalize'].every((key) => typeof shape[key] === 'function');
}

/**
 * Computes `metric` over all rows at once, after awaiting its `prepare` when it has one: an accumulator
 * runs init → update (one batch) → finalize, a
 * plain function metric is called with `(predictions, references, options)`; resolves with the result.
 * Rejects with a PlugboardError when `metric` is neither form, and with the metric's own error otherwise.
 */
export async function computeMetric(
  metric: Metric<any, any, any>,
  predictions: readonly unknown[],
  references: readonly unknown[],
  options?: Record<string, unknown>,
): Promise<MetricResult> {
  const prepare = (metric as { prepare?: unknown } | null)?.prepare;
  if (typeof prepare === 'function') await (prepare as (options?: Record<string, unknown>) => Promise<void>).call(metric, options);
  if (typeof metric === 'function') return await metric(predictions, references, options);
  if (isAccumulator(metric)) {
    const state = metric.update(metric.init(options), { predictions, references }, options);
    return metric.finalize(state, options);
  }
  const name = (metric as { name?: unknown } | null)?.name;
  throw metricError(typeof name === 'string' ? name : 'metric', {
    code: 'METRIC_STATE',
    problem: `expected a metric function or an accumulator with init, update, merge and finalize, received ${showValue(metric)}.`,
    hint: 'Pass a metric plugin as defineMetric returns it.',
  });
}
