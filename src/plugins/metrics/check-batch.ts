// Checks the shape of a batch before a metric folds it in, so a bad row is named rather than misread.
import { metricError, showValue } from './metric-error.ts';

/** A batch as the metrics receive it. */
export interface RowBatch {
  predictions: readonly unknown[];
  references: readonly unknown[];
}

/**
 * Checks that `batch` has `predictions` and `references` arrays of equal length (references may be
 * absent when `needsReferences` is false); throws METRIC_INPUT or METRIC_LENGTH_MISMATCH otherwise.
 */
export function checkBatch(metric: string, batch: unknown, needsReferences = true): RowBatch {
  const shape = batch as { predictions?: unknown; references?: unknown } | null;
  if (shape === null || typeof shape !== 'object' || !Array.isArray(shape.predictions)) {
    throw metricError(metric, {
      code: 'METRIC_INPUT',
      problem: `a batch must be { predictions: [...], references: [...] }, received predictions ${showValue(shape?.predictions)}.`,
      hint: 'Pass one array element per row in predictions and in references.',
      field: 'predictions',
    });
  }
  const predictions = shape.predictions as unknown[];
  if (!needsReferences && (shape.references === undefined || shape.references === null)) {
    return { predictions, references: [] };
  }
  if (!Array.isArray(shape.references)) {
    throw metricError(metric, {
      code: 'METRIC_INPUT',
      problem: `references must be an array, received ${showValue(shape.references)}.`,
      hint: 'Pass one reference (or one array of references) per row.',
      field: 'references',
    });
  }
  const references = shape.references as unknown[];
  if (references.length !== predictions.length && (needsReferences || references.length > 0)) {
    throw metricError(metric, {
      code: 'METRIC_LENGTH_MISMATCH',
      problem: `${predictions.length} predictions but ${references.length} references.`,
      hint: 'Give exactly one reference entry per prediction (use an array for several references of one row).',
      field: 'references',
    });
  }
  return { predictions, references };
}

/** Returns `value` when it is a string; throws METRIC_INPUT naming the row and side otherwise. */
export function requireString(metric: string, value: unknown, side: 'predictions' | 'references', row: number): string {
  if (typeof value === 'string') return value;
  throw metricError(metric, {
    code: 'METRIC_INPUT',
    problem: `row ${row}: ${side === 'predictions' ? 'the prediction' : 'the reference'} must be a string, received ${showValue(value)}.`,
    hint: 'Convert the column to text, or drop rows without a value.',
    field: `${side}[${row}]`,
  });
}
