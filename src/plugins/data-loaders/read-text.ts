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
 * `SOURCE_NOT_UTF8` naming the byte range that holds bytes which are not UTF-8.
 */
export async function* decodeText(bytes: AsyncIterable<Uint8Array>, context: ReadContext): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  const fail = (thrown: unknown, length: number) =>
    sourceError({
      code: 'SOURCE_NOT_UTF8',
      plugin: context.plugin,
      source: context.name,
      problem:
        length === 0
          ? `${context.name} ends inside a UTF-8 character (byte ${offset})`
          : `${context.name} holds bytes that are not UTF-8 between byte ${offset} and byte ${offset + length}`,
      hint: 'Save the file as UTF-8 (most editors and spreadsheet programs offer "CSV UTF-8" or "UTF-8" on save).',
      cause: thrown,
    });
  for await (const chunk of bytes) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch (thrown) {
      throw fail(thrown, chunk.byteLength);
    }
    offset += chunk.byteLength;
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
    throw fail(thrown, 0);
  }
  if (rest.length > 0) yield rest;
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
