import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tokenizeChar, tokenizeIntl, tokenizeZh } from './sacrebleu-tokenizers.ts';
import { tokenizeTercom } from './tokenize-tercom.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/sacrebleu-tokenizers.json', import.meta.url), 'utf8')) as {
  texts: string[];
  intl: string[];
  zh: string[];
  char: string[];
};

function mismatches(tokenize: (text: string) => string, expected: string[]) {
  return fixture.texts
    .map((text, index) => ({ text, expected: expected[index], actual: tokenize(text) }))
    .filter((item) => item.actual !== item.expected);
}

describe('sacreBLEU 2.6 tokenizers agree on every fixture text (edge cases, Chinese, mixed scripts, punctuation)', () => {
  it('tokenizeIntl gives TokenizerV14International output', () => {
    expect(fixture.texts.length).toBeGreaterThan(300);
    expect(mismatches(tokenizeIntl, fixture.intl)).toEqual([]);
  });

  it('tokenizeZh gives TokenizerZh output, general punctuation split as sacreBLEU\u2019s ranges do', () => {
    expect(mismatches(tokenizeZh, fixture.zh)).toEqual([]);
    expect(tokenizeZh('a\u2014b\u2026c')).toBe('a \u2014 b \u2026 c');
  });

  it('tokenizeChar gives TokenizerChar output, one token per code point', () => {
    expect(mismatches(tokenizeChar, fixture.char)).toEqual([]);
    expect(tokenizeChar('\u{1F600}x')).toBe('\u{1F600} x');
  });
});

describe('tokenizeTercom', () => {
  const tercom = (JSON.parse(readFileSync(new URL('../fixtures/sacrebleu-tokenizers.json', import.meta.url), 'utf8')) as { tercom: Record<string, string[]> }).tercom;
  for (const [key, expected] of Object.entries(tercom)) {
    it(`gives TercomTokenizer output on every fixture text with options ${key}`, () => {
      const options = JSON.parse(key) as Record<string, boolean>;
      const settings = {
        normalized: options.normalized === true,
        noPunct: options.no_punct === true,
        asianSupport: options.asian_support === true,
        caseSensitive: options.case_sensitive === true,
      };
      expect(mismatches((text) => tokenizeTercom(text, settings).join(' '), expected)).toEqual([]);
    });
  }
});
