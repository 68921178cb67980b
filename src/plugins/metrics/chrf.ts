/**
 * `chrf`: corpus chrF (0–100) as sacreBLEU 2.x's `CHRF` computes it with its defaults: character
 * n-grams of orders 1–6 over code points (not UTF-16 units) after deleting all Python whitespace, β = 2,
 * per segment the statistics of the reference with the best sentence chrF, summed over the corpus and
 * scored once. Options (sacreBLEU's names): `char_order` (6), `word_order` (0; 2 gives chrF++), `beta`
 * (2), `lowercase` (false), `whitespace` (false: whitespace is deleted), `eps_smoothing` (false).
 *
 * References are as for `bleu`: a string or an array of strings; `null` entries are dropped, `""` is a
 * real (empty) reference that contributes no statistics, and a row with no reference left throws. With no
 * rows the score is 0. The result carries sacreBLEU's `signature`
 * (`nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0`).
 */
import { defineMetric } from 'plugboard/sdk';
import { checkBatch, requireString } from './check-batch.ts';
import { bestSegmentStatistics, chrfScore, prepareChrfSegment } from './chrf-statistics.ts';
import type { ChrfSettings } from './chrf-statistics.ts';
import { readReferenceList } from './read-references.ts';
import { BUILTIN_METRIC_OPTIONS } from './options/index.ts';
import { keepOptions, readOptions } from './read-options.ts';
import { createReferenceCounts, formatSignature, mergeReferenceCounts, noteReferenceCount } from './sacrebleu-signature.ts';
import type { ReferenceCounts } from './sacrebleu-signature.ts';

/** The chrf state: summed integer `[n_hyp, n_ref, n_match]` per order. */
export interface ChrfState {
  rows: number;
  /** The options given to `init`, used when `update` or `finalize` gets none. */
  options?: Record<string, unknown>;
  statistics: number[];
  /** The fewest and most references a row had, for the signature's nrefs. */
  referenceCounts?: ReferenceCounts;
}

const NAME = 'chrf';
const OPTIONS = BUILTIN_METRIC_OPTIONS.chrf;

function readSettings(options: Record<string, unknown> | undefined): ChrfSettings {
  const values = readOptions(NAME, OPTIONS, options);
  return {
    charOrder: values.char_order,
    wordOrder: values.word_order,
    beta: values.beta,
    lowercase: values.lowercase,
    whitespace: values.whitespace,
    epsSmoothing: values.eps_smoothing,
  };
}

/** The chrf result: the score and sacreBLEU's signature. */
export interface ChrfResult {
  score: number;
  signature: string;
}

/** The `chrf` metric plugin (an accumulator; result `{ score, signature }`). */
export const chrf = defineMetric({
  description: 'chrF (β=2, character 6-grams) as sacreBLEU computes it, 0–100.',
  options: OPTIONS,
  init(options?: Record<string, unknown>): ChrfState {
    const settings = readSettings(options);
    const state: ChrfState = {
      rows: 0,
      statistics: new Array<number>(3 * (settings.charOrder + settings.wordOrder)).fill(0),
      referenceCounts: createReferenceCounts(),
    };
    const kept = keepOptions(options);
    if (kept !== undefined) state.options = kept;
    return state;
  },
  update(
    state: ChrfState,
    batch: { predictions: readonly unknown[]; references: readonly unknown[] },
    options?: Record<string, unknown>,
  ): ChrfState {
    const { predictions, references } = checkBatch(NAME, batch);
    const settings = readSettings(options ?? state.options);
    for (let index = 0; index < predictions.length; index++) {
      const row = state.rows + index;
      const hypothesis = prepareChrfSegment(requireString(NAME, predictions[index], 'predictions', row), settings);
      const segments = readReferenceList(NAME, references[index], row).map((reference) => prepareChrfSegment(reference, settings));
      state.referenceCounts ??= createReferenceCounts();
      noteReferenceCount(state.referenceCounts, segments.length);
      const best = bestSegmentStatistics(hypothesis, segments, settings);
      for (let at = 0; at < best.length; at++) state.statistics[at]! += best[at]!;
    }
    state.rows += predictions.length;
    return state;
  },
  merge(a: ChrfState, b: ChrfState): ChrfState {
    const merged: ChrfState = {
      rows: a.rows + b.rows,
      statistics: a.statistics.map((count, at) => count + (b.statistics[at] ?? 0)),
      referenceCounts: mergeReferenceCounts(a.referenceCounts, b.referenceCounts),
    };
    const kept = a.options ?? b.options;
    if (kept !== undefined) merged.options = kept;
    return merged;
  },
  finalize(state: ChrfState, options?: Record<string, unknown>): ChrfResult {
    const settings = readSettings(options ?? state.options);
    const signature = formatSignature(state.referenceCounts ?? createReferenceCounts(), [
      ['case', settings.lowercase ? 'lc' : 'mixed'],
      ['eff', !settings.epsSmoothing],
      ['nc', settings.charOrder],
      ['nw', settings.wordOrder],
      ['space', settings.whitespace],
    ]);
    return { score: chrfScore(state.statistics, settings), signature };
  },
});
