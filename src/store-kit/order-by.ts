import { searchError } from './search-error.ts';
import { describeToken, tokenizeFilter, type Token } from './tokenize-filter.ts';

/** One parsed `"<identifier> [ASC|DESC]"` order_by entry. */
export interface OrderByTerm {
  prefix?: string;
  key: string;
  ascending: boolean;
  column: number;
  /** The order_by entry as written. */
  text: string;
  /** The name of the input, `orderBy[0]`, for errors. */
  field: string;
}

/**
 * Parses one order_by entry: an identifier, then ASC or DESC (any case; ASC when omitted), then nothing.
 * Throws a SearchError with the failing column otherwise.
 */
export function parseOrderByTerm(text: string, field: string): OrderByTerm {
  const tokens = tokenizeFilter(text, field);
  function fail(token: Token, problem: string): never {
    throw searchError({
      problem: `${field} "${text}" is malformed at column ${token.column}: ${problem}`,
      column: token.column,
      field,
      hint: 'Write "<identifier> [ASC|DESC]", for example "metrics.acc DESC" or "attributes.start_time ASC".',
    });
  }
  const [identifier, direction, rest] = tokens as [Token, Token, Token | undefined];
  if (identifier.kind !== 'identifier' && identifier.kind !== 'dquoted') fail(identifier, `expected an identifier, found ${describeToken(identifier, field)}`);
  let ascending = true;
  if (direction.kind === 'keyword' && (direction.text === 'ASC' || direction.text === 'DESC')) {
    ascending = direction.text === 'ASC';
    if (rest !== undefined && rest.kind !== 'end') fail(rest, `expected the end of the entry after ${direction.text}, found ${describeToken(rest, field)}`);
  } else if (direction.kind !== 'end') {
    fail(direction, `expected ASC, DESC or the end of the entry, found ${describeToken(direction, field)}`);
  }
  return {
    ...(identifier.kind === 'identifier' && identifier.prefix !== undefined ? { prefix: identifier.prefix } : {}),
    key: identifier.text,
    ascending,
    column: identifier.column,
    text,
    field,
  };
}

/** A sort value's rank: real values first, then NaN, then missing — in both directions. */
function rank(value: unknown): 0 | 1 | 2 {
  if (value === undefined || value === null) return 2;
  if (typeof value === 'number' && Number.isNaN(value)) return 1;
  return 0;
}

/**
 * Compares two sort values: real values in the asked direction, then NaN, then missing values (undefined or
 * null), whichever the direction (MLflow's order).
 */
export function compareValues(left: unknown, right: unknown, ascending: boolean): number {
  const leftRank = rank(left);
  const rightRank = rank(right);
  if (leftRank !== rightRank) return leftRank - rightRank;
  if (leftRank !== 0) return 0;
  if ((left as number | string) < (right as number | string)) return ascending ? -1 : 1;
  if ((left as number | string) > (right as number | string)) return ascending ? 1 : -1;
  return 0;
}

/** Builds a comparison of two items by one read value, ordered as `compareValues` orders. */
export function compareByValue<T>(read: (item: T) => unknown, ascending: boolean): (a: T, b: T) => number {
  return (a, b) => compareValues(read(a), read(b), ascending);
}

/** Chains comparisons: the first non-zero result wins. */
export function chainComparisons<T>(comparisons: readonly ((a: T, b: T) => number)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (let index = 0; index < comparisons.length; index += 1) {
      const result = comparisons[index]!(a, b);
      if (result !== 0) return result;
    }
    return 0;
  };
}
