import { compileLikePattern } from './like-pattern.ts';
import type { Comparator } from './parse-filter-clauses.ts';

/**
 * Compiles a comparison against a string right-hand side into a test of the left-hand value; comparisons are
 * case-sensitive except ILIKE, and `<`/`>` compare by code unit.
 */
export function compileStringComparison(comparator: Comparator, value: string | readonly string[]): (left: string) => boolean {
  if (typeof value !== 'string') {
    const set = new Set(value);
    return comparator === 'NOT IN' ? (left) => !set.has(left) : (left) => set.has(left);
  }
  if (comparator === 'LIKE') return compileLikePattern(value);
  if (comparator === 'ILIKE') return compileLikePattern(value, true);
  return compileOrderedComparison(comparator, value);
}

/** Compiles a numeric comparison into a test; NaN on the left fails every comparator except `!=`, as in Python. */
export function compileNumberComparison(comparator: Comparator, value: number): (left: number) => boolean {
  return compileOrderedComparison(comparator, value);
}

/** `= != < <= > >=` against one value of an ordered type; any other comparator never matches. */
function compileOrderedComparison<T extends string | number>(comparator: Comparator, value: T): (left: T) => boolean {
  switch (comparator) {
    case '=':
      return (left) => left === value;
    case '!=':
      return (left) => left !== value;
    case '<':
      return (left) => left < value;
    case '<=':
      return (left) => left <= value;
    case '>':
      return (left) => left > value;
    case '>=':
      return (left) => left >= value;
    default:
      return () => false;
  }
}
