/**
 * `rouge`: `{ rouge1, rouge2, rougeL, rougeLsum }`, each the mean over rows of that row's F-measure as
 * Google's rouge_score computes it (`RougeScorer.score(target, prediction)`; 0–1). Tokens are runs of
 * [a-z0-9] after lowercasing, so accents split words ("café" → "caf") and CJK or Cyrillic text has no
 * tokens and scores 0. rougeLsum splits both texts on "\n" only (no sentence splitter), so without
 * newlines it equals rougeL. Option `use_stemmer` (false) applies NLTK's Porter stemmer (its default
 * NLTK_EXTENSIONS variant) to tokens longer than 3 characters.
 *
 * A row's reference is a string or an array of strings (`null` entries dropped); with several, each type
 * takes the best F over the references, as `score_multi`. The mean is not bootstrapped (Hugging Face
 * evaluate's default aggregator resamples; this is the plain mean). With no rows every value is NaN. The
 * F sums are kept exactly, so merged halves give the same bits as the whole.
 */
import { defineMetric } from 'plugboard/sdk';
import { checkBatch, requireString } from './check-batch.ts';
import { addToExactSum, createExactSum, mergeExactSums, roundExactSum } from './exact-sum.ts';
import type { ExactSum } from './exact-sum.ts';
import { BUILTIN_METRIC_OPTIONS } from './options/index.ts';
import { keepOptions, readOptions } from './read-options.ts';
import { readReferenceList } from './read-references.ts';
import { TokenIds, rougeL, rougeLsum, rougeN } from './rouge-scores.ts';
import type { RougeFMeasures } from './rouge-scores.ts';
import { rougeTokenize } from './text/rouge-tokenize.ts';

/** The rouge state: exact sums of each type's per-row F-measure. */
export interface RougeState {
  rows: number;
  /** The options given to `init`, used when `update` gets none. */
  options?: Record<string, unknown>;
  rouge1: ExactSum;
  rouge2: ExactSum;
  rougeL: ExactSum;
  rougeLsum: ExactSum;
}

const NAME = 'rouge';
const OPTIONS = BUILTIN_METRIC_OPTIONS.rouge;
const TYPES = ['rouge1', 'rouge2', 'rougeL', 'rougeLsum'] as const;

interface PreparedText {
  tokens: Int32Array;
  /** The tokens of each non-empty "\n"-separated line, or null when the text has at most one such line. */
  sentences: Int32Array[] | null;
}

function prepare(text: string, stem: boolean, ids: TokenIds): PreparedText {
  const tokens = ids.encode(rougeTokenize(text, stem));
  if (!text.includes('\n')) return { tokens, sentences: null };
  const lines = text.split('\n').filter((line) => line.length > 0);
  return { tokens, sentences: lines.length <= 1 ? null : lines.map((line) => ids.encode(rougeTokenize(line, stem))) };
}

// With at most one line on each side, summary-level LCS is the LCS itself: every LCS token passes the
// double-counting guard, and P, R and F are computed from the same numbers as rougeL's.
function summaryLcs(target: PreparedText, prediction: PreparedText, rougeLScore: number): number {
  if (target.sentences === null && prediction.sentences === null) return rougeLScore;
  return rougeLsum(target.sentences ?? [target.tokens], prediction.sentences ?? [prediction.tokens]);
}

/** Returns the four F-measures of one row: per type the best over the references. */
function scoreRow(prediction: string, references: readonly string[], stem: boolean): RougeFMeasures {
  const ids = new TokenIds();
  const predicted = prepare(prediction, stem, ids);
  const targets = references.map((reference) => prepare(reference, stem, ids));
  const vocabulary = Math.max(ids.size, 1);
  const best: RougeFMeasures = { rouge1: -1, rouge2: -1, rougeL: -1, rougeLsum: -1 };
  for (const target of targets) {
    best.rouge1 = Math.max(best.rouge1, rougeN(target.tokens, predicted.tokens, 1, vocabulary));
    best.rouge2 = Math.max(best.rouge2, rougeN(target.tokens, predicted.tokens, 2, vocabulary));
    const lcsScore = rougeL(target.tokens, predicted.tokens);
    best.rougeL = Math.max(best.rougeL, lcsScore);
    best.rougeLsum = Math.max(best.rougeLsum, summaryLcs(target, predicted, lcsScore));
  }
  return best;
}

/** The `rouge` metric plugin (an accumulator; result `{ rouge1, rouge2, rougeL, rougeLsum }`, each 0–1). */
export const rouge = defineMetric({
  description: 'ROUGE-1/2/L/Lsum F-measures as Google\u2019s rouge_score computes them.',
  options: OPTIONS,
  init(options?: Record<string, unknown>): RougeState {
    readOptions(NAME, OPTIONS, options);
    const state: RougeState = { rows: 0, rouge1: createExactSum(), rouge2: createExactSum(), rougeL: createExactSum(), rougeLsum: createExactSum() };
    const kept = keepOptions(options);
    if (kept !== undefined) state.options = kept;
    return state;
  },
  update(
    state: RougeState,
    batch: { predictions: readonly unknown[]; references: readonly unknown[] },
    options?: Record<string, unknown>,
  ): RougeState {
    const { predictions, references } = checkBatch(NAME, batch);
    const stem = readOptions(NAME, OPTIONS, options ?? state.options).use_stemmer;
    for (let index = 0; index < predictions.length; index++) {
      const row = state.rows + index;
      const prediction = requireString(NAME, predictions[index], 'predictions', row);
      const scores = scoreRow(prediction, readReferenceList(NAME, references[index], row), stem);
      for (const type of TYPES) addToExactSum(state[type], scores[type]);
    }
    state.rows += predictions.length;
    return state;
  },
  merge(a: RougeState, b: RougeState): RougeState {
    const merged: RougeState = {
      rows: a.rows + b.rows,
      rouge1: mergeExactSums(a.rouge1, b.rouge1),
      rouge2: mergeExactSums(a.rouge2, b.rouge2),
      rougeL: mergeExactSums(a.rougeL, b.rougeL),
      rougeLsum: mergeExactSums(a.rougeLsum, b.rougeLsum),
    };
    const kept = a.options ?? b.options;
    if (kept !== undefined) merged.options = kept;
    return merged;
  },
  finalize(state: RougeState): RougeFMeasures {
    const mean = (sum: ExactSum) => (state.rows === 0 ? Number.NaN : roundExactSum(sum) / state.rows);
    return { rouge1: mean(state.rouge1), rouge2: mean(state.rouge2), rougeL: mean(state.rougeL), rougeLsum: mean(state.rougeLsum) };
  },
});
