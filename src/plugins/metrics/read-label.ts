// Classification labels as accuracy and f1 accept them: strings, finite numbers or booleans.
import { metricError, showValue } from './metric-error.ts';

/** A class label. */
export type Label = string | number | boolean;

/** Returns `value` when it is a usable class label; throws METRIC_INPUT naming the row otherwise. */
export function readLabel(metric: string, value: unknown, side: 'predictions' | 'references', row: number): Label {
  if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && !Number.isNaN(value))) {
    return value;
  }
  throw metricError(metric, {
    code: 'METRIC_INPUT',
    problem: `row ${row}: a class label must be a string, number or boolean, received ${showValue(value)}.`,
    hint: 'Give every row a label (fill or drop empty cells).',
    field: `${side}[${row}]`,
  });
}

/**
 * Returns a string key that keeps strings and numbers apart (`1` and `"1"` get different keys) while a
 * boolean keys as the number NumPy makes of it (`true` as `1`), so labels compare as scikit-learn's do.
 */
export function labelKey(label: Label): string {
  return typeof label === 'string' ? `s${label}` : `n${Number(label)}`;
}
