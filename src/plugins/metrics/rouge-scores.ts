// ROUGE-N, ROUGE-L and summary-level ROUGE-Lsum F-measures of one target/prediction pair, as Google's
// rouge_score `RougeScorer.score` computes them; tokens are interned to integers first so the n-gram
// counts and LCS tables compare numbers.

/** The four F-measures of one pair. */
export interface RougeFMeasures {
  rouge1: number;
  rouge2: number;
  rougeL: number;
  rougeLsum: number;
}

/** Maps tokens to small integers, shared by every text of one row. */
export class TokenIds {
  #ids = new Map<string, number>();

  /** Returns the ids of `tokens`, assigning new ids to tokens not seen before. */
  encode(tokens: readonly string[]): Int32Array {
    const out = new Int32Array(tokens.length);
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index]!;
      let id = this.#ids.get(token);
      if (id === undefined) {
        id = this.#ids.size;
        this.#ids.set(token, id);
      }
      out[index] = id;
    }
    return out;
  }

  /** The number of distinct tokens seen. */
  get size(): number {
    return this.#ids.size;
  }
}

function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0.0;
}

/** ROUGE-N F-measure: clipped n-gram overlap over max(count, 1) on each side; 0 when either side is empty. */
export function rougeN(target: Int32Array, prediction: Int32Array, order: number, vocabulary: number): number {
  const targetCount = Math.max(0, target.length - order + 1);
  const predictionCount = Math.max(0, prediction.length - order + 1);
  if (targetCount === 0 || predictionCount === 0) return 0.0;
  const counts = new Map<number, number>();
  const key = (ids: Int32Array, start: number) => {
    let value = 0;
    for (let index = 0; index < order; index++) value = value * vocabulary + ids[start + index]!;
    return value;
  };
  for (let start = 0; start < targetCount; start++) {
    const ngram = key(target, start);
    counts.set(ngram, (counts.get(ngram) ?? 0) + 1);
  }
  let overlap = 0;
  for (let start = 0; start < predictionCount; start++) {
    const ngram = key(prediction, start);
    const left = counts.get(ngram);
    if (left !== undefined && left > 0) {
      overlap++;
      counts.set(ngram, left - 1);
    }
  }
  return fmeasure(overlap / Math.max(predictionCount, 1), overlap / Math.max(targetCount, 1));
}

/** The length of the longest common subsequence of two id sequences, in two rows of memory. */
export function lcsLength(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let previous = new Int32Array(b.length + 1);
  let current = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const item = a[i - 1]!;
    for (let j = 1; j <= b.length; j++) {
      if (item === b[j - 1]) current[j] = previous[j - 1]! + 1;
      else {
        const up = previous[j]!;
        const left = current[j - 1]!;
        current[j] = up > left ? up : left;
      }
    }
    const swap = previous;
    previous = current;
    current = swap;
  }
  return previous[b.length]!;
}

/** ROUGE-L F-measure from the token LCS; 0 when either side has no tokens. */
export function rougeL(target: Int32Array, prediction: Int32Array): number {
  if (target.length === 0 || prediction.length === 0) return 0.0;
  const lcs = lcsLength(target, prediction);
  return fmeasure(lcs / prediction.length, lcs / target.length);
}

// The positions in `reference` of one LCS with `candidate`, chosen by rouge_score's backtracking
// (move along the candidate only when the cell to the left is strictly greater, else along the reference).
function lcsPositions(reference: Int32Array, candidate: Int32Array, into: Set<number>): void {
  const rows = reference.length;
  const columns = candidate.length;
  if (rows === 0 || columns === 0) return;
  const width = columns + 1;
  const table = new Int32Array((rows + 1) * width);
  for (let i = 1; i <= rows; i++) {
    const item = reference[i - 1]!;
    for (let j = 1; j <= columns; j++) {
      if (item === candidate[j - 1]) table[i * width + j] = table[(i - 1) * width + j - 1]! + 1;
      else {
        const up = table[(i - 1) * width + j]!;
        const left = table[i * width + j - 1]!;
        table[i * width + j] = up > left ? up : left;
      }
    }
  }
  let i = rows;
  let j = columns;
  while (i > 0 && j > 0) {
    if (reference[i - 1] === candidate[j - 1]) {
      into.add(i - 1);
      i--;
      j--;
    } else if (table[i * width + j - 1]! > table[(i - 1) * width + j]!) {
      j--;
    } else {
      i--;
    }
  }
}

/**
 * Summary-level ROUGE-Lsum F-measure over sentences (token lists): for each reference sentence the union
 * of its LCS positions against every candidate sentence, each union token counted only while both texts
 * still have unused occurrences of it (ROUGE 1.5.5's guard); 0 when either side has no tokens.
 */
export function rougeLsum(references: readonly Int32Array[], candidates: readonly Int32Array[]): number {
  let referenceTokens = 0;
  let candidateTokens = 0;
  for (const sentence of references) referenceTokens += sentence.length;
  for (const sentence of candidates) candidateTokens += sentence.length;
  if (referenceTokens === 0 || candidateTokens === 0) return 0.0;
  const referenceLeft = new Map<number, number>();
  const candidateLeft = new Map<number, number>();
  for (const sentence of references) for (const id of sentence) referenceLeft.set(id, (referenceLeft.get(id) ?? 0) + 1);
  for (const sentence of candidates) for (const id of sentence) candidateLeft.set(id, (candidateLeft.get(id) ?? 0) + 1);
  let hits = 0;
  const union = new Set<number>();
  for (const reference of references) {
    union.clear();
    for (const candidate of candidates) lcsPositions(reference, candidate, union);
    const positions = [...union].sort((x, y) => x - y);
    for (const position of positions) {
      const id = reference[position]!;
      const inCandidates = candidateLeft.get(id) ?? 0;
      const inReferences = referenceLeft.get(id) ?? 0;
      if (inCandidates > 0 && inReferences > 0) {
        hits++;
        candidateLeft.set(id, inCandidates - 1);
        referenceLeft.set(id, inReferences - 1);
      }
    }
  }
  return fmeasure(hits / candidateTokens, hits / referenceTokens);
}
