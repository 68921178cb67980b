/**
 * `ter`: translation edit rate (0–100, lower is better) as sacreBLEU 2.6's `TER` computes it: each segment
 * is right-stripped and tokenized by the Tercom tokenizer, the fewest edits (insertions, deletions,
 * substitutions and block shifts, Tercom's heuristics) against any of its references are summed over the
 * corpus and divided by the sum of each segment's average reference length. With no reference words the
 * score is 100 when there were edits and 0 otherwise. Options (sacreBLEU's names): `normalized`,
 * `no_punct`, `asian_support` and `case_sensitive`, all false (so text is lowercased by default).
 *
 * As in sacreBLEU 2.6's `corpus_score` and `sentence_score`, references go through the tokenizer twice
 * (its `_cache_references` tokenizes them and `_extract_reference_info` tokenizes the result again),
 * hypotheses once. That changes only `normalized` tokens whose second pass splits further ("¡....42"
 * gives ".42" once and ". 42" twice).
 *
 * References are as for `bleu`: a string or an array of strings; `null` entries are dropped, `""` is a
 * real (empty) reference, and a row with no reference left throws. The result also holds `num_edits`,
 * `ref_length` and sacreBLEU's `signature`. The state keeps integer edit counts and an exact sum of
 * reference lengths, so merged parts give the same bits as the whole.
 */
import { defineMetric } from 'plugboard/sdk';
import { checkBatch, requireString } from './check-batch.ts';
import { addToExactSum, createExactSum, mergeExactSums, roundExactSum } from './exact-sum.ts';
import type { ExactSum } from './exact-sum.ts';
import { BUILTIN_METRIC_OPTIONS } from './options/index.ts';
import { keepOptions, readOptions } from './read-options.ts';
import { readReferenceList } from './read-references.ts';
import { createReferenceCounts, formatSignature, mergeReferenceCounts, noteReferenceCount } from './sacrebleu-signature.ts';
import type { ReferenceCounts } from './sacrebleu-signature.ts';
import { countTerEdits } from './ter-statistics.ts';
import { rstripPython } from './text/python-text.ts';
import { tokenizeTercom } from './text/tokenize-tercom.ts';
import type { TercomSettings } from './text/tokenize-tercom.ts';

/** The ter state: the summed edits, the exact sum of average reference lengths, and the reference counts seen. */
export interface TerState {
  rows: number;
  /** The options given to `init`, used when `update` or `finalize` gets none. */
  options?: Record<string, unknown>;
  edits: number;
  referenceLength: ExactSum;
  referenceCounts: ReferenceCounts;
}

/** The ter result, with sacreBLEU's field names. */
export interface TerResult {
  score: number;
  num_edits: number;
  ref_length: number;
  signature: string;
}

const NAME = 'ter';
const OPTIONS = BUILTIN_METRIC_OPTIONS.ter;

function readSettings(options: Record<string, unknown> | undefined): TercomSettings {
  const values = readOptions(NAME, OPTIONS, options);
  return { normalized: values.normalized, noPunct: values.no_punct, asianSupport: values.asian_support, caseSensitive: values.case_sensitive };
}

// Words become ids for the edit distance; one table per segment is enough, since only equality matters.
function toIds(words: readonly string[], table: Map<string, number>): Int32Array {
  const ids = new Int32Array(words.length);
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    let id = table.get(word);
    if (id === undefined) {
      id = table.size;
      table.set(word, id);
    }
    ids[index] = id;
  }
  return ids;
}

/** The `ter` metric plugin (an accumulator; result `{ score, num_edits, ref_length, signature }`). */
export const ter = defineMetric({
  description: 'Translation edit rate (TER) as sacreBLEU 2.x computes it, 0–100, lower is better.',
  options: OPTIONS,
  init(options?: Record<string, unknown>): TerState {
    readSettings(options);
    const state: TerState = { rows: 0, edits: 0, referenceLength: createExactSum(), referenceCounts: createReferenceCounts() };
    const kept = keepOptions(options);
    if (kept !== undefined) state.options = kept;
    return state;
  },
  update(
    state: TerState,
    batch: { predictions: readonly unknown[]; references: readonly unknown[] },
    options?: Record<string, unknown>,
  ): TerState {
    const { predictions, references } = checkBatch(NAME, batch);
    const settings = readSettings(options ?? state.options);
    for (let index = 0; index < predictions.length; index++) {
      const row = state.rows + index;
      const table = new Map<string, number>();
      const hypothesis = toIds(tokenizeTercom(rstripPython(requireString(NAME, predictions[index], 'predictions', row)), settings), table);
      const referenceLines = readReferenceList(NAME, references[index], row);
      noteReferenceCount(state.referenceCounts, referenceLines.length);
      let fewest = Number.POSITIVE_INFINITY;
      let lengths = 0;
      for (const line of referenceLines) {
        const once = tokenizeTercom(rstripPython(line), settings).join(' ');
        const reference = toIds(tokenizeTercom(once, settings), table);
        fewest = Math.min(fewest, countTerEdits(hypothesis, reference));
        lengths += reference.length;
      }
      state.edits += fewest;
      addToExactSum(state.referenceLength, lengths / referenceLines.length);
    }
    state.rows += predictions.length;
    return state;
  },
  merge(a: TerState, b: TerState): TerState {
    const merged: TerState = {
      rows: a.rows + b.rows,
      edits: a.edits + b.edits,
      referenceLength: mergeExactSums(a.referenceLength, b.referenceLength),
      referenceCounts: mergeReferenceCounts(a.referenceCounts, b.referenceCounts),
    };
    const kept = a.options ?? b.options;
    if (kept !== undefined) merged.options = kept;
    return merged;
  },
  finalize(state: TerState, options?: Record<string, unknown>): TerResult {
    const settings = readSettings(options ?? state.options);
    const referenceLength = roundExactSum(state.referenceLength);
    const rate = referenceLength > 0 ? state.edits / referenceLength : state.edits > 0 ? 1 : 0;
    const signature = formatSignature(state.referenceCounts, [
      ['case', settings.caseSensitive ? 'mixed' : 'lc'],
      ['tok', 'tercom'],
      ['norm', settings.normalized],
      ['punct', !settings.noPunct],
      ['asian', settings.asianSupport],
    ]);
    return { score: 100 * rate, num_edits: state.edits, ref_length: referenceLength, signature };
  },
});
