/**
 * `bleu`: corpus BLEU (0–100) as sacreBLEU 2.x computes it with its defaults: each segment is
 * (optionally lowercased,) right-stripped of Python whitespace and tokenized with `13a`; n-grams of
 * orders 1–4 are clipped by the maximum count in any one reference; the reference length is the closest
 * one (ties to the shorter); statistics are summed over the corpus and scored once with `exp` smoothing.
 *
 * A row's prediction is a string; its reference is a string or an array of strings (several references).
 * Empty and missing references follow sacreBLEU 2.6 as run: an empty string `""` is a real reference of
 * length 0 (it is kept, and can be the closest length), while `null`/`undefined` entries of an array are
 * dropped. A row left with no reference at all throws (sacreBLEU crashes with a TypeError there, or, for
 * an empty hypothesis, silently counts a reference length of −1).
 *
 * Options (sacreBLEU's names): `lowercase` (false), `tokenize` ("13a"; "none": whitespace split only;
 * "intl", "zh", "char": sacreBLEU's tokenizers of those names; "flores101", "flores200": SentencePiece with
 * the model at `spm_model`, loaded by `prepare`, which must be awaited before `init`),
 * `smooth_method` ("exp", "floor", "add-k", "none"), `smooth_value` (the method's default),
 * `max_ngram_order` (4), `effective_order` (false) and `sentence` (false). With `sentence: true` the
 * result keeps its corpus fields and also holds `sentences`: one `sentence_bleu` score per row in input
 * order, where `effective_order` defaults to true as in `sentence_bleu` (this keeps one number per row in
 * the state). With no rows the score is 0 (sacreBLEU raises).
 *
 * The result carries sacreBLEU's `signature` (`nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0`),
 * nrefs being "var" when rows had different numbers of references.
 */
import { defineMetric } from 'plugboard/sdk';
import { SMOOTH_DEFAULTS, addSegmentCounts, computeBleu } from './bleu-statistics.ts';
import type { BleuCounts, BleuScore, LineTokenizer, SmoothMethod } from './bleu-statistics.ts';
import { checkBatch, requireString } from './check-batch.ts';
import { metricError } from './metric-error.ts';
import { readReferenceList } from './read-references.ts';
import { BUILTIN_METRIC_OPTIONS } from './options/index.ts';
import { keepOptions, readOptions } from './read-options.ts';
import { createReferenceCounts, formatSignature, formatSmoothing, mergeReferenceCounts, noteReferenceCount } from './sacrebleu-signature.ts';
import type { ReferenceCounts } from './sacrebleu-signature.ts';
import { rstripPython } from './text/python-text.ts';
import { tokenizeChar, tokenizeIntl, tokenizeZh } from './text/sacrebleu-tokenizers.ts';
import { loadSpmModel, requireSpmModel, tokenizeSpm } from './text/spm-tokenizers.ts';
import { splitPythonIds } from './text/token-interner.ts';
import { tokenize13aIds } from './text/tokenize-13a.ts';

/** The bleu state: summed integer statistics, plus per-row sentence scores when `sentence` is on. */
export interface BleuState extends BleuCounts {
  rows: number;
  /** The options given to `init`, used when `update` or `finalize` gets none. */
  options?: Record<string, unknown>;
  /** The fewest and most references a row had, for the signature's nrefs. */
  referenceCounts?: ReferenceCounts;
  sentences?: number[];
}

/** The bleu result: sacreBLEU's fields, and `sentences` when the `sentence` option is on. */
export type BleuResult = BleuScore & { signature: string; sentences?: number[] };

const NAME = 'bleu';
const OPTIONS = BUILTIN_METRIC_OPTIONS.bleu;

// sacreBLEU's tokenizers by name; each but 13a (whose ids come straight from its scan) yields a line to split.
const TOKENIZERS: Record<string, LineTokenizer> = {
  '13a': tokenize13aIds,
  none: splitPythonIds,
  intl: (line, interner) => splitPythonIds(tokenizeIntl(line), interner),
  zh: (line, interner) => splitPythonIds(tokenizeZh(line), interner),
  char: (line, interner) => splitPythonIds(tokenizeChar(line), interner),
};

interface BleuSettings {
  lowercase: boolean;
  tokenizeName: string;
  tokenize: LineTokenizer;
  smoothMethod: SmoothMethod;
  smoothValue: number | null;
  maxOrder: number;
  effectiveOrder: boolean;
  sentence: boolean;
  sentenceEffectiveOrder: boolean;
}

// Where sacreBLEU 2.6 downloads its FLORES models from (named in the error that asks for spm_model).
const SPM_MODEL_URLS = {
  flores101: 'https://dl.fbaipublicfiles.com/fairseq/models/flores/sacrebleu_tokenizer_spm.model',
  flores200: 'https://tinyurl.com/flores200sacrebleuspm',
} as const;

const isSpm = (tokenize: string) => tokenize === 'flores101' || tokenize === 'flores200';

