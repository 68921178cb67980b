import { describe, expect, it } from 'vitest';
import { csv } from './csv.ts';
import { decodeText } from './read-text.ts';

const context = { plugin: 'csv', name: 'data.csv' };

/** Yields `bytes` in pieces of `size`, as a reader of a file or a response body would. */
async function* inPieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

/** Decodes everything, resolving with the text or rejecting with the decoder's error. */
async function decodeAll(bytes: Uint8Array, size: number, withReread = true): Promise<string> {
  let text = '';
  for await (const piece of decodeText(inPieces(bytes, size), context, withReread ? () => inPieces(bytes, size) : undefined)) text += piece;
  return text;
}

/** `lines` lines of 63 ASCII characters and a newline each, then `tail`. */
function fileOf(lines: number, tail: number[]): Uint8Array {
  const line = new TextEncoder().encode(`${'x'.repeat(63)}\n`);
  const bytes = new Uint8Array(lines * line.length + tail.length);
  for (let index = 0; index < lines; index++) bytes.set(line, index * line.length);
  bytes.set(tail, lines * line.length);
  return bytes;
}

describe('decodeText', () => {
  it('names the exact line and byte of a Latin-1 character 3 MiB into the file', async () => {
    // 49,200 lines of 64 bytes = 3,148,800 bytes; then "caf", a Latin-1 é (0xE9) and a newline.
    const bytes = fileOf(49_200, [0x63, 0x61, 0x66, 0xe9, 0x0a]);
    const error = await decodeAll(bytes, 1 << 20).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({
      code: 'SOURCE_NOT_UTF8',
      plugin: 'csv',
      url: 'data.csv',
      byte: 3_148_803,
      line: 49_201,
      problem: 'data.csv line 49201, byte 3148803 (byte 4 of the line): 0xE9 does not begin a valid UTF-8 character, so the file is not UTF-8',
    });
  });

  it('finds the same byte whatever the size of the pieces, also when a bad character spans two of them', async () => {
    // "ab\n", then a 4-byte lead (0xF0 0x9F) cut short by "A", then a stray continuation byte.
    const bytes = new Uint8Array([0x61, 0x62, 0x0a, 0xf0, 0x9f, 0x41, 0x0a, 0x80]);
    for (const size of [1, 2, 3, 4, 5, 8]) {
      await expect(decodeAll(bytes, size)).rejects.toMatchObject({ byte: 3, line: 2, problem: expect.stringContaining('byte 3 (byte 1 of the line): 0xF0') });
    }
    const stray = new Uint8Array([0x61, 0x0a, 0x62, 0x80]);
    for (const size of [1, 2, 4]) await expect(decodeAll(stray, size)).rejects.toMatchObject({ byte: 3, line: 2 });
  });

  it('names where an unfinished last character starts', async () => {
    const bytes = new Uint8Array([0x61, 0x0a, 0x62, 0x0a, 0xe2, 0x82]);
    for (const size of [1, 2, 6]) {
      await expect(decodeAll(bytes, size)).rejects.toMatchObject({
        byte: 4,
        line: 3,
        problem: 'data.csv ends inside a UTF-8 character that starts at line 3, byte 4 (byte 1 of the line)',
      });
    }
  });

  it('names the byte alone when the source cannot be read again', async () => {
    const error = await decodeAll(new Uint8Array([0x61, 0x0a, 0xff]), 8, false).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ byte: 2, problem: 'data.csv byte 2: 0xFF does not begin a valid UTF-8 character, so the file is not UTF-8' });
    expect((error as { line?: number }).line).toBeUndefined();
  });

  it('keeps a byte-order mark out of the text but in the byte count', async () => {
    await expect(decodeAll(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x0a, 0xc3, 0xa9]), 2)).resolves.toBe('a\né');
    await expect(decodeAll(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x0a, 0xc3, 0x28]), 2)).rejects.toMatchObject({ byte: 5, line: 2 });
  });

  it('reaches the csv loader, which reads a Blob again to count the lines', async () => {
    const blob = new Blob(['prediction,reference\n', 'a,a\n', new Uint8Array([0x62, 0x2c, 0xe9, 0x0a])]);
    await expect((async () => {
      for await (const _ of csv(blob, { sourceName: 'scores.csv' })) void _;
    })()).rejects.toMatchObject({ code: 'SOURCE_NOT_UTF8', plugin: 'csv', byte: 27, line: 3 });
  });
});
