import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquet } from './parquet.ts';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

async function collect(iterable: AsyncIterable<Record<string, unknown>>) {
  const out: Record<string, unknown>[] = [];
  for await (const record of iterable) out.push(record);
  return out;
}

/** pyarrow's reading of a fixture; ids beyond 2^53 were written as strings and become BigInt here. */
async function expected(name: string): Promise<{ row_groups: number; codec: string; rows: Record<string, unknown>[] }> {
  const data = JSON.parse(await readFile(fixture(`${name}.expected.json`), 'utf8'));
  for (const row of data.rows) if (typeof row.id === 'string') row.id = BigInt(row.id);
  return data;
}

let server: Server;
let base: string;
const ranges: string[] = [];
beforeAll(async () => {
  server = createServer(async (request, response) => {
    const bytes = await readFile(fixture(request.url!.slice(1)));
    const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers.range ?? '');
    response.setHeader('accept-ranges', 'bytes');
    if (request.method === 'HEAD') {
      response.setHeader('content-length', bytes.length);
      response.end();
    } else if (range) {
      ranges.push(request.headers.range!);
      const [start, end] = [Number(range[1]), Number(range[2])];
      response.writeHead(206, { 'content-range': `bytes ${start}-${end}/${bytes.length}`, 'content-length': end - start + 1 });
      response.end(bytes.subarray(start, end + 1));
    } else {
      response.end(bytes);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('parquet', () => {
  for (const name of ['rows-snappy', 'rows-zstd', 'rows-gzip']) {
    it(`reads ${name} row for row as pyarrow does`, async () => {
      const reference = await expected(name);
      expect(await collect(parquet(fixture(`${name}.parquet`)))).toEqual(reference.rows);
    });
  }

  it('yields one batch per row group', async () => {
    const stream = parquet(fixture('rows-snappy.parquet'));
    const sizes: number[] = [];
    for await (const batch of stream.batches()) sizes.push(batch.length);
    expect(sizes).toEqual([2, 2, 1]);
    expect((await expected('rows-snappy')).row_groups).toBe(3);
  });

  it('reads a Blob and a file path as it reads a file: URL', async () => {
    const bytes = await readFile(fixture('rows-snappy.parquet'));
    const fromBlob = await collect(parquet(new Blob([bytes])));
    const fromPath = await collect(parquet(fixture('rows-snappy.parquet').pathname));
    expect(fromBlob).toEqual(fromPath);
    expect(fromBlob).toHaveLength(5);
  });

  it('reads a URL through range requests and reads only the columns asked for', async () => {
    ranges.length = 0;
    const records = await collect(parquet(`${base}rows-snappy.parquet`, { columns: ['prediction'], footerFetchSize: 1024 }));
    expect(records.map((record) => Object.keys(record))).toEqual(Array(5).fill(['prediction']));
    expect(records[1]).toEqual({ prediction: 'Grüße, 世界' });
    expect(ranges.length).toBeGreaterThan(1);
    const size = (await readFile(fixture('rows-snappy.parquet'))).length;
    expect(ranges).not.toContain(`bytes=0-${size - 1}`);
  });

  it('throws PARQUET_UNKNOWN_COLUMN listing the columns the file has', async () => {
    await expect(collect(parquet(fixture('rows-snappy.parquet'), { columns: ['predictions'] }))).rejects.toMatchObject({
      code: 'PARQUET_UNKNOWN_COLUMN',
      field: 'predictions',
      problem: expect.stringContaining('"id", "prediction", "reference", "score", "tokens"'),
    });
  });

  it('throws PARQUET_UNREADABLE naming the source for bytes that are not Parquet', async () => {
    await expect(collect(parquet(new File(['id,text\n1,a\n'], 'oops.parquet')))).rejects.toMatchObject({
      code: 'PARQUET_UNREADABLE',
      url: 'oops.parquet',
      problem: expect.stringContaining('not a readable Parquet file'),
    });
  });
});
