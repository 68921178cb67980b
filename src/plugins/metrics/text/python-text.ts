// Python's notion of whitespace and ASCII punctuation, for metrics whose references are Python code:
// `str.split()`, `str.rstrip()` and `string.punctuation` differ from JavaScript's `\s` and friends.

/**
 * Returns true when the UTF-16 code unit `code` is whitespace to Python's `str.isspace()`: it includes
 * U+001C–U+001F and U+0085, which JavaScript's `\s` lacks, and excludes U+FEFF, which `\s` has.
 */
export function isPythonSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** Splits `text` as Python's `str.split()` with no argument does: on runs of whitespace, no empty fields. */
export function splitPython(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let index = 0; index < text.length; index++) {
    if (isPythonSpace(text.charCodeAt(index))) {
      if (start >= 0) {
        out.push(text.slice(start, index));
        start = -1;
      }
    } else if (start < 0) {
      start = index;
    }
  }
  if (start >= 0) out.push(text.slice(start));
  return out;
}

/** Removes trailing whitespace as Python's `str.rstrip()` does; returns the same string when there is none. */
export function rstripPython(text: string): string {
  let end = text.length;
  while (end > 0 && isPythonSpace(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Removes leading and trailing whitespace as Python's `str.strip()` does; returns the same string when there is none. */
export function stripPython(text: string): string {
  let start = 0;
  while (start < text.length && isPythonSpace(text.charCodeAt(start))) start++;
  let end = text.length;
  while (end > start && isPythonSpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Returns true for the 32 characters of Python's `string.punctuation` (ASCII only): !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ */
export function isAsciiPunctuation(code: number): boolean {
  return (
    (code >= 0x21 && code <= 0x2f) ||
    (code >= 0x3a && code <= 0x40) ||
    (code >= 0x5b && code <= 0x60) ||
    (code >= 0x7b && code <= 0x7e)
  );
}

/** Deletes every `string.punctuation` character, as `''.join(c for c in s if c not in string.punctuation)`. */
export function removeAsciiPunctuation(text: string): string {
  let out = '';
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    if (isAsciiPunctuation(text.charCodeAt(index))) {
      if (index > start) out += text.slice(start, index);
      start = index + 1;
    }
  }
  return start === 0 ? text : out + text.slice(start);
}

/** Deletes the ASCII digits 0–9, as `s.translate(str.maketrans('', '', string.digits))`. */
export function removeAsciiDigits(text: string): string {
  let out = '';
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x30 && code <= 0x39) {
      if (index > start) out += text.slice(start, index);
      start = index + 1;
    }
  }
  return start === 0 ? text : out + text.slice(start);
}
