import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csv } from './csv.ts';
import { jsonl } from './jsonl.ts';

const TARGET_BYTES = 300 * 1024 * 1024;
const ROWS_PER_PIECE = 5000;

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'plugboard-large-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Writes rows piece by piece with back-pressure, so the file never exists as one string here either. */
async function writeLarge(path: string, header: string, row: (id: number) => string): Promise<number> {
  const out = createWriteStream(path);
  out.write(header);
  let rows = 0;
  let bytes = 0;
  while (bytes < TARGET_BYTES) {
    let piece = '';
    for (let i = 0; i < ROWS_PER_PIECE; i++) piece += row(rows++);
    bytes += Buffer.byteLength(piece);
    if (!out.write(piece)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

/** Reads a stream to the end, sampling the heap; returns the rows, a checksum of ids and the peak heap growth. */
async function drain(records: AsyncIterable<Record<string, unknown>>): Promise<{ rows: number; idSum: number; peakGrowth: number }> {
  globalThis.gc?.();
  const baseline = process.memoryUsage().heapUsed;
  let peak = 0;
  let rows = 0;
  let idSum = 0;
  for await (const record of records) {
    idSum += Number(record.id);
    if (++rows % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
  }
  return { rows, idSum, peakGrowth: peak };
}

describe('a file larger than is comfortable for one string', () => {
  it('streams 300 MB of CSV through the csv loader in bounded memory', async () => {
    const path = join(folder, 'large.csv');
    const written = await writeLarge(path, 'id,prediction,reference\r\n', (id) => `${id},"the cät, ""sat""",ref ${id % 97} 世界\r\n`);
    expect((await stat(path)).size).toBeGreaterThan(TARGET_BYTES);
    const { rows, idSum, peakGrowth } = await drain(csv(path));
    expect(rows).toBe(written);
    expect(idSum).toBe((written * (written - 1)) / 2);
    expect(peakGrowth).toBeLessThan(100 * 1024 * 1024);
  }, 90_000);

  it('streams 300 MB of JSON Lines through the jsonl loader in bounded memory', async () => {
    const path = join(folder, 'large.jsonl');
    const written = await writeLarge(path, '', (id) => `{"id":${id},"prediction":"the cät sat on the mat","reference":"ref 世界 ${id % 97}"}\n`);
    const { rows, idSum, peakGrowth } = await drain(jsonl(path));
    expect(rows).toBe(written);
    expect(idSum).toBe((written * (written - 1)) / 2);
    expect(peakGrowth).toBeLessThan(100 * 1024 * 1024);
  }, 90_000);
});
