import { searchError } from './search-error.ts';
import { describeToken, tokenizeFilter, type Token } from './tokenize-filter.ts';

/** A comparator of MLflow's filter grammar. */
export type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN' | 'IS NULL' | 'IS NOT NULL';

/** The right-hand side of a comparison, as written. */
export type ClauseValue =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number; raw: string }
  | { kind: 'list'; value: string[] }
  /** `IS NULL` and `IS NOT NULL` take no value. */
  | { kind: 'none' };

/** One `identifier comparator value` comparison, with the columns of its parts for later errors. */
export interface FilterClause {
  /** The entity prefix as written (`metrics`, `tag`, `attr`), or undefined for a bare key. */
  prefix?: string;
  key: string;
  comparator: Comparator;
  value: ClauseValue;
  /** The identifier as written, for messages. */
  raw: string;
  column: number;
  comparatorColumn: number;
  valueColumn: number;
}

/** Where a clause part sits, so a semantic check can point at it. */
export interface ClauseErrorContext {
  text: string;
  field: string;
}

const EXAMPLES = "metrics.acc > 0.9 AND params.lr = '0.01' AND tags.`my key` LIKE 'a%'";

/**
 * Parses a filter into its AND-joined comparisons without judging keys or types; an empty or blank filter
 * gives an empty list. Throws a SearchError (INVALID_PARAMETER_VALUE) with the column where parsing failed.
 */
export function parseFilterClauses(text: string, field = 'filter'): FilterClause[] {
  const tokens = tokenizeFilter(text, field);
  const clauses: FilterClause[] = [];
  let index = 0;
  const peek = (): Token => tokens[index]!;
  const next = (): Token => tokens[index++]!;
  function fail(token: Token, problem: string, hint: string): never {
    throw searchError({
      problem: `${field} "${text}" is malformed at column ${token.column}: ${problem}`,
      column: token.column,
      field,
      hint,
    });
  }

  if (peek().kind === 'end') return clauses;
  for (;;) {
    const left = next();
    if (left.kind !== 'identifier' && left.kind !== 'dquoted') {
      if (left.kind === 'lparen') fail(left, 'parentheses for grouping are not supported', 'Write the comparisons one after another, joined by AND.');
      if (left.kind === 'keyword' && left.text === 'OR') fail(left, 'OR is not supported', 'Only AND joins comparisons; run one search per alternative.');
      fail(left, `expected an identifier, found ${describeToken(left, field)}`, `Start each comparison with metrics.<key>, params.<key>, tags.<key> or an attribute, as in ${EXAMPLES}.`);
    }
    const comparatorToken = next();
    let comparator: Comparator;
    if (comparatorToken.kind === 'operator') {
      comparator = comparatorToken.text as Comparator;
    } else if (comparatorToken.kind === 'keyword' && ['LIKE', 'ILIKE', 'IN'].includes(comparatorToken.text)) {
      comparator = comparatorToken.text as Comparator;
    } else if (comparatorToken.kind === 'keyword' && comparatorToken.text === 'IS') {
      let nullToken = next();
      const negated = nullToken.kind === 'keyword' && nullToken.text === 'NOT';
      if (negated) nullToken = next();
      if (nullToken.kind !== 'keyword' || nullToken.text !== 'NULL') fail(nullToken, `expected NULL after IS${negated ? ' NOT' : ''}, found ${describeToken(nullToken, field)}`, 'Write params.<key> IS NULL or IS NOT NULL.');
      comparator = negated ? 'IS NOT NULL' : 'IS NULL';
    } else if (comparatorToken.kind === 'keyword' && comparatorToken.text === 'NOT') {
      const inToken = next();
      if (inToken.kind !== 'keyword' || inToken.text !== 'IN') fail(inToken, `expected IN after NOT, found ${describeToken(inToken, field)}`, 'NOT is only allowed as NOT IN (...).');
      comparator = 'NOT IN';
    } else {
      const found = describeToken(comparatorToken, field);
      fail(comparatorToken, `expected a comparator after "${left.raw}", found ${found}`, 'Use one of = != < <= > >= LIKE ILIKE IN NOT IN.');
    }
    const valueToken = comparator === 'IS NULL' || comparator === 'IS NOT NULL' ? comparatorToken : next();
    let value: ClauseValue;
    if (comparator === 'IS NULL' || comparator === 'IS NOT NULL') {
      value = { kind: 'none' };
    } else if (comparator === 'IN' || comparator === 'NOT IN') {
      if (valueToken.kind !== 'lparen') fail(valueToken, `expected "(" after ${comparator}, found ${describeToken(valueToken, field)}`, "Write a list of quoted strings: run_id IN ('a', 'b').");
      value = { kind: 'list', value: parseList() };
    } else if (valueToken.kind === 'string' || valueToken.kind === 'dquoted') {
      value = { kind: 'string', value: valueToken.text };
    } else if (valueToken.kind === 'number') {
      value = { kind: 'number', value: Number(valueToken.text), raw: valueToken.text };
    } else {
      fail(valueToken, `expected a number or a quoted string after ${comparator}, found ${describeToken(valueToken, field)}`, "Quote strings with single or double quotes: params.model = 'cnn'.");
    }
    clauses.push({
      ...(left.kind === 'identifier' && left.prefix !== undefined ? { prefix: left.prefix } : {}),
      key: left.text,
      comparator: comparator,
      value: value,
      raw: left.raw,
      column: left.column,
      comparatorColumn: comparatorToken.column,
      valueColumn: valueToken.column,
    });
    const joiner = next();
    if (joiner.kind === 'end') return clauses;
    if (joiner.kind === 'keyword' && joiner.text === 'AND') {
      if (peek().kind === 'end') fail(peek(), 'expected a comparison after AND', 'Remove the trailing AND or add a comparison after it.');
      continue;
    }
    if (joiner.kind === 'keyword' && joiner.text === 'OR') fail(joiner, 'OR is not supported', 'Only AND joins comparisons; run one search per alternative.');
    fail(joiner, `expected AND or the end of the ${field}, found ${describeToken(joiner, field)}`, `Join comparisons with AND, as in ${EXAMPLES}.`);
  }

  function parseList(): string[] {
    const items: string[] = [];
    for (;;) {
      const item = next();
      if (item.kind === 'rparen' && items.length === 0) fail(item, 'the list is empty', 'Give at least one quoted string inside the parentheses.');
      // MLflow reads the list as a Python tuple, so one comma may end it: ('a',) and ('a', 'b',).
      if (item.kind === 'rparen') return items;
      if (item.kind !== 'string' && item.kind !== 'dquoted') fail(item, `expected a quoted string in the list, found ${describeToken(item, field)}`, "Write a list of quoted strings: run_id IN ('a', 'b').");
      items.push(item.text);
      const after = next();
      if (after.kind === 'rparen') return items;
      if (after.kind !== 'comma') fail(after, `expected "," or ")" in the list, found ${describeToken(after, field)}`, "Separate list items with commas and close the list with ')'.");
    }
  }
}

/** Throws a SearchError about one clause part (a key, a comparator or a value) at that part's column. */
export function clauseError(context: ClauseErrorContext, column: number, problem: string, hint: string): never {
  throw searchError({
    problem: `${context.field} "${context.text}" is invalid at column ${column}: ${problem}`,
    column,
    field: context.field,
    hint,
  });
}
