// Interns tokens straight from UTF-16 code units, so a tokenizer can hand out token ids without making
// a string per token: only a token never seen before becomes a string.
import { isPythonSpace } from './python-text.ts';

/** The FNV-1a seed and prime a token's hash starts from and folds each code unit with. */
export const TOKEN_HASH_SEED = 0x811c9dc5;
export const TOKEN_HASH_PRIME = 0x01000193;

/** Maps token texts to dense ids 1, 2, 3, …; ids stay stable until `clear`. */
export class TokenInterner {
  #slots = new Int32Array(1 << 12);
  #mask = (1 << 12) - 1;
  #texts: string[] = [''];
  #hashes: number[] = [0];

  /** The number of distinct tokens seen since the last clear. */
  get size(): number {
    return this.#texts.length - 1;
  }

  /** Forgets every token; ids start again at 1. */
  clear(): void {
    this.#slots.fill(0);
    this.#texts = [''];
    this.#hashes = [0];
  }

  /** Returns the text of token `id`. */
  text(id: number): string {
    return this.#texts[id]!;
  }

  /**
   * Returns the id of the token whose code units are `codes[start..end)`, which are those of
   * `source.slice(start, end)`; a new token gets the next id.
   */
  idOf(codes: Uint16Array, start: number, end: number, source: string): number {
    let hash = TOKEN_HASH_SEED;
    for (let at = start; at < end; at++) hash = Math.imul(hash ^ codes[at]!, TOKEN_HASH_PRIME);
    return this.idOfHashed(codes, start, end, source, hash);
  }

  /** Like `idOf`, for a caller that already folded the code units into `hash` with TOKEN_HASH_SEED/PRIME. */
  idOfHashed(codes: Uint16Array, start: number, end: number, source: string, hash: number): number {
    const slots = this.#slots;
    const mask = this.#mask;
    let slot = (hash ^ (hash >>> 16)) & mask;
    const length = end - start;
    for (;;) {
      const id = slots[slot]!;
      if (id === 0) break;
      if (this.#hashes[id] === hash) {
        const text = this.#texts[id]!;
        if (text.length === length) {
          let same = true;
          for (let at = 0; at < length; at++) {
            if (text.charCodeAt(at) !== codes[start + at]) {
              same = false;
              break;
            }
          }
          if (same) return id;
        }
      }
      slot = (slot + 1) & mask;
    }
    const id = this.#texts.length;
    this.#texts.push(source.slice(start, end));
    this.#hashes.push(hash);
    slots[slot] = id;
    if (id * 2 > mask) this.#grow();
    return id;
  }

  #grow(): void {
    const capacity = (this.#mask + 1) * 2;
    const slots = new Int32Array(capacity);
    const mask = capacity - 1;
    for (let id = 1; id < this.#texts.length; id++) {
      const hash = this.#hashes[id]!;
      let slot = (hash ^ (hash >>> 16)) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.#slots = slots;
    this.#mask = mask;
  }
}

let whitespaceCodes = new Uint16Array(1024);

/** Splits `line` on Python whitespace, as `str.split()`, and returns the tokens' ids in `interner`. */
export function splitPythonIds(line: string, interner: TokenInterner): Int32Array {
  if (whitespaceCodes.length < line.length) whitespaceCodes = new Uint16Array(line.length * 2);
  const codes = whitespaceCodes;
  const ids: number[] = [];
  let start = -1;
  for (let index = 0; index < line.length; index++) {
    const code = line.charCodeAt(index);
    codes[index] = code;
    if (isPythonSpace(code)) {
      if (start >= 0) ids.push(interner.idOf(codes, start, index, line));
      start = -1;
    } else if (start < 0) {
      start = index;
    }
  }
  if (start >= 0) ids.push(interner.idOf(codes, start, line.length, line));
  return Int32Array.from(ids);
}
