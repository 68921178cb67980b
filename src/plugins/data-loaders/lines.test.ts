import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lines } from './lines.ts';
import { SOURCE_LINE } from './record-stream.ts';

async function collect(iterable: AsyncIterable<Record<PropertyKey, unknown>>) {
  const out: Record<PropertyKey, unknown>[] = [];
  for await (const record of iterable) out.push(record);
  return out;
}
/** A record's string-keyed fields only: the SOURCE_LINE symbol is checked on its own. */
const plain = (record: Record<PropertyKey, unknown>) => Object.fromEntries(Object.entries(record));
const blob = (...parts: (string | Uint8Array)[]) => new Blob(parts as BlobPart[]);

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'plugboard-lines-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('lines', () => {
  it('yields one { text } record per line, dropping the BOM and the CR of CRLF', async () => {
    const records = await collect(lines(blob('\uFEFFfirst\r\nsecond\r\n')));
    expect(records.map(plain)).toEqual([{ text: 'first' }, { text: 'second' }]);
  });

  it('keeps empty lines as records and a last line that has no line break', async () => {
    expect((await collect(lines(blob('a\n\n\nb')))).map(plain)).toEqual([{ text: 'a' }, { text: '' }, { text: '' }, { text: 'b' }]);
  });

  it('drops empty lines with skipEmpty and still numbers lines as the file does', async () => {
    const records = await collect(lines(blob('a\n\nb\n'), { skipEmpty: true }));
    expect(records.map((record) => [record.text, record[SOURCE_LINE]])).toEqual([['a', 1], ['b', 3]]);
  });

  it('yields nothing for an empty source and one empty record for a lone line break', async () => {
    expect((await collect(lines(blob('')))).map(plain)).toEqual([]);
    expect((await collect(lines(blob('\n')))).map(plain)).toEqual([{ text: '' }]);
  });

  it('names the field after the field option', async () => {
    expect((await collect(lines(blob('x\n'), { field: 'prediction' }))).map(plain)).toEqual([{ prediction: 'x' }]);
  });

  it('keeps a character whose bytes straddle two chunks of a file whole', async () => {
    // The file loader reads 1 MiB chunks: put a three-byte "€" across the first boundary.
    const path = join(folder, 'split.txt');
    const head = 'a'.repeat((1 << 20) - 1);
    await writeFile(path, `${head}€tail\nnext\n`);
    const records = await collect(lines(path));
    expect(records.map((record) => (record.text as string).slice(-5))).toEqual(['a€tail', 'next'].map((text) => text.slice(-5)));
    expect((records[0]!.text as string).length).toBe(head.length + 5);
  });

  it('throws SOURCE_NOT_UTF8 naming the bytes when the source is not UTF-8', async () => {
    await expect(collect(lines(blob(new Uint8Array([0x61, 0x0a, 0xff, 0xfe, 0x0a]))))).rejects.toMatchObject({
      code: 'SOURCE_NOT_UTF8',
      plugin: 'lines',
      problem: expect.stringContaining('not UTF-8'),
    });
  });

  it('reads the source again from the start on a second iteration', async () => {
    const stream = lines(blob('a\nb\n'));
    expect(await collect(stream)).toHaveLength(2);
    expect(await collect(stream)).toHaveLength(2);
    expect(stream.summary).toMatchObject({ records: 2, skipped: 0 });
  });
});
