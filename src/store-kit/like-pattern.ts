/**
 * Compiles an SQL LIKE pattern into a test: `%` matches any run of characters (also none), `_` exactly one
 * character (one Unicode code point), and every other character only itself — a `.` or `*` in the pattern is
 * literal, and there is no escape character (MLflow's SQL store runs SQLite with `case_sensitive_like` on, and
 * SQLite's LIKE has no default escape). `caseInsensitive` gives ILIKE, which compares code points after simple
 * case folding. A test takes at most (value length × pattern length) steps and never backtracks past a `%`, so
 * no pattern can stall a search.
 */
export function compileLikePattern(pattern: string, caseInsensitive = false): (text: string) => boolean {
  if (!caseInsensitive && !pattern.includes('%') && !pattern.includes('_')) return (text) => text === pattern;
  const fold = caseInsensitive ? foldCase : (char: string) => char;
  const segments = splitAtPercent(Array.from(pattern, fold));
  return (text) => matchSegments(segments, Array.from(text, fold));
}

/** One piece of the pattern between two `%`s; `undefined` stands for `_`. */
type Segment = readonly (string | undefined)[];

function splitAtPercent(chars: readonly string[]): Segment[] {
  const segments: (string | undefined)[][] = [[]];
  for (const char of chars) {
    if (char === '%') segments.push([]);
    else segments[segments.length - 1]!.push(char === '_' ? undefined : char);
  }
  return segments;
}

/**
 * The first segment is anchored at the start and the last at the end; each one between is taken at its leftmost
 * place after the one before. Leftmost is always safe: a later place leaves less room, never more, for the rest.
 */
function matchSegments(segments: readonly Segment[], text: readonly string[]): boolean {
  const first = segments[0]!;
  if (segments.length === 1) return text.length === first.length && matchesAt(first, text, 0);
  const last = segments[segments.length - 1]!;
  const end = text.length - last.length;
  if (end < first.length || !matchesAt(first, text, 0) || !matchesAt(last, text, end)) return false;
  let position = first.length;
  for (let index = 1; index < segments.length - 1; index++) {
    const segment = segments[index]!;
    const found = indexOfSegment(segment, text, position, end);
    if (found < 0) return false;
    position = found + segment.length;
  }
  return true;
}

/** The first index at or after `from` where the segment matches and ends by `end`, or -1. */
function indexOfSegment(segment: Segment, text: readonly string[], from: number, end: number): number {
  for (let start = from; start + segment.length <= end; start++) {
    if (matchesAt(segment, text, start)) return start;
  }
  return -1;
}

function matchesAt(segment: Segment, text: readonly string[], start: number): boolean {
  for (let index = 0; index < segment.length; index++) {
    const char = segment[index];
    if (char !== undefined && char !== text[start + index]) return false;
  }
  return true;
}

/** Folded non-ASCII code points, kept up to a bound so that a value of many distinct characters cannot grow it. */
const folded = new Map<string, string>();
const FOLDED_LIMIT = 4096;

/**
 * Maps a code point to one representative of its case class (`K`, `k` and the Kelvin sign all give `k`; `ſ`
 * gives `s`), and keeps it as it is when a case mapping would turn it into several code points (`ß`, `İ`), the
 * way simple case folding does.
 */
function foldCase(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x80) return code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 0x20) : char;
  let result = folded.get(char);
  if (result === undefined) {
    const upper = char.toUpperCase();
    const base = isOneCodePoint(upper) ? upper : char;
    const lower = base.toLowerCase();
    result = isOneCodePoint(lower) ? lower : base;
    if (folded.size < FOLDED_LIMIT) folded.set(char, result);
  }
  return result;
}

function isOneCodePoint(text: string): boolean {
  return text.length === 1 || (text.length === 2 && text.codePointAt(0)! > 0xffff);
}
