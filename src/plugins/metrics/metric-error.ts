// Builds the errors the metric plugins throw: always a PlugboardError stamped with the metrics group and
// the metric's name, naming the option or row that was wrong and what to do.
import { PlugboardError } from 'plugboard/sdk';

/** The stable group every built-in metric belongs to. */
export const METRICS_GROUP = 'codex_ml.metrics';

/** What a metric error knows at its throw site. */
export interface MetricErrorFields {
  code: 'METRIC_OPTION' | 'METRIC_INPUT' | 'METRIC_LENGTH_MISMATCH' | 'METRIC_STATE';
  problem: string;
  hint: string;
  field?: string;
}

/** Returns a PlugboardError for `metric` with the group, plugin name and the given fields filled in. */
export function metricError(metric: string, fields: MetricErrorFields): PlugboardError {
  return new PlugboardError({ group: METRICS_GROUP, plugin: metric, ...fields });
}

/** Describes a value in a message: strings quoted and cut at 40 characters, others by JSON or kind. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}
