import { describe, expect, it } from 'vitest';
import { whitespace } from './whitespace.ts';

describe('whitespace', () => {
  it('splits as Python str.split() does, including U+001C–U+001F and U+0085 but not U+FEFF', () => {
    const tokenizer = whitespace({});
    expect(tokenizer.tokenize('  a\tb\n\nc\u3000d\x1ce\x85f\u00a0g\ufeffh  ')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g\ufeffh']);
    expect(tokenizer.tokenize('')).toEqual([]);
    expect(tokenizer.tokenize(' \t ')).toEqual([]);
  });

  it('gives each new word the next id when no vocabulary is given, and decodes them back', () => {
    const tokenizer = whitespace({});
    expect(tokenizer.encode('the cat the mat')).toEqual([0, 1, 0, 2]);
    expect(tokenizer.encode('mat dog')).toEqual([2, 3]);
    expect(tokenizer.decode([0, 1, 3])).toBe('the cat dog');
    expect(tokenizer.vocabularySize).toBe(4);
  });

  it('maps words outside a fixed vocabulary to the unknown token', () => {
    const tokenizer = whitespace({ vocab: ['[UNK]', 'hello', 'world'], lowercase: true });
    expect(tokenizer.encode('Hello big World')).toEqual([1, 0, 2]);
    expect(tokenizer.decode([1, 0])).toBe('hello [UNK]');
  });

  it('throws TOKENIZER_BAD_CONFIG when a fixed vocabulary has no unknown token', () => {
    expect(() => whitespace({ vocab: { a: 0 } })).toThrow(expect.objectContaining({ code: 'TOKENIZER_BAD_CONFIG', field: 'vocab', plugin: 'whitespace' }));
    expect(() => whitespace({ vocab: { a: 0, b: 0, '[UNK]': 1 } })).toThrow(expect.objectContaining({ code: 'TOKENIZER_BAD_CONFIG', field: 'vocab["b"]' }));
  });

  it('throws TOKENIZER_UNKNOWN_ID naming the position of an id it never gave', () => {
    const tokenizer = whitespace({});
    tokenizer.encode('a b');
    expect(() => tokenizer.decode([1, 7])).toThrow(expect.objectContaining({ code: 'TOKENIZER_UNKNOWN_ID', field: 'ids[1]' }));
  });

  it('is stamped as a v1 plugin', () => {
    expect(whitespace.api).toBe('v1');
  });
});
