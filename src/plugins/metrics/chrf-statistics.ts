// chrF's per-order statistics and its F-score, as sacreBLEU 2.x `CHRF` computes them.
import { CountTable, NgramIds } from './ngram-ids.ts';
import { isAsciiPunctuation, isPythonSpace, splitPython } from './text/python-text.ts';

/** The chrF settings that shape statistics and scores (sacreBLEU's names in the options). */
export interface ChrfSettings {
  charOrder: number;
  wordOrder: number;
  beta: number;
  lowercase: boolean;
  whitespace: boolean;
  epsSmoothing: boolean;
}

const EPSILON = 1e-16;

/** A segment prepared once: its code points (whitespace removed unless kept) and, for chrF++, its words. */
export interface ChrfSegment {
  codePoints: Int32Array;
  words: string[];
}

/** Prepares a segment: optional lowercasing, Python-whitespace removal (unless kept) and, for chrF++, word splitting. */
export function prepareChrfSegment(raw: string, settings: ChrfSettings): ChrfSegment {
  const sentence = settings.lowercase ? raw.toLowerCase() : raw;
  const codePoints = new Int32Array(sentence.length);
  let length = 0;
  for (let index = 0; index < sentence.length; index++) {
    let code = sentence.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < sentence.length) {
      const next = sentence.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        index++;
      }
    } else if (!settings.whitespace && isPythonSpace(code)) {
      continue;
    }
    codePoints[length++] = code;
  }
  return { codePoints: codePoints.subarray(0, length), words: settings.wordOrder > 0 ? splitWords(sentence) : [] };
}

// sacreBLEU's `_remove_punctuation`: one ASCII punctuation mark is split off the end, else off the start.
function splitWords(sentence: string): string[] {
  const out: string[] = [];
  for (const word of splitPython(sentence)) {
    if (word.length === 1) out.push(word);
    else if (isAsciiPunctuation(word.charCodeAt(word.length - 1))) out.push(word.slice(0, -1), word.slice(-1));
    else if (isAsciiPunctuation(word.charCodeAt(0))) out.push(word.slice(0, 1), word.slice(1));
    else out.push(word);
  }
  return out;
}

function wordKey(words: readonly string[], start: number, order: number): string {
  let key = words[start]!;
  for (let index = 1; index < order; index++) key += ' ' + words[start + index]!;
  return key;
}

function countWords(words: readonly string[], wordOrder: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let order = 1; order <= wordOrder; order++) {
    for (let start = 0; start + order <= words.length; start++) {
      const key = wordKey(words, start, order);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

const ngrams = new NgramIds();
const table = new CountTable();

/**
 * Returns `[n_hyp, n_ref, n_match]` per order (characters first, then words) for the hypothesis against
 * one reference; `n_hyp` is reported as 0 for an order where the reference has no n-grams (sacreBLEU's
 * `_get_match_statistics`).
 */
function matchStatistics(hypothesis: ChrfSegment, reference: ChrfSegment, settings: ChrfSettings): number[] {
  const stats: number[] = [];
  ngrams.reset();
  ngrams.countNgrams(reference.codePoints, settings.charOrder, table);
  const matches = new Array<number>(settings.charOrder).fill(0);
  const counts = table.ensure(ngrams.size);
  ngrams.matchNgrams(hypothesis.codePoints, settings.charOrder, counts, matches);
  // N-gram ids are dense (1..size), so this clears every count this reference set.
  counts.fill(0, 0, ngrams.size + 1);
  for (let order = 1; order <= settings.charOrder; order++) {
    const hypCount = Math.max(0, hypothesis.codePoints.length - order + 1);
    const refCount = Math.max(0, reference.codePoints.length - order + 1);
    stats.push(refCount > 0 ? hypCount : 0, refCount, matches[order - 1]!);
  }
  if (settings.wordOrder > 0) {
    const wordCounts = countWords(reference.words, settings.wordOrder);
    for (let order = 1; order <= settings.wordOrder; order++) {
      const hypCount = Math.max(0, hypothesis.words.length - order + 1);
      const refCount = Math.max(0, reference.words.length - order + 1);
      let matched = 0;
      for (let start = 0; start < hypCount; start++) {
        const key = wordKey(hypothesis.words, start, order);
        const left = wordCounts.get(key);
        if (left !== undefined && left > 0) {
          matched++;
          wordCounts.set(key, left - 1);
        }
      }
      stats.push(refCount > 0 ? hypCount : 0, refCount, matched);
    }
  }
  return stats;
}

/**
 * Returns the statistics of the reference with the best sentence-level chrF (the first one on a tie),
 * as sacreBLEU's `_compute_segment_statistics`.
 */
export function bestSegmentStatistics(hypothesis: ChrfSegment, references: readonly ChrfSegment[], settings: ChrfSettings): number[] {
  let best: number[] = [];
  let bestScore = -1.0;
  for (const reference of references) {
    const stats = matchStatistics(hypothesis, reference, settings);
    const score = chrfScore(stats, settings);
    if (score > bestScore) {
      bestScore = score;
      best = stats;
    }
  }
  return best;
}

/**
 * Computes chrF (0–100) from summed statistics as sacreBLEU's `_compute_f_score`: precision and recall
 * averaged over the orders where both sides have n-grams, then F-beta; 0 when no order qualifies. With
 * `epsSmoothing`, the mean of per-order F-beta with 1e-16 in place of undefined values instead.
 */
export function chrfScore(statistics: readonly number[], settings: ChrfSettings): number {
  const order = settings.charOrder + settings.wordOrder;
  const factor = settings.beta ** 2;
  let score = 0.0;
  let effectiveOrder = 0;
  let averagePrecision = 0.0;
  let averageRecall = 0.0;
  for (let index = 0; index < order; index++) {
    const hyp = statistics[3 * index]!;
    const ref = statistics[3 * index + 1]!;
    const match = statistics[3 * index + 2]!;
    const precision = hyp > 0 ? match / hyp : EPSILON;
    const recall = ref > 0 ? match / ref : EPSILON;
    const denominator = factor * precision + recall;
    score += denominator > 0 ? ((1 + factor) * precision * recall) / denominator : EPSILON;
    if (hyp > 0 && ref > 0) {
      averagePrecision += precision;
      averageRecall += recall;
      effectiveOrder++;
    }
  }
  if (settings.epsSmoothing) return (100 * score) / order;
  if (effectiveOrder === 0) {
    averagePrecision = 0.0;
    averageRecall = 0.0;
  } else {
    averagePrecision /= effectiveOrder;
    averageRecall /= effectiveOrder;
  }
  if (averagePrecision + averageRecall !== 0) {
    let f = (1 + factor) * averagePrecision * averageRecall;
    f /= factor * averagePrecision + averageRecall;
    return 100 * f;
  }
  return 0.0;
}
