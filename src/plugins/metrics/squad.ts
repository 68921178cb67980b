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
import { readOptions } from './read-options.ts';
import { removeAsciiPunctuation, splitPython } from './text/python-text.ts';

/** The squad state: an integer exact-match count and an exact F1 sum. */
export interface SquadState {
  rows: number;
  exactMatches: number;
  f1: ExactSum;
}

const NAME = 'squad';
// Python's `\b(a|an|the)\b` on str: a word character is a letter, a number or "_".
const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;

/**
 * Normalises an answer as the SQuAD v1.1 script's `normalize_answer` does and returns its tokens. Articles are
 * removed token by token: whitespace is a word boundary, so this equals the script's replace-then-split, and a
 * token of plain ASCII word characters (nearly all of them) needs no regular expression.
 */
export function squadTokens(text: string): string[] {
  const tokens = splitPython(removeAsciiPunctuation(text.toLowerCase()));
  const out: string[] = [];
  for (const token of tokens) {
    if (isAsciiWord(token)) {
      if (token !== 'a' && token !== 'an' && token !== 'the') out.push(token);
    } else {
      for (const part of splitPython(token.replace(ARTICLES, ' '))) out.push(part);
    }
  }
  return out;
}

/** Whether every character is an ASCII letter, digit or "_" (so `\b` falls only at the token's ends). */
function isAsciiWord(token: string): boolean {
  for (let index = 0; index < token.length; index++) {
    const code = token.charCodeAt(index);
    if (!((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x5f || (code >= 0x41 && code <= 0x5a))) return false;
  }
  return true;
}

/** Whether two token lists are equal, which is the script's equality of the normalised (space-joined) strings. */
function sameTokens(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

function tokenF1(predicted: readonly string[], gold: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const token of gold) counts.set(token, (counts.get(token) ?? 0) + 1);
  let same = 0;
  for (const token of predicted) {
    const left = counts.get(token);
    if (left !== undefined && left > 0) {
      same++;
      counts.set(token, left - 1);
    }
  }
  if (same === 0) return 0;
  const precision = (1.0 * same) / predicted.length;
  const recall = (1.0 * same) / gold.length;
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

function readGolds(value: unknown, row: number): string[] {
  let golds: unknown = value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const answers = (value as { answers?: unknown }).answers;
    golds = (answers as { text?: unknown } | undefined)?.text;
  }
  if (typeof golds === 'string') return [golds];
  if (Array.isArray(golds) && golds.length > 0 && golds.every((gold) => typeof gold === 'string')) return golds as string[];
  throw metricError(NAME, {
    code: 'METRIC_INPUT',
    problem: `row ${row}: the reference must be a gold answer string, a non-empty array of them, or { answers: { text: [...] } }, received ${showValue(value)}.`,
    hint: 'Give every question at least one gold answer.',
    field: `references[${row}]`,
  });
}

/** The `squad` metric plugin (an accumulator; result `{ exact_match, f1 }`, both 0–100). */
export const squad = defineMetric({
  description: 'SQuAD v1.1 exact match and token F1, 0–100, best over the gold answers.',
  init(options?: Record<string, unknown>): SquadState {
    readOptions(NAME, options, []);
    return { rows: 0, exactMatches: 0, f1: createExactSum() };
  },
  update(state: SquadState, batch: { predictions: readonly unknown[]; references: readonly unknown[] }): SquadState {
    const { predictions, references } = checkBatch(NAME, batch);
    for (let index = 0; index < predictions.length; index++) {
      const row = state.rows + index;
      const predicted = squadTokens(readPrediction(predictions[index], row));
      let exact = 0;
      let best = 0;
      for (const gold of readGolds(references[index], row)) {
        const goldTokens = squadTokens(gold);
        if (exact === 0 && sameTokens(goldTokens, predicted)) exact = 1;
        const score = tokenF1(predicted, goldTokens);
        if (score > best) best = score;
      }
      state.exactMatches += exact;
      addToExactSum(state.f1, best);
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
