// Reads a row's references for the translation metrics (bleu, chrf): one string or several.
import { metricError, showValue } from './metric-error.ts';

/**
 * Returns a row's references as a non-empty list: a string is one reference, an array is several with
 * its `null`/`undefined` entries dropped (sacreBLEU drops `None`), and `""` is kept as an empty reference.
 * Throws METRIC_INPUT when an entry is not a string or no reference is left.
 */
export function readReferenceList(metric: string, value: unknown, row: number): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) {
    const kept: string[] = [];
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (item === null || item === undefined) continue;
      if (typeof item !== 'string') {
        throw metricError(metric, {
          code: 'METRIC_INPUT',
          problem: `row ${row}: reference ${index} must be a string or null, received ${showValue(item)}.`,
          hint: 'Give each reference as text; use null for a reference this row lacks.',
          field: `references[${row}][${index}]`,
        });
      }
      kept.push(item);
    }
    if (kept.length > 0) return kept;
  }
  throw metricError(metric, {
    code: 'METRIC_INPUT',
    problem: `row ${row}: no reference (received ${showValue(value)}); at least one reference string per row is needed, "" included.`,
    hint: 'Give every row a reference string, or drop rows without one.',
    field: `references[${row}]`,
  });
}
