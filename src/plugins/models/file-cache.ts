// Where fetched model files are kept between runs: the Cache API in pages and Workers, a folder on disk in Node.
import { isNode } from '../data-loaders/open-source.ts';

/** A cached file: its bytes and the SHA-256 digest (hex) taken when it was stored. */
export interface CachedFile {
  bytes: Uint8Array;
  sha256: string;
}

/** A store of fetched files keyed by URL. */
export interface FileCache {
  /** Resolves with the file stored under `url`, or undefined when there is none (or it cannot be read). */
  match(url: string): Promise<CachedFile | undefined>;
  /** Stores the file; a failed write leaves no entry behind, and never rejects (a cache is an optimisation). */
  put(url: string, file: CachedFile): Promise<void>;
}

/** The Cache API cache (and the Node folder's last segment) that model files go to. */
export const MODEL_CACHE_NAME = 'plugboard-models';
const DIGEST_HEADER = 'x-plugboard-sha256';
// Node's modules are named by variables so bundlers and module lexers (the host's, a Worker importer's) leave
// them alone: pages and Workers never ask for them.
const NODE_FS_PROMISES = 'node:fs/promises';
const NODE_PATH = 'node:path';
const NODE_OS = 'node:os';

/** Returns the SHA-256 digest of `bytes` as lowercase hex, in a secure context or not. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  let hex = '';
  for (const byte of await digestOf('SHA-256', bytes)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Returns the SHA-384 digest of `bytes` as `sha384-<base64>` (the form plugin modules' digests take in a run's
 * provenance, and an SRI value), in a secure context or not.
 */
export async function sha384Integrity(bytes: Uint8Array): Promise<string> {
  let binary = '';
  for (const byte of await digestOf('SHA-384', bytes)) binary += String.fromCharCode(byte);
  return `sha384-${btoa(binary)}`;
}

async function digestOf(algorithm: 'SHA-256' | 'SHA-384', bytes: Uint8Array): Promise<Uint8Array> {
  // A page outside a secure context (plain http from an intranet host) has no crypto.subtle.
  const subtle = globalThis.crypto?.subtle;
  if (subtle) return new Uint8Array(await subtle.digest(algorithm, bytes as Uint8Array<ArrayBuffer>));
  const { sha256, sha384 } = await import('@noble/hashes/sha2.js');
  return (algorithm === 'SHA-256' ? sha256 : sha384)(bytes);
}

/**
 * Opens the cache for this environment: the Cache API when the page or Worker has it, `directory` (default
 * `~/.cache/plugboard-models`) in Node, and undefined where neither exists.
 */
export async function openFileCache(directory?: string): Promise<FileCache | undefined> {
  if (isNode()) return openDiskCache(directory);
  if (typeof caches === 'undefined') return undefined;
  try {
    return new BrowserCache(await caches.open(MODEL_CACHE_NAME));
  } catch {
    return undefined; // an opaque origin or a storage policy refuses the Cache API: run without one
  }
}

class BrowserCache implements FileCache {
  #cache: Cache;
  constructor(cache: Cache) {
    this.#cache = cache;
  }
  async match(url: string): Promise<CachedFile | undefined> {
    const response = await this.#cache.match(url);
    const sha256 = response?.headers.get(DIGEST_HEADER);
    if (!response || !sha256) return undefined;
    return { bytes: new Uint8Array(await response.arrayBuffer()), sha256 };
  }
  async put(url: string, file: CachedFile): Promise<void> {
    const headers = { [DIGEST_HEADER]: file.sha256, 'content-length': String(file.bytes.byteLength) };
    await this.#cache.put(url, new Response(file.bytes as Uint8Array<ArrayBuffer>, { headers })).catch(() => undefined);
  }
}

async function openDiskCache(directory: string | undefined): Promise<FileCache> {
  const fs = (await import(/* @vite-ignore */ NODE_FS_PROMISES)) as typeof import('node:fs/promises');
  const path = (await import(/* @vite-ignore */ NODE_PATH)) as typeof import('node:path');
  const os = (await import(/* @vite-ignore */ NODE_OS)) as typeof import('node:os');
  const root = directory ?? path.join(os.homedir(), '.cache', MODEL_CACHE_NAME);
  const place = async (url: string) => path.join(root, await sha256Hex(new TextEncoder().encode(url)));
  return {
    async match(url) {
      const base = await place(url);
      try {
        const meta = JSON.parse(await fs.readFile(`${base}.json`, 'utf8')) as { url?: unknown; sha256?: unknown };
        if (meta.url !== url || typeof meta.sha256 !== 'string') return undefined;
        return { bytes: new Uint8Array(await fs.readFile(base)), sha256: meta.sha256 };
      } catch {
        return undefined;
      }
    },
    async put(url, file) {
      const base = await place(url);
      const temporary = `${base}.${process.pid}.${Date.now()}.part`;
      try {
        await fs.mkdir(root, { recursive: true });
        // Bytes first, renamed into place, then the record that makes them an entry: a write cut short
        // leaves at most a stray .part file, never an entry pointing at half a file.
        await fs.writeFile(temporary, file.bytes);
        await fs.rename(temporary, base);
        await fs.writeFile(`${temporary}.json`, JSON.stringify({ url, sha256: file.sha256, size: file.bytes.byteLength }));
        await fs.rename(`${temporary}.json`, `${base}.json`);
      } catch {
        await fs.rm(temporary, { force: true }).catch(() => undefined);
        await fs.rm(`${temporary}.json`, { force: true }).catch(() => undefined);
      }
    },
  };
}
