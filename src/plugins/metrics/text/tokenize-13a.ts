// sacreBLEU's default "13a" tokenizer (mteval-v13a), reproduced step by step without regular expressions.
//
// The four regex passes of sacreBLEU's `TokenizerRegexp` only ever insert spaces, so the line is kept as
// a sequence of "virtual characters": an index into the text, or the index one past its end for an
// inserted space. Each pass
// emulates one `re.sub` (leftmost, non-overlapping, two-character matches), and the tokens are then
// slices of the text between whitespace.
import { isPythonSpace } from './python-text.ts';
import { TOKEN_HASH_PRIME, TOKEN_HASH_SEED } from './token-interner.ts';
import type { TokenInterner } from './token-interner.ts';

// What each ASCII character is to the scan: part of a word, one of ". , -" (which the later passes
// split around), a symbol 13a pads with spaces ({|}~ [\]^_` !"#$%& ()*+ :;<=>?@ /), or whitespace.
const WORD = 0;
const SPECIAL = 1;
const SYMBOL = 2;
const SPACE = 3;
const KIND = new Uint8Array(128);
for (const [from, to] of [
  [0x7b, 0x7e],
  [0x5b, 0x60],
  [0x21, 0x26],
  [0x28, 0x2b],
  [0x3a, 0x40],
  [0x2f, 0x2f],
] as const) {
  for (let code = from; code <= to; code++) KIND[code] = SYMBOL;
}
KIND[0x2e] = SPECIAL;
KIND[0x2c] = SPECIAL;
KIND[0x2d] = SPECIAL;
for (let code = 0; code < 128; code++) if (isPythonSpace(code)) KIND[code] = SPACE;

let front = new Int32Array(256);
let back = new Int32Array(256);
let codes = new Uint16Array(4096);

// ([^0-9])([.,]) → "\1 \2 ", leftmost and non-overlapping as re.sub.
function splitPeriodCommaAfterNonDigit(source: Int32Array, length: number, target: Int32Array, space: number): number {
  let out = 0;
  let at = 0;
  while (at < length) {
    const first = source[at]!;
    if (at + 1 < length) {
      const second = source[at + 1]!;
      if (!isDigit(codes[first]!) && isPeriodOrComma(codes[second]!)) {
        target[out++] = first;
        target[out++] = space;
        target[out++] = second;
        target[out++] = space;
        at += 2;
        continue;
      }
    }
    target[out++] = first;
    at++;
  }
  return out;
}

// ([.,])([^0-9]) → " \1 \2".
function splitPeriodCommaBeforeNonDigit(source: Int32Array, length: number, target: Int32Array, space: number): number {
  let out = 0;
  let at = 0;
  while (at < length) {
    const first = source[at]!;
    if (at + 1 < length) {
      const second = source[at + 1]!;
      if (isPeriodOrComma(codes[first]!) && !isDigit(codes[second]!)) {
        target[out++] = space;
        target[out++] = first;
        target[out++] = space;
        target[out++] = second;
        at += 2;
        continue;
      }
    }
    target[out++] = first;
    at++;
  }
  return out;
}

