import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SquadTokens, squadTokens } from './squad-tokens.ts';

// normalize_answer(text).split() of the SQuAD v1.1 script, run by scripts/reference/make-metric-fixtures.py.
const fixture = JSON.parse(readFileSync(new URL('../fixtures/squad.json', import.meta.url), 'utf8')) as {
  normalized: [string, string[]][];
  inputs: Record<string, { predictions: string[]; references: string[][] }>;
};

describe('squadTokens agrees with the SQuAD v1.1 script', () => {
  it('gives the tokens of normalize_answer(text).split() for every edge case', () => {
    expect(fixture.normalized.length).toBeGreaterThan(50);
    const mismatches = fixture.normalized.filter(([text, expected]) => JSON.stringify(squadTokens(text)) !== JSON.stringify(expected));
    expect(mismatches).toEqual([]);
  });

  it('finds articles after deleting punctuation, so punctuation can make or join them', () => {
    expect(squadTokens('t.he end')).toEqual(['end']);
    expect(squadTokens('the-end')).toEqual(['theend']);
    expect(squadTokens('_the_ an-an-an')).toEqual(['ananan']);
  });

  it('ends a word where Python\'s Unicode \\b does: at marks, symbols and format characters, not at letters or numbers', () => {
    expect(squadTokens('the\u0301 end')).toEqual(['\u0301', 'end']);
    expect(squadTokens('the™ the\u200bend \ufeffthe')).toEqual(['™', '\u200bend', '\ufeff']);
    expect(squadTokens('aé the½ ʰthe the\u{1D7CE}')).toEqual(['aé', 'the½', 'ʰthe', 'the\u{1D7CE}']);
    expect(squadTokens('the😀')).toEqual(['😀']);
  });

  it('lowercases non-ASCII text whole, as str.lower does', () => {
    expect(squadTokens('\u0130the')).toEqual(['i\u0307']);
    expect(squadTokens('ΣΑΣ the')).toEqual(['σας']);
    expect(squadTokens('\u212Athe THE')).toEqual(['kthe']);
  });

  it('splits on Python whitespace, which includes U+001C–U+001F and U+0085 but not U+200B or U+180E', () => {
    expect(squadTokens('x\x1cthe\x85y\u00a0z')).toEqual(['x', 'y', 'z']);
    expect(squadTokens('x\u200by\u180ez')).toEqual(['x\u200by\u180ez']);
  });
});

describe('SquadTokens', () => {
  it('gives the same tokens when one instance reads answers of every length in turn', () => {
    const tokens = new SquadTokens();
    const long = fixture.inputs['long-answers']!.predictions[0]!;
    for (const text of ['The cat', long, 'a', 'ΣΑΣ the cat', long + long, '']) {
      expect(tokens.read(text).toArray()).toEqual(new SquadTokens().read(text).toArray());
    }
  });

  it('compares token lists in order and counts shared tokens with repeats, pairwise or by map', () => {
    const a = new SquadTokens().read('x y y z');
    const b = new SquadTokens().read('y x y w');
    expect(a.equals(b)).toBe(false);
    expect(a.equals(new SquadTokens().read('X, Y Y the Z'))).toBe(true);
    expect(a.sharedCount(b)).toBe(3);
    expect(b.sharedCount(new SquadTokens().read('y'))).toBe(1);
    // 100 × 100 token pairs exceed the pairwise limit: the same count comes from the map.
    const many = new SquadTokens().read('x y y z '.repeat(25));
    const others = new SquadTokens().read('y x y w '.repeat(25));
    expect(many.sharedCount(others)).toBe(75);
  });
});
