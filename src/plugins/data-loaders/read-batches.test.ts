import { describe, expect, it } from 'vitest';
import { lines } from './lines.ts';
import { readBatches } from './read-batches.ts';

async function sizes(batches: AsyncIterable<unknown[]>): Promise<number[]> {
  const out: number[] = [];
  for await (const batch of batches) out.push(batch.length);
  return out;
}

describe('readBatches', () => {
  it('regroups a loader stream into batches of the given size, keeping order', async () => {
    const text = Array.from({ length: 10 }, (_, index) => `line ${index}`).join('\n');
    const batches: unknown[][] = [];
    for await (const batch of readBatches(lines(new Blob([text])), 3)) batches.push(batch);
    expect(batches.map((batch) => batch.length)).toEqual([3, 3, 3, 1]);
    expect(batches.flat().map((record) => (record as { text: string }).text)).toEqual(text.split('\n'));
  });

  it('batches a plain iterable of records too', async () => {
    expect(await sizes(readBatches([{ a: 1 }, { a: 2 }, { a: 3 }], 2))).toEqual([2, 1]);
    expect(await sizes(readBatches([], 2))).toEqual([]);
  });

  it('throws RangeError for a size that is not a positive integer', async () => {
    await expect(readBatches([], 0).next()).rejects.toThrow(RangeError);
    await expect(readBatches([], 1.5).next()).rejects.toThrow('positive integer');
  });
});
