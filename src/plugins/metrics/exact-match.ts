/**
 * `exact_match`: the rate at which predictions equal their references, as Hugging Face evaluate's
 * `exact_match` computes it (0–1). Each string is normalised in this order, with options named as there:
 * 1. `regexes_to_ignore` (a list of patterns; a bare string is refused, since evaluate would iterate
 *    its characters as one-character patterns): every match is deleted, pattern by pattern. The patterns are JavaScript regular expressions compiled with the `gu` flags, not Python
 *    ones: they agree for plain text, classes and quantifiers, but `\w`, `\d`, `\s` and `\b` are
 *    ASCII-only here and Unicode-aware in Python;
 * 2. `ignore_case`: lowercased (`toLowerCase`, which agrees with Python's `str.lower`);
 * 3. `ignore_punctuation`: the 32 ASCII `string.punctuation` characters are deleted (“ ” « » … stay);
 * 4. `ignore_numbers`: the ASCII digits 0–9 are deleted.
 * A row matches when the two normalised strings are equal, empty ones included (`"!!"` and `"?"` match
 * with `ignore_punctuation`). There is no whitespace trimming (`"cat "` ≠ `"cat"`); only trailing NUL
 * characters are dropped, as NumPy's string arrays drop them: after each pattern of `regexes_to_ignore`
 * (the first pattern sees the strings as given), after translation, or at the start when there are no
 * patterns. With no rows the result is NaN (NumPy's mean of nothing).
 *
 * Transcribed from huggingface/evaluate `metrics/exact_match/exact_match.py` (last changed in c447fc8),
 * with one deliberate difference: evaluate given `regexes_to_ignore: []` and no other option compares the
 * two whole lists and scores 1 or 0; here an empty list is the same as no patterns.
 */
import { defineMetric } from 'plugboard/sdk';
import { checkBatch, requireString } from './check-batch.ts';
import { metricError } from './metric-error.ts';
import { BUILTIN_METRIC_OPTIONS } from './options/index.ts';
import { keepOptions, readOptions } from './read-options.ts';
import { removeAsciiDigits, removeAsciiPunctuation } from './text/python-text.ts';

/** The exact_match state: integer counts, so merging is exact. */
export interface ExactMatchState {
  matches: number;
  rows: number;
  /** The options given to `init`, used when `update` gets none. */
  options?: Record<string, unknown>;
}

const NAME = 'exact_match';
const OPTIONS = BUILTIN_METRIC_OPTIONS.exact_match;

interface Normaliser {
  regexes: RegExp[];
  ignoreCase: boolean;
  ignorePunctuation: boolean;
  ignoreNumbers: boolean;
}

function compileRegexes(sources: readonly string[] | null): RegExp[] {
  if (sources === null) return [];
  return sources.map((source, index) => {
    try {
      return new RegExp(source, 'gu');
    } catch (cause) {
      throw metricError(NAME, {
        code: 'METRIC_OPTION',
        problem: `regexes_to_ignore[${index}] ${JSON.stringify(source)} is not a valid regular expression (${(cause as Error).message}).`,
        hint: 'Use JavaScript regular-expression syntax (compiled with the "u" flag).',
        field: `options.regexes_to_ignore[${index}]`,
      });
    }
  });
}

function readNormaliser(options: Record<string, unknown> | undefined): Normaliser {
  const values = readOptions(NAME, OPTIONS, options);
  return {
    regexes: compileRegexes(values.regexes_to_ignore),
    ignoreCase: values.ignore_case,
    ignorePunctuation: values.ignore_punctuation,
    ignoreNumbers: values.ignore_numbers,
  };
}

// NumPy's fixed-width unicode arrays drop trailing NUL characters each time evaluate builds one, so a
// string ending in "\0" compares as if it did not.
function dropTrailingNuls(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--;
  return end === text.length ? text : text.slice(0, end);
}

function normalise(text: string, normaliser: Normaliser): string {
  let out = normaliser.regexes.length === 0 ? dropTrailingNuls(text) : text;
  for (const regex of normaliser.regexes) out = dropTrailingNuls(out.replace(regex, ''));
  if (normaliser.ignoreCase) out = out.toLowerCase();
  if (normaliser.ignorePunctuation) out = dropTrailingNuls(removeAsciiPunctuation(out));
  if (normaliser.ignoreNumbers) out = dropTrailingNuls(removeAsciiDigits(out));
  return out;
}

/** The `exact_match` metric plugin (an accumulator; result is a number in [0, 1], NaN with no rows). */
export const exactMatch = defineMetric({
  description: 'Rate of predictions equal to their reference after optional normalisation (Hugging Face evaluate exact_match).',
  options: OPTIONS,
  init(options?: Record<string, unknown>): ExactMatchState {
    readNormaliser(options);
    const state: ExactMatchState = { matches: 0, rows: 0 };
    const kept = keepOptions(options);
    if (kept !== undefined) state.options = kept;
    return state;
  },
  update(
    state: ExactMatchState,
    batch: { predictions: readonly unknown[]; references: readonly unknown[] },
    options?: Record<string, unknown>,
  ): ExactMatchState {
    const { predictions, references } = checkBatch(NAME, batch);
    const normaliser = readNormaliser(options ?? state.options);
    for (let index = 0; index < predictions.length; index++) {
      const row = state.rows + index;
      const prediction = normalise(requireString(NAME, predictions[index], 'predictions', row), normaliser);
      const reference = normalise(requireString(NAME, references[index], 'references', row), normaliser);
      if (prediction === reference) state.matches++;
    }
    state.rows += predictions.length;
    return state;
  },
  merge(a: ExactMatchState, b: ExactMatchState): ExactMatchState {
    const merged: ExactMatchState = { matches: a.matches + b.matches, rows: a.rows + b.rows };
    const kept = a.options ?? b.options;
    if (kept !== undefined) merged.options = kept;
    return merged;
  },
  finalize(state: ExactMatchState): number {
    return state.rows === 0 ? Number.NaN : state.matches / state.rows;
  },
});
