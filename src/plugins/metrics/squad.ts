/**
 * `squad`: SQuAD v1.1 exact match and token F1, both 0–100, as the official v1.1 evaluation script
 * computes them. Each answer is normalised by lowercasing, deleting ASCII `string.punctuation`
 * ("U.S." → "us"; Unicode punctuation stays), replacing the whole words a/an/the with a space (word
 * boundaries are Unicode-aware, as Python's `\b`) and collapsing Python whitespace. Per row the best
 * score over the gold answers counts; F1 is 0 when no token is shared (so a gold answer of "the"
 * gives EM 100 but F1 0, as in v1.1).
 *
 * A row's prediction is a string (or `{ prediction_text }`); its reference is a string, an array of
 * gold strings, or SQuAD's `{ answers: { text: [...] } }`. A row without any gold answer throws. With no
 * rows both values are NaN (the script divides by zero). The F1 sum is kept exactly, so merged halves
 * give the same bits as the whole.
 */
import { defineMetric } from 'plugboard/sdk';
import { checkBatch } from './check-batch.ts';
import { addToExactSum, createExactSum, mergeExactSums, roundExactSum } from './exact-sum.ts';
import type { ExactSum } from './exact-sum.ts';
import { metricError, showValue } from './metric-error.ts';
import { BUILTIN_METRIC_OPTIONS } from './options/index.ts';
import { readOptions } from './read-options.ts';
import { SquadTokens } from './text/squad-tokens.ts';

/** The squad state: an integer exact-match count and an exact F1 sum. */
export interface SquadState {
  rows: number;
  exactMatches: number;
  f1: ExactSum;
}

const NAME = 'squad';

// One buffer for the prediction and one for the gold answer being scored, reused row after row (`update`
// runs to the end without yielding, so no two calls share them at once).
const predicted = new SquadTokens();
const gold = new SquadTokens();

/** The script's token F1 of a prediction against one gold answer (0 when no token is shared). */
function tokenF1(predictedTokens: SquadTokens, goldTokens: SquadTokens): number {
  const same = predictedTokens.sharedCount(goldTokens);
  if (same === 0) return 0;
  const precision = (1.0 * same) / predictedTokens.count;
  const recall = (1.0 * same) / goldTokens.count;
  return (2 * precision * recall) / (precision + recall);
}

function readPrediction(value: unknown, row: number): string {
  if (typeof value === 'string') return value;
  const text = (value as { prediction_text?: unknown } | null)?.prediction_text;
  if (typeof text === 'string') return text;
  throw metricError(NAME, {
    code: 'METRIC_INPUT',
    problem: `row ${row}: the prediction must be a string or { prediction_text }, received ${showValue(value)}.`,
    hint: 'Give each row its predicted answer text.',
    field: `predictions[${row}]`,
  });
}

/** The row's gold answers: one string, or a non-empty array of strings (returned as given, not copied). */
function readGolds(value: unknown, row: number): string | readonly string[] {
  let golds: unknown = value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const answers = (value as { answers?: unknown }).answers;
    golds = (answers as { text?: unknown } | undefined)?.text;
  }
  if (typeof golds === 'string' || isStringArray(golds)) return golds;
  throw metricError(NAME, {
    code: 'METRIC_INPUT',
    problem: `row ${row}: the reference must be a gold answer string, a non-empty array of them, or { answers: { text: [...] } }, received ${showValue(value)}.`,
    hint: 'Give every question at least one gold answer.',
    field: `references[${row}]`,
  });
}

function isStringArray(value: unknown): value is readonly string[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  for (let index = 0; index < value.length; index++) if (typeof value[index] !== 'string') return false;
  return true;
}

/** The `squad` metric plugin (an accumulator; result `{ exact_match, f1 }`, both 0–100). */
export const squad = defineMetric({
  description: 'SQuAD v1.1 exact match and token F1, 0–100, best over the gold answers.',
  options: BUILTIN_METRIC_OPTIONS.squad,
  init(options?: Record<string, unknown>): SquadState {
    readOptions(NAME, BUILTIN_METRIC_OPTIONS.squad, options);
    return { rows: 0, exactMatches: 0, f1: createExactSum() };
  },
  update(state: SquadState, batch: { predictions: readonly unknown[]; references: readonly unknown[] }): SquadState {
    const { predictions, references } = checkBatch(NAME, batch);
    for (let index = 0; index < predictions.length; index++) {
      const row = state.rows + index;
      const predictionText = readPrediction(predictions[index], row);
      const golds = readGolds(references[index], row);
      predicted.read(predictionText);
      const goldCount = typeof golds === 'string' ? 1 : golds.length;
      let exact = 0;
      let best = 0;
      // Both maxima are reached at 1, after which the other gold answers cannot change the row.
      for (let goldIndex = 0; goldIndex < goldCount && (exact === 0 || best < 1); goldIndex++) {
        gold.read(typeof golds === 'string' ? golds : golds[goldIndex]!);
        if (exact === 0 && gold.equals(predicted)) exact = 1;
        const score = tokenF1(predicted, gold);
        if (score > best) best = score;
      }
      state.exactMatches += exact;
      if (best !== 0) addToExactSum(state.f1, best); // adding 0 leaves an exact sum as it is
    }
    state.rows += predictions.length;
    return state;
  },
  merge(a: SquadState, b: SquadState): SquadState {
    return { rows: a.rows + b.rows, exactMatches: a.exactMatches + b.exactMatches, f1: mergeExactSums(a.f1, b.f1) };
  },
  finalize(state: SquadState): { exact_match: number; f1: number } {
    if (state.rows === 0) return { exact_match: Number.NaN, f1: Number.NaN };
    return { exact_match: (100.0 * state.exactMatches) / state.rows, f1: (100.0 * roundExactSum(state.f1)) / state.rows };
  },
});
