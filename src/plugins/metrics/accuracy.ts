/**
 * `accuracy`: the fraction of rows whose prediction equals its reference, as scikit-learn's
 * `accuracy_score` computes it. Labels are strings, numbers or booleans; a string never equals a number
 * (`1` and `"1"` differ) and a boolean equals its number (`true` and `1`), as in NumPy. With no rows the result is NaN, where
 * scikit-learn raises.
 */
import { defineMetric } from 'plugboard/sdk';
import { checkBatch } from './check-batch.ts';
import { BUILTIN_METRIC_OPTIONS } from './options/index.ts';
import { readOptions } from './read-options.ts';
import { labelKey, readLabel } from './read-label.ts';

/** The accuracy state: integer counts, so merging is exact. */
export interface AccuracyState {
  correct: number;
  rows: number;
}

const NAME = 'accuracy';

/** The `accuracy` metric plugin (an accumulator; result is a number in [0, 1], NaN with no rows). */
export const accuracy = defineMetric({
  description: 'Fraction of rows whose prediction equals the reference (scikit-learn accuracy_score).',
  options: BUILTIN_METRIC_OPTIONS.accuracy,
  init(options?: Record<string, unknown>): AccuracyState {
    readOptions(NAME, BUILTIN_METRIC_OPTIONS.accuracy, options);
    return { correct: 0, rows: 0 };
  },
  update(state: AccuracyState, batch: { predictions: readonly unknown[]; references: readonly unknown[] }): AccuracyState {
    const { predictions, references } = checkBatch(NAME, batch);
    for (let index = 0; index < predictions.length; index++) {
      const row = state.rows + index;
      const prediction = readLabel(NAME, predictions[index], 'predictions', row);
      const reference = readLabel(NAME, references[index], 'references', row);
      if (labelKey(prediction) === labelKey(reference)) state.correct++;
    }
    state.rows += predictions.length;
    return state;
  },
  merge(a: AccuracyState, b: AccuracyState): AccuracyState {
    return { correct: a.correct + b.correct, rows: a.rows + b.rows };
  },
  finalize(state: AccuracyState): number {
    return state.rows === 0 ? Number.NaN : state.correct / state.rows;
  },
});
