import { describe, expect, it } from 'vitest';
import { SPLIT_MIN_BYTES, splitSource } from './split-source.ts';

const header = 'prediction,reference\n';
const row = (index: number) => `prediction number ${index},reference number ${index}\n`;
function csvOfSize(bytes: number): string {
  let text = header;
  for (let index = 0; text.length < bytes; index++) text += row(index);
  return text;
}

describe('splitSource', () => {
  it('cuts a big CSV at line breaks into parts that each start with the header and together hold every row once', async () => {
    const text = csvOfSize(SPLIT_MIN_BYTES + 1000);
    const parts = (await splitSource(new Blob([text]), 'csv', {}, 4))!;
    expect(parts).toHaveLength(4);
    const texts = await Promise.all(parts.map((part) => part.text()));
    for (const part of texts) {
      expect(part.startsWith(header)).toBe(true);
      expect(part.endsWith('\n')).toBe(true);
    }
    expect(header + texts.map((part) => part.slice(header.length)).join('')).toBe(text);
  });

  it('cuts JSON Lines without a header', async () => {
    const text = csvOfSize(SPLIT_MIN_BYTES + 1000).slice(header.length);
    const parts = (await splitSource(new Blob([text]), 'jsonl', {}, 3))!;
    expect(parts).toHaveLength(3);
    expect((await Promise.all(parts.map((part) => part.text()))).join('')).toBe(text);
  });

  it('leaves whole a small source, Parquet, a CSV without a header row, and one whose header holds a quote', async () => {
    const big = csvOfSize(SPLIT_MIN_BYTES + 1000);
    expect(await splitSource(new Blob([csvOfSize(1000)]), 'csv', {}, 4)).toBeUndefined();
    expect(await splitSource(new Blob([big]), 'parquet', {}, 4)).toBeUndefined();
    expect(await splitSource(new Blob([big]), 'csv', { header: false }, 4)).toBeUndefined();
    expect(await splitSource(new Blob([`"quoted",reference\n${big}`]), 'csv', {}, 4)).toBeUndefined();
    expect(await splitSource(new Blob([big]), 'csv', {}, 1)).toBeUndefined();
  });
});
