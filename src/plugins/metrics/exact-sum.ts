// Exact floating-point summation (Shewchuk's partials, rounded as Python's math.fsum rounds) so that a
// sum's value never depends on the order its terms arrived in, which makes merged halves bit-identical to
// the whole.

/**
 * An exact running sum as plain, structured-cloneable data: `partials` are non-overlapping doubles in
 * increasing magnitude whose exact sum is the sum of the finite terms; `nonFinite` collects ±Infinity and
 * NaN terms by ordinary addition (which is order-independent for those values).
 */
export interface ExactSum {
  partials: number[];
  nonFinite: number;
}

/** Creates an empty exact sum (its value is 0). */
export function createExactSum(): ExactSum {
  return { partials: [], nonFinite: 0 };
}

/** Adds `value` to `sum` in place without any rounding error; a non-finite value goes to `nonFinite`. */
export function addToExactSum(sum: ExactSum, value: number): void {
  if (!Number.isFinite(value)) {
    sum.nonFinite += value;
    return;
  }
  const partials = sum.partials;
  let x = value;
  let kept = 0;
  for (let index = 0; index < partials.length; index++) {
    let y = partials[index]!;
    if (Math.abs(x) < Math.abs(y)) {
      const swap = x;
      x = y;
      y = swap;
    }
    const high = x + y;
    const low = y - (high - x);
    if (low !== 0) partials[kept++] = low;
    x = high;
  }
  partials.length = kept;
  partials.push(x);
}

/** Returns a new exact sum holding the exact total of `a` and `b`; neither input is changed. */
export function mergeExactSums(a: ExactSum, b: ExactSum): ExactSum {
  const merged: ExactSum = { partials: a.partials.slice(), nonFinite: a.nonFinite };
  for (const partial of b.partials) addToExactSum(merged, partial);
  merged.nonFinite += b.nonFinite;
  return merged;
}

/**
 * Returns the exact sum correctly rounded to the nearest double (ties to even), the same value Python's
 * `math.fsum` gives for the same terms; 0 for an empty sum, and the non-finite total when any term was
 * ±Infinity or NaN (Infinity + -Infinity is NaN).
 */
export function roundExactSum(sum: ExactSum): number {
  if (sum.nonFinite !== 0 || Number.isNaN(sum.nonFinite)) return sum.nonFinite;
  const partials = sum.partials;
  let count = partials.length;
  if (count === 0) return 0;
  let high = partials[--count]!;
  let low = 0;
  while (count > 0) {
    const x = high;
    const y = partials[--count]!;
    high = x + y;
    const rounded = high - x;
    low = y - rounded;
    if (low !== 0) break;
  }
  // Half-even rounding across several partials: when the remainder below `low` pushes the same way, a
  // tie is not a tie, so round away from it (as CPython's fsum does).
  if (count > 0 && ((low < 0 && partials[count - 1]! < 0) || (low > 0 && partials[count - 1]! > 0))) {
    const y = low * 2;
    const x = high + y;
    const back = x - high;
    if (y === back) high = x;
  }
  return high;
}
