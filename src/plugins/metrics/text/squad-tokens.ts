// SQuAD v1.1's answer normalisation, `normalize_answer(s).split()`, done in one pass over UTF-16 code units into
// a reusable buffer of token ranges, so that scoring a row creates no string per token.
import { isAsciiPunctuation, isPythonSpace } from './python-text.ts';

// What one code unit does to the normalised text (both halves of a surrogate pair act as the code point they make).
const WORD = 0; // a word character to Python's `\w` on str: a letter, a number (or "_", which is punctuation here)
const OTHER = 1; // neither word nor whitespace (Unicode punctuation, symbols, marks, emoji, controls): kept, ends a word
const SPACE = 2; // Python whitespace: ends a word and a token
const PUNCTUATION = 3; // one of string.punctuation: deleted before anything else looks at the text

/** The kind of each ASCII code. */
const ASCII_KINDS = new Uint8Array(0x80).map((_, code) => {
  if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39)) return WORD;
  if (isAsciiPunctuation(code)) return PUNCTUATION;
  return isPythonSpace(code) ? SPACE : OTHER;
});

// Python's `\b` is Unicode-aware on str: a word character is one for which `str.isalnum()` holds (a letter or a
// number: \p{L} and \p{N}, as far as both Unicode databases agree) or "_".
const WORD_CHARACTER = /[\p{L}\p{N}]/u;
// Whether each BMP code unit at or above U+0080 is a word character, filled in as the units are met:
// 0 not yet known, 1 word, 2 not a word.
const bmpWordCache = new Uint8Array(0x10000);

/** Past this many token pairs, shared tokens are counted with a Map instead of pairwise comparison. */
const PAIRWISE_LIMIT = 4096;

/**
 * The tokens of one SQuAD-normalised answer, as ranges over a code-unit buffer that `read` refills. The
 * buffers grow to the longest answer read and are kept, so one instance serves every row.
 */
export class SquadTokens {
  /** The lower-cased code units of the tokens, back to back. */
  units = new Uint16Array(64);
  /** Token `i` is `units[starts[i]]` up to (not including) `units[ends[i]]`. */
  starts = new Int32Array(16);
  ends = new Int32Array(16);
  /** How many tokens the last `read` found. */
  count = 0;
  #used = new Uint8Array(16);

