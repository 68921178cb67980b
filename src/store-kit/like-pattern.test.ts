import { describe, expect, it } from 'vitest';
import { compileLikePattern } from './like-pattern.ts';

const like = (pattern: string, text: string) => compileLikePattern(pattern)(text);
const ilike = (pattern: string, text: string) => compileLikePattern(pattern, true)(text);

describe('compileLikePattern', () => {
  it('matches a pattern without wildcards only against the same string', () => {
    expect(like('cnn', 'cnn')).toBe(true);
    expect(like('cnn', 'cnnx')).toBe(false);
    expect(like('cnn', 'CNN')).toBe(false);
    expect(like('', '')).toBe(true);
    expect(like('', 'a')).toBe(false);
  });

  it('lets % stand for any run of characters, also none, anchored at both ends otherwise', () => {
    expect(like('%', '')).toBe(true);
    expect(like('%', 'anything at all')).toBe(true);
    expect(like('%%', '')).toBe(true);
    expect(like('a%', 'abc')).toBe(true);
    expect(like('a%', 'bac')).toBe(false);
    expect(like('%c', 'abc')).toBe(true);
    expect(like('%c', 'cab')).toBe(false);
    expect(like('%b%', 'abc')).toBe(true);
    expect(like('a%c', 'ac')).toBe(true);
    expect(like('a%c', 'a')).toBe(false);
    expect(like('ab%ba', 'aba')).toBe(false);
    expect(like('ab%ba', 'abba')).toBe(true);
    expect(like('%a%b%c%', 'xxaxxbxxcxx')).toBe(true);
    expect(like('%a%b%c%', 'xxcxxbxxaxx')).toBe(false);
    expect(like('%aab', 'aaab')).toBe(true);
    expect(like('%a%a%b', 'aab')).toBe(true);
    expect(like('%a%a%b', 'ab')).toBe(false);
  });

  it('lets _ stand for exactly one character, counting a code point outside the BMP as one', () => {
    expect(like('c_n', 'cnn')).toBe(true);
    expect(like('c_n', 'cn')).toBe(false);
    expect(like('c_', 'cnn')).toBe(false);
    expect(like('___', 'abc')).toBe(true);
    expect(like('a_c', 'a😀c')).toBe(true);
    expect(like('a__c', 'a😀c')).toBe(false);
    expect(like('%_%', '')).toBe(false);
    expect(like('_%_', 'ab')).toBe(true);
    expect(like('%b_d%', 'abcbxd')).toBe(true);
  });

  it('treats every other character, regular-expression syntax and backslashes included, as itself', () => {
    expect(like('a.c', 'a.c')).toBe(true);
    expect(like('a.c', 'abc')).toBe(false);
    expect(like('.*', 'anything')).toBe(false);
    expect(like('(x|y)+', '(x|y)+')).toBe(true);
    expect(like('a\\%', 'a\\b')).toBe(true);
    expect(like('^$[]{}?', '^$[]{}?')).toBe(true);
  });

  it('makes LIKE case-sensitive and ILIKE case-insensitive beyond ASCII', () => {
    expect(like('C%', 'cnn')).toBe(false);
    expect(ilike('C%', 'cnn')).toBe(true);
    expect(ilike('%NLP', 'team-nlp')).toBe(true);
    expect(ilike('straße', 'STRAßE')).toBe(true);
    expect(ilike('σ_', 'ΣΑ')).toBe(true);
    expect(ilike('ς', 'Σ')).toBe(true);
    expect(ilike('k', '\u212a')).toBe(true);
    expect(ilike('é', 'É')).toBe(true);
    expect(ilike('a_c', 'A😀C')).toBe(true);
    expect(ilike('ss', 'ß')).toBe(false);
  });

  it('answers hostile patterns against a 6,000-character value in linear time', { timeout: 2_000 }, () => {
    const value = 'a'.repeat(6_000);
    const started = performance.now();
    expect(like('%a%a%b', value)).toBe(false);
    expect(like(`${'%a'.repeat(200)}%b`, value)).toBe(false);
    expect(ilike(`${'%A'.repeat(200)}%b`, value)).toBe(false);
    expect(like(`%${'_'.repeat(3_000)}b%`, value)).toBe(false);
    expect(like(`%${'a'.repeat(100)}b%`, value)).toBe(false);
    expect(like('%a%a%a', value)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

});
