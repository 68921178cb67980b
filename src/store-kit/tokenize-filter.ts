import { searchError } from './search-error.ts';

/** The kinds of token a search text is made of. */
export type TokenKind =
  | 'identifier' // metrics.acc, tags.`my key`, start_time, `run name`
  | 'keyword' // AND OR LIKE ILIKE IN NOT IS NULL ASC DESC (upper-cased in `text`)
  | 'string' // 'single quoted'
  | 'dquoted' // "double quoted": a string on the right, a name on the left
  | 'number'
  | 'operator' // = != < <= > >=
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'end';

/** One token with the 1-based column where it starts. */
export interface Token {
  kind: TokenKind;
  /** The token's value: the unquoted string, the operator, the upper-cased keyword, the raw number text. */
  text: string;
  /** For identifiers: the part before the first dot, or undefined for a bare key. */
  prefix?: string;
  column: number;
  /** The source text of the token, quotes included, for messages. */
  raw: string;
}

const KEYWORDS = new Set(['AND', 'OR', 'LIKE', 'ILIKE', 'IN', 'NOT', 'IS', 'NULL', 'ASC', 'DESC']);
const WORD_START = /[\p{L}_]/u;
const WORD_PART = /[\p{L}\p{N}_]/u;
// An unquoted key after the dot may also hold the characters metric names commonly use.
const KEY_PART = /[\p{L}\p{N}_.\-/:]/u;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;

/**
 * Splits a filter or order_by text into tokens, each with its 1-based column; ends with an `end` token.
 * Throws a SearchError pointing at the column of an unterminated quote or an unknown character.
 */
export function tokenizeFilter(text: string, field = 'filter'): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  function fail(problem: string, index: number, hint?: string): never {
    throw searchError({ problem: `${field} "${text}" is malformed at column ${index + 1}: ${problem}`, column: index + 1, field, ...(hint ? { hint } : {}) });
  }

  /** Reads a quoted run starting at `start`; a doubled quote inside stands for one quote. */
  const readQuoted = (start: number): { value: string; end: number } => {
    const quote = text[start];
    let value = '';
    let index = start + 1;
    for (;;) {
      if (index >= text.length) {
        fail(`the ${quote} quote opened here is never closed`, start, `Close the quote; write ${quote}${quote} for a literal ${quote} inside it.`);
      }
      const char = text[index]!;
      if (char === quote) {
        if (text[index + 1] === quote) {
          value += quote;
          index += 2;
          continue;
        }
        return { value, end: index + 1 };
      }
      value += char;
      index += 1;
    }
  };

  /** After an entity prefix and its dot, reads the key: quoted, or unquoted key characters. */
  const readKey = (dot: number): { value: string; end: number } => {
    const start = dot + 1;
    const first = text[start];
    if (first === '`' || first === '"') return readQuoted(start);
    let end = start;
    while (end < text.length && KEY_PART.test(text[end]!)) end += 1;
    if (end === start) fail('expected a key after the dot', start, 'Write the key after the dot, quoted with backticks if it has spaces: tags.`my key`.');
    return { value: text.slice(start, end), end };
  };

  while (at < text.length) {
    const char = text[at]!;
    if (/\s/.test(char)) {
      at += 1;
      continue;
    }
    const start = at;
    const push = (kind: TokenKind, value: string, end: number, prefix?: string): void => {
      tokens.push({ kind, text: value, column: start + 1, raw: text.slice(start, end), ...(prefix === undefined ? {} : { prefix }) });
      at = end;
    };

    if (char === '`' || char === '"') {
      const { value, end } = readQuoted(at);
      if (text[end] === '.') {
        const key = readKey(end);
        push('identifier', key.value, key.end, value);
      } else {
        push(char === '`' ? 'identifier' : 'dquoted', value, end);
      }
      continue;
    }
    if (char === "'") {
      const { value, end } = readQuoted(at);
      push('string', value, end);
      continue;
    }
    const number = NUMBER.exec(text.slice(at));
    if (number && (/[\d.]/.test(char) || /[\d.]/.test(text[at + 1] ?? ''))) {
      push('number', number[0], at + number[0].length);
      continue;
    }
    if (WORD_START.test(char)) {
      let end = at + 1;
      while (end < text.length && WORD_PART.test(text[end]!)) end += 1;
      const word = text.slice(at, end);
      if (text[end] === '.') {
        const key = readKey(end);
        push('identifier', key.value, key.end, word);
      } else if (KEYWORDS.has(word.toUpperCase())) {
        push('keyword', word.toUpperCase(), end);
      } else {
        push('identifier', word, end);
      }
      continue;
    }
    const two = text.slice(at, at + 2);
    if (two === '!=' || two === '<=' || two === '>=') {
      push('operator', two, at + 2);
      continue;
    }
    if (two === '<>' || two === '==') {
      fail(`"${two}" is not a comparator`, at, `Write ${two === '<>' ? '!=' : '='} instead.`);
    }
    if (char === '=' || char === '<' || char === '>') {
      push('operator', char, at + 1);
      continue;
    }
    if (char === '(') push('lparen', char, at + 1);
    else if (char === ')') push('rparen', char, at + 1);
    else if (char === ',') push('comma', char, at + 1);
    else fail(`unexpected character "${char}"`, at, 'Quote names that hold special characters with backticks (metrics.`my-metric`) and values with single quotes.');
  }
  tokens.push({ kind: 'end', text: '', column: text.length + 1, raw: '' });
  return tokens;
}

/** Describes a token for an error message: `"OR"`, `the end of the filter`. */
export function describeToken(token: Token, field = 'filter'): string {
  return token.kind === 'end' ? `the end of the ${field}` : `"${token.raw}"`;
}