function readSettings(options: Record<string, unknown> | undefined): BleuSettings {
  const values = readOptions(NAME, OPTIONS, options);
  const model = values.spm_model;
  if (isSpm(values.tokenize) !== (model !== null)) {
    throw metricError(NAME, {
      code: 'METRIC_OPTION',
      problem: model === null ? `tokenize "${values.tokenize}" needs spm_model, its SentencePiece model.` : `spm_model is only used by tokenize "flores101" or "flores200", not "${values.tokenize}".`,
      hint:
        model === null
          ? `Pass spm_model: the URL of the model (sacreBLEU's ${values.tokenize} model is ${SPM_MODEL_URLS[values.tokenize as 'flores101' | 'flores200']}).`
          : 'Drop spm_model, or pick a flores tokenizer.',
      field: 'options.spm_model',
    });
  }
  return {
    lowercase: values.lowercase,
    tokenizeName: values.tokenize,
    tokenize: model === null ? TOKENIZERS[values.tokenize]! : (line, interner) => splitPythonIds(tokenizeSpm(NAME, model, values.tokenize, line), interner),
    smoothMethod: values.smooth_method,
    smoothValue: values.smooth_value,
    maxOrder: values.max_ngram_order,
    effectiveOrder: values.effective_order ?? false,
    sentence: values.sentence,
    sentenceEffectiveOrder: values.effective_order ?? true,
  };
}

function emptyCounts(maxOrder: number): BleuCounts {
  return { sysLen: 0, refLen: 0, correct: new Array<number>(maxOrder).fill(0), total: new Array<number>(maxOrder).fill(0) };
}

/** The `bleu` metric plugin (an accumulator; result `{ score, counts, totals, precisions, bp, sys_len, ref_len }`). */
export const bleu = defineMetric({
  description: 'Corpus BLEU as sacreBLEU 2.x computes it (13a, exp smoothing, 4-grams), 0–100.',
  options: OPTIONS,
  /** Loads the SentencePiece model that tokenize "flores101"/"flores200" needs (nothing for the other tokenizers); resolves when init and update can run. */
  async prepare(options?: Record<string, unknown>): Promise<void> {
    readSettings(options);
    const values = readOptions(NAME, OPTIONS, options);
    if (values.spm_model !== null) await loadSpmModel(NAME, values.spm_model);
  },
  init(options?: Record<string, unknown>): BleuState {
    const settings = readSettings(options);
    const model = readOptions(NAME, OPTIONS, options).spm_model;
    if (model !== null) requireSpmModel(NAME, model, settings.tokenizeName);
    const state: BleuState = { rows: 0, ...emptyCounts(settings.maxOrder), referenceCounts: createReferenceCounts() };
    if (settings.sentence) state.sentences = [];
    const kept = keepOptions(options);
    if (kept !== undefined) state.options = kept;
    return state;
  },
  update(
    state: BleuState,
    batch: { predictions: readonly unknown[]; references: readonly unknown[] },
    options?: Record<string, unknown>,
  ): BleuState {
    const { predictions, references } = checkBatch(NAME, batch);
    const settings = readSettings(options ?? state.options);
    const prepare = (text: string) => rstripPython(settings.lowercase ? text.toLowerCase() : text);
    for (let index = 0; index < predictions.length; index++) {
      const row = state.rows + index;
      const hypothesis = prepare(requireString(NAME, predictions[index], 'predictions', row));
      const referenceLines = readReferenceList(NAME, references[index], row).map(prepare);
      state.referenceCounts ??= createReferenceCounts();
      noteReferenceCount(state.referenceCounts, referenceLines.length);
      if (state.sentences === undefined) {
        addSegmentCounts(state, hypothesis, referenceLines, settings.tokenize, settings.maxOrder);
      } else {
        const segment = emptyCounts(settings.maxOrder);
        addSegmentCounts(segment, hypothesis, referenceLines, settings.tokenize, settings.maxOrder);
        const sentence = computeBleu(segment, settings.smoothMethod, settings.smoothValue, settings.sentenceEffectiveOrder, settings.maxOrder);
        state.sentences.push(sentence.score);
        state.sysLen += segment.sysLen;
        state.refLen += segment.refLen;
        for (let order = 0; order < settings.maxOrder; order++) {
          state.correct[order]! += segment.correct[order]!;
          state.total[order]! += segment.total[order]!;
        }
      }
    }
    state.rows += predictions.length;
    return state;
  },
  merge(a: BleuState, b: BleuState): BleuState {
    const merged: BleuState = {
      rows: a.rows + b.rows,
      sysLen: a.sysLen + b.sysLen,
      refLen: a.refLen + b.refLen,
      correct: a.correct.map((count, order) => count + (b.correct[order] ?? 0)),
      total: a.total.map((count, order) => count + (b.total[order] ?? 0)),
      referenceCounts: mergeReferenceCounts(a.referenceCounts, b.referenceCounts),
    };
    if (a.sentences !== undefined || b.sentences !== undefined) merged.sentences = [...(a.sentences ?? []), ...(b.sentences ?? [])];
    const kept = a.options ?? b.options;
    if (kept !== undefined) merged.options = kept;
    return merged;
  },
  finalize(state: BleuState, options?: Record<string, unknown>): BleuResult {
    const settings = readSettings(options ?? state.options);
    const score = computeBleu(state, settings.smoothMethod, settings.smoothValue, settings.effectiveOrder, settings.maxOrder);
    const signature = formatSignature(state.referenceCounts ?? createReferenceCounts(), [
      ['case', settings.lowercase ? 'lc' : 'mixed'],
      ['eff', settings.effectiveOrder],
      ['tok', settings.tokenizeName],
      ['smooth', formatSmoothing(settings.smoothMethod, settings.smoothValue, SMOOTH_DEFAULTS[settings.smoothMethod])],
    ]);
    const result: BleuResult = { ...score, signature };
    if (state.sentences !== undefined) result.sentences = state.sentences.slice();
    return result;
  },
});
