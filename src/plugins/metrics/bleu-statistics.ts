// BLEU's sufficient statistics for one segment and the score computed from summed statistics, as
// sacreBLEU 2.x `BLEU._compute_segment_statistics` and `BLEU.compute_bleu` define them.
import { CountTable, NgramIds } from './ngram-ids.ts';
import { TokenInterner } from './text/token-interner.ts';

/** How precisions of orders without matches are smoothed (sacreBLEU's `smooth_method`). */
export type SmoothMethod = 'exp' | 'floor' | 'add-k' | 'none';

/** The default `smooth_value` of each smoothing method. */
export const SMOOTH_DEFAULTS: Record<SmoothMethod, number | null> = { exp: null, floor: 0.1, 'add-k': 1, none: null };

/** Integer statistics of one or more segments: lengths and per-order matches and totals. */
export interface BleuCounts {
  sysLen: number;
  refLen: number;
  correct: number[];
  total: number[];
}

/** BLEU computed from statistics; the field names are sacreBLEU's. */
export interface BleuScore {
  score: number;
  counts: number[];
  totals: number[];
  precisions: number[];
  bp: number;
  sys_len: number;
  ref_len: number;
}

/** Returns the reference length closest to `hypothesisLength`; a tie goes to the shorter reference. */
export function closestReferenceLength(hypothesisLength: number, referenceLengths: readonly number[]): number {
  let closestDiff = -1;
  let closest = -1;
  for (const length of referenceLengths) {
    const diff = Math.abs(hypothesisLength - length);
    if (closestDiff === -1 || diff < closestDiff) {
      closestDiff = diff;
      closest = length;
    } else if (diff === closestDiff && length < closest) {
      closest = length;
    }
  }
  return closest;
}

/** A tokenizer that returns token ids in the given interner. */
export type LineTokenizer = (line: string, interner: TokenInterner) => Int32Array;

// Token ids live across segments and are forgotten only between segments; n-gram ids live for one segment.
const tokens = new TokenInterner();
const ngrams = new NgramIds();
const available = new CountTable();
const own = new CountTable();

/**
 * Adds one segment's statistics to `into`: the lines are tokenized with `tokenize`, hypothesis n-grams
 * are clipped by the maximum count of the same n-gram in any single reference, and the reference length
 * is the closest one. `references` must hold at least one line (an empty line is an empty reference).
 */
export function addSegmentCounts(
  into: BleuCounts,
  hypothesisLine: string,
  referenceLines: readonly string[],
  tokenize: LineTokenizer,
  maxOrder: number,
): void {
  if (tokens.size > 1 << 20) tokens.clear();
  ngrams.reset();
  const hypothesis = tokenize(hypothesisLine, tokens);
  const lengths: number[] = [];
  for (let index = 0; index < referenceLines.length; index++) {
    const reference = tokenize(referenceLines[index]!, tokens);
    lengths.push(reference.length);
    if (index === 0) {
      ngrams.countNgrams(reference, maxOrder, available);
    } else {
      // Several references: each n-gram's count is its largest count in any one reference.
      ngrams.countNgrams(reference, maxOrder, own);
      const size = ngrams.size;
      const counts = available.ensure(size);
      const mine = own.ensure(size);
      for (let id = 1; id <= size; id++) if (mine[id]! > counts[id]!) counts[id] = mine[id]!;
      mine.fill(0, 0, size + 1);
    }
  }
  for (let order = 1; order <= maxOrder; order++) into.total[order - 1]! += Math.max(0, hypothesis.length - order + 1);
  // Taking from the reference counts clips each n-gram at min(hypothesis count, reference count).
  const counts = available.ensure(ngrams.size);
  ngrams.matchNgrams(hypothesis, maxOrder, counts, into.correct);
  // N-gram ids are dense (1..size), so this clears every count this segment set.
  counts.fill(0, 0, ngrams.size + 1);
  into.sysLen += hypothesis.length;
  into.refLen += closestReferenceLength(hypothesis.length, lengths);
}

function floorLog(value: number): number {
  return value === 0 ? -9999999999 : Math.log(value);
}

/**
 * Computes BLEU (0–100) from summed statistics exactly as sacreBLEU's `compute_bleu`: brevity penalty
 * exp(1 − ref/sys) when sys < ref (0 for an empty system), 0 when no n-gram matches at all, the loop
 * stops at the first order with no n-grams, and log(0) counts as −9999999999. With `add-k` the returned
 * counts and totals include the added k, as sacreBLEU's do. The input is not changed.
 */
export function computeBleu(
  counts: BleuCounts,
  smoothMethod: SmoothMethod,
  smoothValue: number | null,
  effectiveOrder: boolean,
  maxOrder: number,
): BleuScore {
  const smooth = smoothValue ?? SMOOTH_DEFAULTS[smoothMethod] ?? 0;
  const correct = counts.correct.slice();
  const total = counts.total.slice();
  const { sysLen, refLen } = counts;
  let bp = 1.0;
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0.0;
  const precisions = new Array<number>(maxOrder).fill(0);
  const result = (score: number): BleuScore => ({
    score,
    counts: correct,
    totals: total,
    precisions,
    bp,
    sys_len: sysLen,
    ref_len: refLen,
  });
  if (!correct.some((count) => count !== 0)) return result(0.0);
  let smoothMteval = 1.0;
  let order = maxOrder;
  for (let n = 1; n <= maxOrder; n++) {
    if (smoothMethod === 'add-k' && n > 1) {
      correct[n - 1]! += smooth;
      total[n - 1]! += smooth;
    }
    if (total[n - 1] === 0) break;
    if (effectiveOrder) order = n;
    if (correct[n - 1] === 0) {
      if (smoothMethod === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * total[n - 1]!);
      } else if (smoothMethod === 'floor') {
        precisions[n - 1] = (100 * smooth) / total[n - 1]!;
      }
    } else {
      precisions[n - 1] = (100 * correct[n - 1]!) / total[n - 1]!;
    }
  }
  let logSum = 0;
  for (let n = 0; n < order; n++) logSum += floorLog(precisions[n]!);
  return result(bp * Math.exp(logSum / order));
}
