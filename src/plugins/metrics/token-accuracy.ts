/**
 * `token_accuracy`: the fraction of token positions where the predicted id equals the reference id,
 * over all rows, ignoring positions whose reference is `ignore_index` (default -100) — TRL's
 * `mean_token_accuracy` on ids that are already aligned (no shift is applied). A row's prediction and
 * reference are arrays of integer token ids of the same length; a length mismatch throws naming the row
 * (the reference tensors are always one shape, so a mismatch means misaligned data). When no position
 * counts the result is 0, as in TRL.
 */
import { defineMetric } from 'plugboard/sdk';
import { checkBatch } from './check-batch.ts';
import { metricError, showValue } from './metric-error.ts';
import { BUILTIN_METRIC_OPTIONS } from './options/index.ts';
import { keepOptions, readOptions } from './read-options.ts';

/** The token_accuracy state: integer counts, so merging is exact. */
export interface TokenAccuracyState {
  rows: number;
  /** The options given to `init`, used when `update` gets none. */
  options?: Record<string, unknown>;
  correct: number;
  total: number;
}

const NAME = 'token_accuracy';

function readIds(value: unknown, side: 'predictions' | 'references', row: number): readonly number[] {
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const ids = value as ArrayLike<unknown>;
    for (let position = 0; position < ids.length; position++) {
      if (!Number.isInteger(ids[position])) {
        throw metricError(NAME, {
          code: 'METRIC_INPUT',
          problem: `row ${row}, position ${position}: a token id must be an integer, received ${showValue(ids[position])}.`,
          hint: 'Give token ids (integers), not tokens or logits.',
          field: `${side}[${row}][${position}]`,
        });
      }
    }
    return value as readonly number[];
  }
  throw metricError(NAME, {
    code: 'METRIC_INPUT',
    problem: `row ${row}: ${side === 'predictions' ? 'the prediction' : 'the reference'} must be an array of token ids, received ${showValue(value)}.`,
    hint: 'Give each row its token ids, e.g. [101, 2023, -100].',
    field: `${side}[${row}]`,
  });
}

function ignoreIndex(options: Record<string, unknown> | undefined): number {
  return readOptions(NAME, BUILTIN_METRIC_OPTIONS.token_accuracy, options).ignore_index;
}

/** The `token_accuracy` metric plugin (an accumulator; result is a number in [0, 1], 0 when nothing counts). */
export const tokenAccuracy = defineMetric({
  description: 'Fraction of token positions where prediction equals reference, -100 ignored.',
  options: BUILTIN_METRIC_OPTIONS.token_accuracy,
  init(options?: Record<string, unknown>): TokenAccuracyState {
    ignoreIndex(options);
    const state: TokenAccuracyState = { rows: 0, correct: 0, total: 0 };
    const kept = keepOptions(options);
    if (kept !== undefined) state.options = kept;
    return state;
  },
  update(
    state: TokenAccuracyState,
    batch: { predictions: readonly unknown[]; references: readonly unknown[] },
    options?: Record<string, unknown>,
  ): TokenAccuracyState {
    const { predictions, references } = checkBatch(NAME, batch);
    const ignored = ignoreIndex(options ?? state.options);
    for (let index = 0; index < predictions.length; index++) {
      const row = state.rows + index;
      const predicted = readIds(predictions[index], 'predictions', row);
      const labels = readIds(references[index], 'references', row);
      if (predicted.length !== labels.length) {
        throw metricError(NAME, {
          code: 'METRIC_LENGTH_MISMATCH',
          problem: `row ${row}: ${predicted.length} predicted ids but ${labels.length} reference ids.`,
          hint: 'Align predictions and labels position by position (shift causal-LM predictions first, pad with -100).',
          field: `references[${row}]`,
        });
      }
      for (let position = 0; position < labels.length; position++) {
        const label = labels[position]!;
        if (label === ignored) continue;
        state.total++;
        if (predicted[position] === label) state.correct++;
      }
    }
    state.rows += predictions.length;
    return state;
  },
  merge(a: TokenAccuracyState, b: TokenAccuracyState): TokenAccuracyState {
    const merged: TokenAccuracyState = { rows: a.rows + b.rows, correct: a.correct + b.correct, total: a.total + b.total };
    const kept = a.options ?? b.options;
    if (kept !== undefined) merged.options = kept;
    return merged;
  },
  finalize(state: TokenAccuracyState): number {
    return state.total === 0 ? 0 : state.correct / state.total;
  },
});
