/**
 * `ppl`: perplexity from per-token natural-log probabilities. A row's prediction is the array of its
 * target tokens' log-probabilities `log p(x_i | x_<i)` (≤ 0); references are ignored and may be absent.
 * - `score` is the corpus (token-weighted) perplexity `exp(−Σ_i log p_i / N)` over all N tokens of all
 *   rows — not the Trainer-style `exp(mean of batch losses)`;
 * - `mean_per_sequence` is the arithmetic mean over rows with at least one token of each row's own
 *   `exp(−mean log p)`, what Hugging Face evaluate's `perplexity` reports as `mean_perplexity`;
 * - `nll` is the mean negative log-likelihood per token and `tokens` is N.
 * With no tokens every value is NaN (perplexity is undefined, not 1). A log-probability of −Infinity makes
 * `score` Infinity. A value above 0, NaN or a non-number throws: pass log-probabilities, not losses. The
 * sums are kept exactly, so merged halves give the same bits as the whole.
 */
import { defineMetric } from 'plugboard/sdk';
import { checkBatch } from './check-batch.ts';
import { addToExactSum, createExactSum, mergeExactSums, roundExactSum } from './exact-sum.ts';
import type { ExactSum } from './exact-sum.ts';
import { metricError, showValue } from './metric-error.ts';
import { BUILTIN_METRIC_OPTIONS } from './options/index.ts';
import { readOptions } from './read-options.ts';

/** The ppl state: exact sums of token log-probabilities and of per-row perplexities, with counts. */
export interface PplState {
  rows: number;
  tokens: number;
  logProbability: ExactSum;
  sequences: number;
  sequencePerplexity: ExactSum;
}

/** The ppl result. */
export interface PplResult {
  score: number;
  mean_per_sequence: number;
  nll: number;
  tokens: number;
}

const NAME = 'ppl';

function readLogProbabilities(value: unknown, row: number): readonly number[] {
  if (!Array.isArray(value)) {
    throw metricError(NAME, {
      code: 'METRIC_INPUT',
      problem: `row ${row}: the prediction must be an array of token log-probabilities, received ${showValue(value)}.`,
      hint: 'Give each row the natural-log probabilities of its target tokens, e.g. [-0.1, -2.3].',
      field: `predictions[${row}]`,
    });
  }
  for (let position = 0; position < value.length; position++) {
    const item: unknown = value[position];
    if (typeof item !== 'number' || Number.isNaN(item) || item > 0) {
      throw metricError(NAME, {
        code: 'METRIC_INPUT',
        problem: `row ${row}, token ${position}: a log-probability must be a number ≤ 0, received ${showValue(item)}.`,
        hint: 'Pass natural-log probabilities (≤ 0), not negative log-likelihoods or probabilities.',
        field: `predictions[${row}][${position}]`,
      });
    }
  }
  return value as number[];
}

/** The `ppl` metric plugin (an accumulator; result `{ score, mean_per_sequence, nll, tokens }`). */
export const ppl = defineMetric({
  description: 'Perplexity: exp of the mean negative log-likelihood over all tokens.',
  options: BUILTIN_METRIC_OPTIONS.ppl,
  init(options?: Record<string, unknown>): PplState {
    readOptions(NAME, BUILTIN_METRIC_OPTIONS.ppl, options);
    return { rows: 0, tokens: 0, logProbability: createExactSum(), sequences: 0, sequencePerplexity: createExactSum() };
  },
  update(state: PplState, batch: { predictions: readonly unknown[]; references?: readonly unknown[] }): PplState {
    const { predictions } = checkBatch(NAME, batch, false);
    for (let index = 0; index < predictions.length; index++) {
      const logProbabilities = readLogProbabilities(predictions[index], state.rows + index);
      if (logProbabilities.length === 0) continue;
      const row = createExactSum();
      for (const value of logProbabilities) {
        addToExactSum(row, value);
        addToExactSum(state.logProbability, value);
      }
      state.tokens += logProbabilities.length;
      state.sequences++;
      addToExactSum(state.sequencePerplexity, Math.exp(-roundExactSum(row) / logProbabilities.length));
    }
    state.rows += predictions.length;
    return state;
  },
  merge(a: PplState, b: PplState): PplState {
    return {
      rows: a.rows + b.rows,
      tokens: a.tokens + b.tokens,
      logProbability: mergeExactSums(a.logProbability, b.logProbability),
      sequences: a.sequences + b.sequences,
      sequencePerplexity: mergeExactSums(a.sequencePerplexity, b.sequencePerplexity),
    };
  },
  finalize(state: PplState): PplResult {
    if (state.tokens === 0) return { score: Number.NaN, mean_per_sequence: Number.NaN, nll: Number.NaN, tokens: 0 };
    const nll = -roundExactSum(state.logProbability) / state.tokens;
    return {
      score: Math.exp(nll),
      mean_per_sequence: roundExactSum(state.sequencePerplexity) / state.sequences,
      nll,
      tokens: state.tokens,
    };
  },
});
