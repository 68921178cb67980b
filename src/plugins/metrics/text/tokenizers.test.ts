import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rougeTokenize } from './rouge-tokenize.ts';
import { TokenInterner, splitPythonIds } from './token-interner.ts';
import { tokenize13a, tokenize13aIds } from './tokenize-13a.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/tokenizers.json', import.meta.url), 'utf8')) as {
  texts: string[];
  '13a': string[][];
  rouge: string[][];
  rouge_stemmed: string[][];
};

function mismatches(tokenize: (text: string) => string[], expected: string[][]) {
  return fixture.texts
    .map((text, index) => ({ text, expected: expected[index], actual: tokenize(text) }))
    .filter((item) => JSON.stringify(item.actual) !== JSON.stringify(item.expected));
}

describe('tokenizers agree with the Python references on every fixture text', () => {
  it('tokenize13a gives sacreBLEU Tokenizer13a tokens', () => {
    expect(fixture.texts.length).toBeGreaterThan(400);
    expect(mismatches(tokenize13a, fixture['13a'])).toEqual([]);
  });

  it('tokenize13aIds interns exactly the tokens tokenize13a gives', () => {
    const interner = new TokenInterner();
    const fromIds = (text: string) => Array.from(tokenize13aIds(text, interner), (id) => interner.text(id));
    expect(mismatches(fromIds, fixture['13a'])).toEqual([]);
  });

  it('splitPythonIds splits as str.split()', () => {
    const interner = new TokenInterner();
    expect(Array.from(splitPythonIds(' a\x1cb\u00a0c\ufeffd  ', interner), (id) => interner.text(id))).toEqual(['a', 'b', 'c\ufeffd']);
  });

  it('rougeTokenize gives rouge_score tokens without and with the stemmer', () => {
    expect(mismatches((text) => rougeTokenize(text, false), fixture.rouge)).toEqual([]);
    expect(mismatches((text) => rougeTokenize(text, true), fixture.rouge_stemmed)).toEqual([]);
  });
});