  /**
   * Normalises `text` as the script does — lowercase, delete `string.punctuation`, replace the words
   * a/an/the with a space, split on Python whitespace — and keeps its tokens, replacing the previous ones.
   * The words are found on the text without punctuation, so "the-end" is the one token "theend" and "t.he"
   * is dropped. Returns this.
   */
  read(text: string): this {
    // ASCII text is lowercased code by code; other text is lowercased whole first, because str.lower
    // (as String#toLowerCase) has rules that look at the neighbours (a final capital sigma becomes ς).
    if (!this.#scan(text, false)) this.#scan(text.toLowerCase(), true);
    return this;
  }

  /** The tokens as strings (for tests and for long answers). */
  toArray(): string[] {
    const out: string[] = [];
    for (let index = 0; index < this.count; index++) out.push(this.#text(index));
    return out;
  }

  /** Whether both hold the same tokens in the same order, which is the script's equality of normalised answers. */
  equals(other: SquadTokens): boolean {
    if (this.count !== other.count) return false;
    for (let index = 0; index < this.count; index++) if (!this.#sameToken(index, other, index)) return false;
    return true;
  }

  /** How many tokens the two have in common, counting repeats: the size of the script's `Counter & Counter`. */
  sharedCount(other: SquadTokens): number {
    if (this.count * other.count > PAIRWISE_LIMIT) return this.#sharedCountByMap(other);
    // Each token of `other` may be matched once; matching every token of this to the first unused equal one
    // counts min(count here, count there) for every distinct token.
    if (this.#used.length < other.count) this.#used = new Uint8Array(other.count * 2);
    const used = this.#used;
    for (let index = 0; index < other.count; index++) used[index] = 0;
    let same = 0;
    for (let mine = 0; mine < this.count; mine++) {
      for (let theirs = 0; theirs < other.count; theirs++) {
        if (used[theirs] === 0 && this.#sameToken(mine, other, theirs)) {
          used[theirs] = 1;
          same++;
          break;
        }
      }
    }
    return same;
  }

  #sharedCountByMap(other: SquadTokens): number {
    const counts = new Map<string, number>();
    for (let index = 0; index < other.count; index++) {
      const token = other.#text(index);
      counts.set(token, (counts.get(token) ?? 0) + 1);
    }
    let same = 0;
    for (let index = 0; index < this.count; index++) {
      const token = this.#text(index);
      const left = counts.get(token);
      if (left !== undefined && left > 0) {
        same++;
        counts.set(token, left - 1);
      }
    }
    return same;
  }

  #sameToken(index: number, other: SquadTokens, otherIndex: number): boolean {
    const start = this.starts[index]!;
    const length = this.ends[index]! - start;
    const otherStart = other.starts[otherIndex]!;
    if (other.ends[otherIndex]! - otherStart !== length) return false;
    const units = this.units;
    const otherUnits = other.units;
    for (let offset = 0; offset < length; offset++) if (units[start + offset] !== otherUnits[otherStart + offset]) return false;
    return true;
  }

  #text(index: number): string {
    let out = '';
    // In slices, so that a very long token never exceeds the argument limit of apply.
    for (let start = this.starts[index]!, end = this.ends[index]!; start < end; start += 8192) {
      out += String.fromCharCode.apply(null, this.units.subarray(start, Math.min(end, start + 8192)) as unknown as number[]);
    }
    return out;
  }

  /**
   * Fills the buffers from `text`; returns false, having stopped, at the first non-ASCII code unit when
   * `text` is not yet lowercased. Punctuation is skipped without ending anything; a run of word characters
   * ends at whitespace, at any other character and at the end, and is dropped, splitting its token, when it
   * is a, an or the (what `re.sub(r'\b(a|an|the)\b', ' ', ...)` does).
   */
  #scan(text: string, lowered: boolean): boolean {
    // Lowercasing happened already or maps ASCII to ASCII, and deleting only shrinks: text.length units suffice.
    if (this.units.length < text.length) this.units = new Uint16Array(Math.max(text.length, this.units.length * 2));
    const units = this.units;
    let length = 0;
    let tokenStart = 0;
    let wordStart = -1;
    this.count = 0;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      let kind: number;
      if (code < 0x80) {
        kind = ASCII_KINDS[code]!;
        if (kind === WORD) {
          // The common case, first: an ASCII letter or digit (| 0x20 lowercases a letter, keeps a digit).
          if (wordStart < 0) wordStart = length;
          units[length++] = code | 0x20;
          continue;
        }
        if (kind === PUNCTUATION) continue;
      } else {
        if (!lowered) return false;
        kind = nonAsciiKind(text, index);
        if (kind === WORD) {
          if (wordStart < 0) wordStart = length;
          units[length++] = code;
          continue;
        }
      }
      // Whitespace or another non-word character ends the word before it; an article is dropped, which
      // splits the token it was in.
      if (wordStart >= 0) {
        if (isArticle(units, wordStart, length)) {
          length = wordStart;
          this.#endToken(tokenStart, length);
          tokenStart = length;
        }
        wordStart = -1;
      }
      if (kind === SPACE) {
        this.#endToken(tokenStart, length);
        tokenStart = length;
      } else {
        units[length++] = code;
      }
    }
    if (wordStart >= 0 && isArticle(units, wordStart, length)) length = wordStart;
    this.#endToken(tokenStart, length);
    return true;
  }

  /** Records units[start] up to units[end] as the next token, when it is not empty. */
  #endToken(start: number, end: number): void {
    if (end === start) return;
    if (this.count === this.starts.length) {
      const starts = new Int32Array(this.count * 2);
      const ends = new Int32Array(this.count * 2);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }
}

/** Returns the tokens of `normalize_answer(text).split()` of the SQuAD v1.1 script. */
export function squadTokens(text: string): string[] {
  return new SquadTokens().read(text).toArray();
}

/**
 * The kind of the non-ASCII code unit at `index`. Both halves of a surrogate pair take the kind of the
 * code point they make; a lone surrogate is not a word character.
 */
function nonAsciiKind(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (isPythonSpace(code)) return SPACE;
  if (code >= 0xd800 && code <= 0xdfff) {
    const high = code <= 0xdbff ? code : index > 0 ? text.charCodeAt(index - 1) : 0;
    const low = code <= 0xdbff ? (index + 1 < text.length ? text.charCodeAt(index + 1) : 0) : code;
    if (high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
      return WORD_CHARACTER.test(String.fromCharCode(high, low)) ? WORD : OTHER;
    }
  }
  return isWordUnit(code) ? WORD : OTHER;
}

/** Whether a BMP code unit at or above U+0080 is a word character (a lone surrogate is not). */
function isWordUnit(code: number): boolean {
  let known = bmpWordCache[code]!;
  if (known === 0) {
    known = WORD_CHARACTER.test(String.fromCharCode(code)) ? 1 : 2;
    bmpWordCache[code] = known;
  }
  return known === 1;
}

/** Whether units[start] up to units[end] spell a, an or the. */
function isArticle(units: Uint16Array, start: number, end: number): boolean {
  switch (end - start) {
    case 1:
      return units[start] === 0x61;
    case 2:
      return units[start] === 0x61 && units[start + 1] === 0x6e;
    case 3:
      return units[start] === 0x74 && units[start + 1] === 0x68 && units[start + 2] === 0x65;
    default:
      return false;
  }
}
