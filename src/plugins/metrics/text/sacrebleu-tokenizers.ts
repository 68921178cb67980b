// sacreBLEU 2.6's line tokenizers besides 13a, transcribed from sacrebleu/tokenizers/tokenizer_{re,intl,zh,char}.py.
// Each returns the tokenized line (tokens joined by single spaces), as sacreBLEU's do; BLEU then splits
// it on whitespace. Every regular expression here is a single character class or a pair of them, so it
// runs in linear time on any input.
import { splitPython, stripPython } from './python-text.ts';

// TokenizerRegexp, the part of 13a that `zh` reuses: pad ASCII symbols, split "." and "," away from
// non-digits and "-" after a digit. Python's [^0-9] matches any code point, as the `u` flag does here.
const REGEXP_PASSES: ReadonlyArray<readonly [RegExp, string]> = [
  [/([{-~[-` -&(-+:-@/])/gu, ' $1 '],
  [/([^0-9])([.,])/gu, '$1 $2 '],
  [/([.,])([^0-9])/gu, ' $1 $2'],
  [/([0-9])(-)/gu, '$1 $2 '],
];

/** sacreBLEU's `TokenizerRegexp` (the post-tokenizer of `zh`): the line with its tokens joined by single spaces. */
export function tokenizeRegexp(line: string): string {
  let out = line;
  for (const [pattern, replacement] of REGEXP_PASSES) out = out.replace(pattern, replacement);
  return splitPython(out).join(' ');
}

// mteval-v14's international tokenization: punctuation is split off unless it sits between digits, and
// every symbol is padded. \p{N}, \p{P} and \p{S} are Unicode general categories, as in Python's `regex`.
const INTL_PASSES: ReadonlyArray<readonly [RegExp, string]> = [
  [/(\P{N})(\p{P})/gu, '$1 $2 '],
  [/(\p{P})(\P{N})/gu, ' $1 $2'],
  [/(\p{S})/gu, ' $1 '],
];

/**
 * sacreBLEU's `intl` tokenizer (`TokenizerV14International`). As in mteval-v14.pl, a number followed by
 * a final period keeps the period ("in 2020." stays one token); the Unicode categories are the engine's
 * (JavaScript's Unicode version, which can differ from Python `regex`'s for characters assigned since).
 */
export function tokenizeIntl(line: string): string {
  let out = line;
  for (const [pattern, replacement] of INTL_PASSES) out = out.replace(pattern, replacement);
  return splitPython(out).join(' ');
}

// sacreBLEU's `_UCODE_RANGES`, compared as Python compares one character with each bound string. Two of
// its bounds are written '\u20000' and '\u2f800' in the Python source, which are two-character strings
// ('\u2000' + '0', '\u2f80' + '0'), so those ranges really run U+2001–U+2A6D and U+2F81–U+2FA1: they cover
// general punctuation (— … “ ”) and miss the astral ideographs they were meant for. Kept, to agree.
const ZH_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x3400, 0x4db5], [0x4e00, 0x9fa5], [0x9fa6, 0x9fbb], [0xf900, 0xfa2d], [0xfa30, 0xfa6a], [0xfa70, 0xfad9],
  [0x2001, 0x2a6d], [0x2f81, 0x2fa1], [0xff00, 0xffef], [0x2e80, 0x2eff], [0x3000, 0x303f], [0x31c0, 0x31ef],
  [0x2f00, 0x2fdf], [0x2ff0, 0x2fff], [0x3100, 0x312f], [0x31a0, 0x31bf], [0xfe10, 0xfe1f], [0xfe30, 0xfe4f],
  [0x2600, 0x26ff], [0x2700, 0x27bf], [0x3200, 0x32ff], [0x3300, 0x33ff],
];

function isZhCharacter(codePoint: number): boolean {
  return ZH_RANGES.some(([start, end]) => codePoint >= start && codePoint <= end);
}

/**
 * sacreBLEU's `zh` tokenizer (`TokenizerZh`): strips the line, pads each character of its Chinese ranges
 * with spaces (ranges as sacreBLEU compares them, see above), then applies `TokenizerRegexp`.
 */
export function tokenizeZh(line: string): string {
  let out = '';
  for (const character of stripPython(line)) {
    out += isZhCharacter(character.codePointAt(0)!) ? ` ${character} ` : character;
  }
  return tokenizeRegexp(out);
}

/** sacreBLEU's `char` tokenizer: every code point of the line, joined by spaces (whitespace then drops out when BLEU splits). */
export function tokenizeChar(line: string): string {
  return Array.from(line).join(' ');
}
