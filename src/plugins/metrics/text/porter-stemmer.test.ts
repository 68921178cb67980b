import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { porterStem } from './porter-stemmer.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/porter.json', import.meta.url), 'utf8')) as { words: string[]; stems: string[] };

describe('porterStem', () => {
  it('stems every fixture word exactly as NLTK PorterStemmer (NLTK_EXTENSIONS)', () => {
    expect(fixture.words.length).toBeGreaterThan(3000);
    const wrong = fixture.words
      .map((word, index) => ({ word, expected: fixture.stems[index], actual: porterStem(word) }))
      .filter((item) => item.actual !== item.expected);
    expect(wrong).toEqual([]);
  });

  it('maps the irregular words of NLTK mode through its table', () => {
    expect(['skies', 'dying', 'innings', 'news'].map(porterStem)).toEqual(['sky', 'die', 'inning', 'news']);
  });

  it('returns words of two letters or fewer lowercased and unchanged', () => {
    expect(porterStem('AS')).toBe('as');
  });
});
