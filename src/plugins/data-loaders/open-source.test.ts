import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeSource, readBytes } from './open-source.ts';

async function text(source: Blob | URL | string): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of readBytes(source, { plugin: 'test', name: describeSource(source) })) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

let folder: string;
let server: Server;
let base: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'plugboard-source-'));
  await writeFile(join(folder, 'a.txt'), 'from disk\n');
  server = createServer((request, response) => {
    if (request.url === '/data.txt') {
      response.write('from ');
      response.end('the network\n');
    } else {
      response.statusCode = 404;
      response.end('no');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('readBytes', () => {
  it('reads a file path, a file: URL and the same URL as a string alike', async () => {
    const path = join(folder, 'a.txt');
    expect(await text(path)).toBe('from disk\n');
    expect(await text(pathToFileURL(path))).toBe('from disk\n');
    expect(await text(pathToFileURL(path).href)).toBe('from disk\n');
  });

  it('reads a Blob and an http URL', async () => {
    expect(await text(new Blob(['in memory']))).toBe('in memory');
    expect(await text(`${base}/data.txt`)).toBe('from the network\n');
  });

  it('throws SOURCE_NOT_FOUND naming a missing file', async () => {
    const path = join(folder, 'missing.csv');
    await expect(text(path)).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND', url: path, problem: `${path} does not exist` });
  });

  it('throws SOURCE_NOT_FOUND with the HTTP status of a missing URL', async () => {
    await expect(text(`${base}/nope.csv`)).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND', problem: expect.stringContaining('HTTP 404') });
  });

  it('throws SOURCE_UNREADABLE for a folder', async () => {
    await expect(text(folder)).rejects.toMatchObject({ code: 'SOURCE_UNREADABLE', problem: `${folder} is not a file` });
  });

  it('stops with the abort reason once the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped by the user'));
    const reading = readBytes(new Blob(['x']), { plugin: 'test', name: 'x', signal: controller.signal });
    await expect(reading.next()).rejects.toThrow('stopped by the user');
  });
});

describe('describeSource', () => {
  it('names a File by its name, a Blob generically, and anything else by its text', () => {
    expect(describeSource(new File(['x'], 'scores.csv'))).toBe('scores.csv');
    expect(describeSource(new Blob(['x']))).toBe('the uploaded data');
    expect(describeSource('data/x.jsonl')).toBe('data/x.jsonl');
    expect(describeSource('data/x.jsonl', 'shown name')).toBe('shown name');
  });
});

describe('readBytes on a large Blob', () => {
  it('hands on chunks of at most 1 MiB even when the stream gives the whole Blob at once', async () => {
    const blob = new Blob([new Uint8Array(3 * (1 << 20) + 5)]);
    const sizes: number[] = [];
    for await (const chunk of readBytes(blob, { plugin: 'test', name: 'big' })) sizes.push(chunk.byteLength);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1 << 20);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(3 * (1 << 20) + 5);
  });
});
