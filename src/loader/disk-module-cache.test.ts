import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultCacheFolder, diskModuleCache } from './disk-module-cache.ts';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'plugboard-cache-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const URL_A = 'https://cdn.example/a.js';
const bytesOf = (text: string) => new TextEncoder().encode(text);
async function sha384(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-384', bytes as BufferSource));
  return `sha384-${btoa(String.fromCharCode(...digest))}`;
}

describe('defaultCacheFolder', () => {
  it('uses XDG_CACHE_HOME when set, else ~/.cache, else nothing', () => {
    expect(defaultCacheFolder({ XDG_CACHE_HOME: '/x/cache/', HOME: '/home/a' })).toBe('/x/cache/plugboard');
    expect(defaultCacheFolder({ HOME: '/home/a' })).toBe('/home/a/.cache/plugboard');
    expect(defaultCacheFolder({})).toBeUndefined();
  });
});

describe('diskModuleCache', () => {
  it('answers for a URL and digest it kept, and for the latest bytes of a URL', async () => {
    const cache = diskModuleCache(folder);
    const first = bytesOf('export default 1;\n');
    const second = bytesOf('export default 2;\n');
    await cache.write(URL_A, first);
    await cache.write(URL_A, second);
    expect(await cache.read(URL_A, await sha384(first))).toEqual(first);
    expect(await cache.read(URL_A, await sha384(second))).toEqual(second);
    expect(await cache.readLatest(URL_A)).toEqual(second);
  });

  it('keeps bytes apart by URL: the same digest under another URL is a miss', async () => {
    const cache = diskModuleCache(folder);
    const bytes = bytesOf('export default 1;\n');
    await cache.write(URL_A, bytes);
    expect(await cache.read('https://cdn.example/b.js', await sha384(bytes))).toBeUndefined();
    expect(await cache.readLatest('https://cdn.example/b.js')).toBeUndefined();
  });

  it('treats a kept file whose bytes no longer match their digest as a miss', async () => {
    const cache = diskModuleCache(folder);
    const bytes = bytesOf('export default 1;\n');
    await cache.write(URL_A, bytes);
    const [place] = await readdir(join(folder, 'modules'));
    const kept = (await readdir(join(folder, 'modules', place!))).find((name) => /^[0-9a-f]{96}$/.test(name))!;
    await writeFile(join(folder, 'modules', place!, kept), 'tampered');
    expect(await cache.read(URL_A, await sha384(bytes))).toBeUndefined();
    expect(await cache.readLatest(URL_A)).toBeUndefined();
  });

  it('answers only sha384 digests, and a malformed one is a miss', async () => {
    const cache = diskModuleCache(folder);
    await cache.write(URL_A, bytesOf('x'));
    expect(await cache.read(URL_A, 'sha256-AAAA')).toBeUndefined();
    expect(await cache.read(URL_A, 'sha384-%%%')).toBeUndefined();
  });

  it('leaves no temporary files behind', async () => {
    const cache = diskModuleCache(folder);
    await cache.write(URL_A, bytesOf('x'));
    const [place] = await readdir(join(folder, 'modules'));
    expect((await readdir(join(folder, 'modules', place!))).filter((name) => name.endsWith('.tmp') || name.includes('.tmp.'))).toEqual([]);
  });
});
