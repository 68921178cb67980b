import { describe, expect, it } from 'vitest';
import { regex } from './regex.ts';

describe('regex', () => {
  it('splits into words and runs of punctuation by default', () => {
    expect(regex({}).tokenize("Good muffins cost $3.88 in New-York. Don't!")).toEqual([
      'Good', 'muffins', 'cost', '$', '3', '.', '88', 'in', 'New', '-', 'York', '.', 'Don', "'", 't', '!',
    ]);
  });

  it('takes a pattern as a string with flags, or as a RegExp', () => {
    expect(regex({ pattern: '[a-z]+', flags: 'i' }).tokenize('Ab1cD')).toEqual(['Ab', 'cD']);
    expect(regex({ pattern: /\p{L}+/u }).tokenize('naïve café 42')).toEqual(['naïve', 'café']);
  });

  it('splits on the pattern with gaps, dropping empty pieces', () => {
    expect(regex({ pattern: ',\\s*', gaps: true }).tokenize('a, b,,c,')).toEqual(['a', 'b', 'c']);
  });

  it('encodes to ids and decodes with the separator', () => {
    const tokenizer = regex({ separator: '|' });
    expect(tokenizer.encode('a, b')).toEqual([0, 1, 2]);
    expect(tokenizer.decode([2, 1, 0])).toBe('b|,|a');
  });

  it('throws TOKENIZER_BAD_CONFIG naming the pattern when it does not compile or matches nothing', () => {
    expect(() => regex({ pattern: '(' })).toThrow(expect.objectContaining({ code: 'TOKENIZER_BAD_CONFIG', field: 'pattern', problem: expect.stringContaining('not a valid regular expression') }));
    expect(() => regex({ pattern: '\\w*' })).toThrow(expect.objectContaining({ code: 'TOKENIZER_BAD_CONFIG', problem: expect.stringContaining('matches the empty string') }));
  });
});