// ([0-9])(-) → "\1 \2 ".
function splitDashAfterDigit(source: Int32Array, length: number, target: Int32Array, space: number): number {
  let out = 0;
  let at = 0;
  while (at < length) {
    const first = source[at]!;
    if (at + 1 < length) {
      const second = source[at + 1]!;
      if (isDigit(codes[first]!) && codes[second] === 0x2d) {
        target[out++] = first;
        target[out++] = space;
        target[out++] = second;
        target[out++] = space;
        at += 2;
        continue;
      }
    }
    target[out++] = first;
    at++;
  }
  return out;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isPeriodOrComma(code: number): boolean {
  return code === 0x2e || code === 0x2c;
}

let spans = new Int32Array(8192);
let spanHashes = new Int32Array(4096);
let spanCount = 0;

// Runs 13a over `line`, leaving the code units of the prepared text in `codes` and the [start, end)
// of each token in `spans`; returns the prepared text.
//
// Padding the symbols only separates them, and the three later passes act only around ".", "," and
// "-" with whitespace on either side behaving like the padding spaces; so the text is cut into chunks
// at whitespace and symbols, a chunk without ".", "," or "-" is a token as it is, and only the other
// chunks go through the emulated passes (framed by one space on each side).
function scan(line: string): string {
  let text = line;
  if (text.includes('<skipped>')) text = text.replaceAll('<skipped>', '');
  if (text.includes('\n')) text = text.replaceAll('-\n', '').replaceAll('\n', ' ');
  if (text.includes('&')) {
    text = text.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  const size = text.length;
  if (codes.length < size + 1) {
    codes = new Uint16Array(2 * size + 1);
    spans = new Int32Array(4 * size + 8);
    spanHashes = new Int32Array(2 * size + 4);
  }
  codes[size] = 0x20;
  spanCount = 0;
  let chunkStart = -1;
  let special = false;
  let hash = TOKEN_HASH_SEED;
  for (let index = 0; index < size; index++) {
    const code = text.charCodeAt(index);
    codes[index] = code;
    const kind = code < 128 ? KIND[code]! : isPythonSpace(code) ? SPACE : WORD;
    if (kind === WORD || kind === SPECIAL) {
      if (chunkStart < 0) {
        chunkStart = index;
        special = false;
        hash = TOKEN_HASH_SEED;
      }
      hash = Math.imul(hash ^ code, TOKEN_HASH_PRIME);
      if (kind === SPECIAL) special = true;
      continue;
    }
    if (chunkStart >= 0) {
      if (special) splitChunk(chunkStart, index, size);
      else {
        spanHashes[spanCount >> 1] = hash;
        spans[spanCount++] = chunkStart;
        spans[spanCount++] = index;
      }
      chunkStart = -1;
    }
    if (kind === SYMBOL) {
      spanHashes[spanCount >> 1] = Math.imul(TOKEN_HASH_SEED ^ code, TOKEN_HASH_PRIME);
      spans[spanCount++] = index;
      spans[spanCount++] = index + 1;
    }
  }
  if (chunkStart >= 0) {
    if (special) splitChunk(chunkStart, size, size);
    else {
      spanHashes[spanCount >> 1] = hash;
      spans[spanCount++] = chunkStart;
      spans[spanCount++] = size;
    }
  }
  return text;
}

// Runs passes 2–4 over text[start, end) framed by spaces and appends the resulting token spans.
function splitChunk(start: number, end: number, space: number): void {
  const capacity = 8 * (end - start + 2);
  if (front.length < capacity) {
    front = new Int32Array(2 * capacity);
    back = new Int32Array(2 * capacity);
  }
  let length = 0;
  front[length++] = space;
  for (let index = start; index < end; index++) front[length++] = index;
  front[length++] = space;
  length = splitPeriodCommaAfterNonDigit(front, length, back, space);
  length = splitPeriodCommaBeforeNonDigit(back, length, front, space);
  length = splitDashAfterDigit(front, length, back, space);
  // Only the framing and inserted entries are spaces here; a run between them is a contiguous span.
  let tokenStart = -1;
  let tokenEnd = -1;
  for (let at = 0; at < length; at++) {
    const entry = back[at]!;
    if (entry === space) {
      if (tokenStart >= 0) {
        let hash = TOKEN_HASH_SEED;
        for (let index = tokenStart; index <= tokenEnd; index++) hash = Math.imul(hash ^ codes[index]!, TOKEN_HASH_PRIME);
        spanHashes[spanCount >> 1] = hash;
        spans[spanCount++] = tokenStart;
        spans[spanCount++] = tokenEnd + 1;
      }
      tokenStart = -1;
    } else {
      if (tokenStart < 0) tokenStart = entry;
      tokenEnd = entry;
    }
  }
}

/**
 * Tokenizes one line as sacreBLEU's `Tokenizer13a` does and returns its tokens: drops `<skipped>` and
 * `-\n`, turns newlines into spaces, unescapes `&quot; &amp; &lt; &gt;`, pads ASCII symbols, splits `.`
 * and `,` away from non-digits and `-` after a digit, then splits on Python whitespace. Non-ASCII
 * punctuation is never split; an empty or blank line gives no tokens.
 */
export function tokenize13a(line: string): string[] {
  const text = scan(line);
  const tokens: string[] = [];
  for (let at = 0; at < spanCount; at += 2) tokens.push(text.slice(spans[at], spans[at + 1]));
  return tokens;
}

/** Tokenizes one line as `tokenize13a` does and returns the tokens' ids in `interner`. */
export function tokenize13aIds(line: string, interner: TokenInterner): Int32Array {
  const text = scan(line);
  const ids = new Int32Array(spanCount >> 1);
  for (let at = 0; at < spanCount; at += 2) {
    ids[at >> 1] = interner.idOfHashed(codes, spans[at]!, spans[at + 1]!, text, spanHashes[at >> 1]!);
  }
  return ids;
}
