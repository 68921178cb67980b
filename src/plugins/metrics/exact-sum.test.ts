import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../testing/seeded-random.test-helpers.ts';
import { addToExactSum, createExactSum, mergeExactSums, roundExactSum } from './exact-sum.ts';

function sumOf(values: readonly number[]): number {
  const sum = createExactSum();
  for (const value of values) addToExactSum(sum, value);
  return roundExactSum(sum);
}

describe('exact sums', () => {
  it('rounds the exact total correctly where naive summation does not', () => {
    expect(sumOf([0.1, 0.2, 0.3])).toBe(0.6);
    expect(0.1 + 0.2 + 0.3).not.toBe(0.6);
    expect(sumOf([1e100, 1, -1e100, 1e-100])).toBe(1);
    // Python: math.fsum([1e-16, 1, 1e16]) == 1.0000000000000002e16
    expect(sumOf([1e-16, 1, 1e16])).toBe(10000000000000002);
  });

  it('gives the same bits in any order and through any split and merge', () => {
    const next = seededRandom(7);
    const values = Array.from({ length: 500 }, () => (next() - 0.5) * 10 ** Math.floor(next() * 30 - 15));
    const whole = sumOf(values);
    for (let trial = 0; trial < 20; trial++) {
      const shuffled = [...values].sort(() => next() - 0.5);
      const cut = Math.floor(next() * shuffled.length);
      const left = createExactSum();
      const right = createExactSum();
      shuffled.slice(0, cut).forEach((value) => addToExactSum(left, value));
      shuffled.slice(cut).forEach((value) => addToExactSum(right, value));
      expect(roundExactSum(mergeExactSums(right, left))).toBe(whole);
    }
  });

  it('carries infinities and NaN as ordinary addition does', () => {
    expect(sumOf([1, Number.NEGATIVE_INFINITY])).toBe(Number.NEGATIVE_INFINITY);
    expect(sumOf([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])).toBeNaN();
    expect(sumOf([])).toBe(0);
  });
});
