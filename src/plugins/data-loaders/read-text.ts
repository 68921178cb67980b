import type { PlugboardError } from '../../errors/index.ts';
import { sourceError } from './row-error.ts';
import type { ReadContext } from './open-source.ts';

/**
 * The longest text piece handed on, in UTF-16 units. Parsing a piece makes one batch of records; small
 * batches die young in the garbage collector, which measured 2–3× faster on short CSV rows than 1 MiB ones.
 */
const PIECE = 1 << 14;

/**
 * Decodes UTF-8 byte chunks into text pieces of at most 16 Ki characters, in TextDecoder stream mode, so
 * a character split across two chunks comes out whole; a leading byte-order mark is dropped. Throws
 * `SOURCE_NOT_UTF8` naming the first byte that does not begin a valid UTF-8 character: its offset in the
 * file (`byte`, 0-based) and, when `reread` can read the source again from the start, its 1-based `line`
 * and its place in that line. Lines are counted only then, so reading a good file costs nothing extra.
 */
export async function* decodeText(
  bytes: AsyncIterable<Uint8Array>,
  context: ReadContext,
  reread?: () => AsyncIterable<Uint8Array>,
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  /** The last bytes read (at most three): an unfinished character at the end of a chunk is among them. */
  let recent = new Uint8Array(0);
  for await (const chunk of bytes) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch (thrown) {
      const unfinished = unfinishedCharacter(recent);
      const joined = concatenate(unfinished, chunk);
      const index = firstMalformedByte(joined);
      throw await notUtf8(context, { byte: offset - unfinished.length + index, value: joined[index]! }, false, reread, thrown);
    }
    offset += chunk.byteLength;
    recent = chunk.byteLength >= 3 ? chunk.slice(-3) : concatenate(recent, chunk).slice(-3);
    if (text.length <= PIECE) {
      if (text.length > 0) yield text;
    } else {
      for (let start = 0; start < text.length; start += PIECE) yield text.slice(start, start + PIECE);
    }
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch (thrown) {
    const unfinished = unfinishedCharacter(recent);
    throw await notUtf8(context, { byte: offset - unfinished.length, value: unfinished[0] ?? 0 }, true, reread, thrown);
  }
  if (rest.length > 0) yield rest;
}

/** Builds SOURCE_NOT_UTF8 for the byte at `byte`, with its line when the source can be read again. */
async function notUtf8(
  context: ReadContext,
  { byte, value }: { byte: number; value: number },
  atEnd: boolean,
  reread: (() => AsyncIterable<Uint8Array>) | undefined,
  cause: unknown,
): Promise<PlugboardError & { byte: number; line?: number }> {
  const place = reread ? await locateByte(reread, byte).catch(() => undefined) : undefined;
  const where = place ? `line ${place.line}, byte ${byte} (byte ${place.column} of the line)` : `byte ${byte}`;
  const error = sourceError({
    code: 'SOURCE_NOT_UTF8',
    plugin: context.plugin,
    source: context.name,
    problem: atEnd
      ? `${context.name} ends inside a UTF-8 character that starts at ${where}`
      : `${context.name} ${where}: 0x${value.toString(16).toUpperCase().padStart(2, '0')} does not begin a valid UTF-8 character, so the file is not UTF-8`,
    hint: 'Save the file as UTF-8 (most editors and spreadsheet programs offer "CSV UTF-8" or "UTF-8" on save).',
    cause,
  });
  return Object.assign(error, { byte }, place ? { line: place.line } : {});
}

/**
 * Reads the source again up to `byte` and says where that byte is: its 1-based line (counting LF) and its
 * 1-based place in that line. Undefined when the source now ends before it.
 */
async function locateByte(reread: () => AsyncIterable<Uint8Array>, byte: number): Promise<{ line: number; column: number } | undefined> {
  let offset = 0;
  let line = 1;
  let lineStart = 0;
  for await (const chunk of reread()) {
    const within = Math.min(chunk.byteLength, byte - offset);
    for (let index = chunk.indexOf(LF); index !== -1 && index < within; index = chunk.indexOf(LF, index + 1)) {
      line++;
      lineStart = offset + index + 1;
    }
    if (byte < offset + chunk.byteLength) return { line, column: byte - lineStart + 1 };
    offset += chunk.byteLength;
  }
  return undefined;
}

const LF = 10;

/**
 * The unfinished character at the end of `bytes` (which end where the decoder stopped, after valid UTF-8):
 * from its lead byte to the end, or nothing when the last character is complete.
 */
function unfinishedCharacter(bytes: Uint8Array): Uint8Array {
  for (let index = bytes.length - 1; index >= 0; index--) {
    const value = bytes[index]!;
    if ((value & 0xc0) === 0x80) continue; // a continuation byte: the lead is further back
    const length = value >= 0xf0 ? 4 : value >= 0xe0 ? 3 : value >= 0xc0 ? 2 : 1;
    return length > bytes.length - index ? bytes.subarray(index) : new Uint8Array(0);
  }
  return new Uint8Array(0);
}

/**
 * The index of the first byte of the first malformed character in `bytes`, which start at a character
 * boundary and are known not to be UTF-8. The platform's decoder is the judge: the shortest prefix that
 * fails to decode is found by halving, and when the bytes before its last one end inside a character,
 * that character's lead byte is the culprit (a Latin-1 "é" before a newline), else the last byte itself.
 */
function firstMalformedByte(bytes: Uint8Array): number {
  let low = 1;
  let high = bytes.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (failsToDecode(bytes.subarray(0, middle), true)) high = middle;
    else low = middle + 1;
  }
  const before = bytes.subarray(0, low - 1);
  if (!failsToDecode(before, false)) return low - 1;
  let lead = low - 2;
  while (lead > 0 && (bytes[lead]! & 0xc0) === 0x80) lead--;
  return lead;
}

function failsToDecode(bytes: Uint8Array, stream: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream });
    return false;
  } catch {
    return true;
  }
}

function concatenate(first: Uint8Array, second: Uint8Array): Uint8Array {
  if (first.length === 0) return second;
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return joined;
}

/**
 * Splits text chunks into lines: a line ends at LF, and a CR just before the LF is dropped (CRLF). The
 * last line is returned by `end()` when the text does not end with a line break; a final line break
 * adds no empty line.
 */
export class LineSplitter {
  #partial = '';

  /** Returns the lines completed by `text`; the unfinished tail waits for the next call. */
  feed(text: string): string[] {
    const lines: string[] = [];
    let start = 0;
    let end = text.indexOf('\n');
    if (end === -1) {
      this.#partial += text;
      return lines;
    }
    let first = true;
    while (end !== -1) {
      let line = text.slice(start, end);
      if (first) {
        line = this.#partial + line;
        this.#partial = '';
        first = false;
      }
      lines.push(line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line);
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    this.#partial = text.slice(start);
    return lines;
  }

  /** Returns the last line when the text ended without a line break, else nothing. */
  end(): string[] {
    const last = this.#partial;
    this.#partial = '';
    if (last.length === 0) return [];
    return [last.charCodeAt(last.length - 1) === 13 ? last.slice(0, -1) : last];
  }
}
