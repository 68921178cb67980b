// sacreBLEU's reproducibility signatures (sacrebleu/metrics/base.py `Signature` and the BLEU, chrF and
// TER subclasses), e.g. "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0".

/** The sacreBLEU release whose scores and signatures bleu, chrf and ter reproduce (the parity fixtures come from it). */
export const SACREBLEU_VERSION = '2.6.0';

/** The fewest and most references any row had (-1 and -1 before any row), which decide the signature's nrefs. */
export interface ReferenceCounts {
  fewest: number;
  most: number;
}

/** Returns the counts before any row. */
export function createReferenceCounts(): ReferenceCounts {
  return { fewest: -1, most: -1 };
}

/** Notes a row with `count` references (after `null` ones are dropped), in place. */
export function noteReferenceCount(counts: ReferenceCounts, count: number): void {
  counts.fewest = counts.fewest < 0 ? count : Math.min(counts.fewest, count);
  counts.most = Math.max(counts.most, count);
}

/** Returns the counts of two parts together; neither input is changed. */
export function mergeReferenceCounts(a: ReferenceCounts | undefined, b: ReferenceCounts | undefined): ReferenceCounts {
  const merged = createReferenceCounts();
  for (const part of [a, b]) {
    if (part === undefined || part.fewest < 0) continue;
    noteReferenceCount(merged, part.fewest);
    noteReferenceCount(merged, part.most);
  }
  return merged;
}

// Python's f"{value:.2f}": the exact binary value rounded, ties to even (toFixed breaks ties upwards).
function formatTwoDecimals(value: number): string {
  const scaled = value * 200;
  if (Number.isInteger(scaled) && Math.abs(scaled) % 2 === 1) {
    const hundredths = Math.floor(value * 100);
    const even = hundredths % 2 === 0 ? hundredths : hundredths + 1;
    return (even / 100).toFixed(2);
  }
  return value.toFixed(2);
}

/** Formats `smooth_method` as BLEU's signature does: the method, and its value in brackets when it takes one (`floor[0.10]`). */
export function formatSmoothing(method: string, value: number | null, fallback: number | null): string {
  if (fallback === null) return method;
  return `${method}[${formatTwoDecimals(value ?? fallback)}]`;
}

/**
 * Builds a signature: `nrefs` first ("var" when rows had different numbers of references, or there were
 * no rows), then the metric's own pairs in order (booleans as yes/no), then the version.
 */
export function formatSignature(counts: ReferenceCounts, pairs: ReadonlyArray<readonly [string, string | number | boolean]>): string {
  const nrefs = counts.fewest >= 0 && counts.fewest === counts.most ? String(counts.fewest) : 'var';
  const shown = pairs.map(([key, value]) => `${key}:${typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value)}`);
  return [`nrefs:${nrefs}`, ...shown, `version:${SACREBLEU_VERSION}`].join('|');
}
