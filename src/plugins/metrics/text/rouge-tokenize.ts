// rouge_score's default tokenizer, done with one pass over the characters instead of three regexes.
import { porterStem } from './porter-stemmer.ts';

const STEM_CACHE_LIMIT = 50_000;
const stemCache = new Map<string, string>();

function stemCached(token: string): string {
  let stem = stemCache.get(token);
  if (stem === undefined) {
    stem = porterStem(token);
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(token, stem);
  }
  return stem;
}

/**
 * Tokenizes as rouge_score's `tokenize.tokenize(text, stemmer)`: lowercase, every run of characters
 * outside [a-z0-9] separates tokens (so "café" gives "caf" and CJK or Cyrillic text gives no tokens),
 * and with `stem` tokens longer than 3 characters go through NLTK's Porter stemmer. The only non-ASCII
 * characters whose Python lowercase holds [a-z0-9] are İ (→ "i" + U+0307) and the Kelvin sign K (→ "k"),
 * handled here the same way.
 */
export function rougeTokenize(text: string, stem: boolean): string[] {
  const tokens: string[] = [];
  let current = '';
  let start = -1;
  const flush = (end: number) => {
    if (start >= 0) current += text.slice(start, end);
    start = -1;
    if (current !== '') {
      const lowered = current.toLowerCase();
      tokens.push(stem && lowered.length > 3 ? stemCached(lowered) : lowered);
      current = '';
    }
  };
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const isAlnum = (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a);
    if (isAlnum) {
      if (start < 0) start = index;
    } else if (code === 0x130) {
      // "İ".lower() is "i̇": the "i" ends the current token, the combining dot separates.
      if (start >= 0) current += text.slice(start, index);
      start = -1;
      current += 'i';
      flush(index);
    } else if (code === 0x212a) {
      if (start >= 0) current += text.slice(start, index);
      start = -1;
      current += 'k';
    } else {
      flush(index);
    }
  }
  flush(text.length);
  return tokens;
}
