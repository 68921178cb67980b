// A page keeps the bytes of pinned modules in the Cache API, so an installed plugin loads offline from the very
// bytes that were pinned; the loader's integrity check still runs on them.
import { isUnreachable } from './fetch-bytes.ts';

/** The Cache API cache that holds pinned module bytes, keyed by URL. */
export const MODULE_CACHE_NAME = 'plugboard-modules';

const cacheStorage = (): CacheStorage | undefined => (globalThis as { caches?: CacheStorage }).caches;

/**
 * Reads a pinned module through `read` (the network); when no server answers (offline), returns the bytes kept
 * for the URL instead, which the loader then checks against the pin. Without `integrity`, or where the page has
 * no Cache API (an insecure context), it is `read` alone.
 */
export async function readThroughPageCache(url: string, integrity: string | undefined, read: () => Promise<Uint8Array>): Promise<Uint8Array> {
  const storage = cacheStorage();
  if (!integrity || !storage) return read();
  try {
    return await read();
  } catch (thrown) {
    if (!isUnreachable(thrown)) throw thrown;
    const kept = await storage
      .open(MODULE_CACHE_NAME)
      .then((cache) => cache.match(url))
      .catch(() => undefined);
    if (!kept) throw thrown;
    return new Uint8Array(await kept.arrayBuffer());
  }
}

/** Keeps bytes that matched their pin, for `readThroughPageCache`. A full quota or a refused cache only costs the offline copy. */
export async function keepInPageCache(url: string, bytes: Uint8Array, integrity: string): Promise<void> {
  const storage = cacheStorage();
  if (!storage || !/^https?:/.test(url)) return;
  try {
    const cache = await storage.open(MODULE_CACHE_NAME);
    await cache.put(url, new Response(bytes as BodyInit, { headers: { 'Content-Type': 'text/javascript', 'X-Plugboard-Integrity': integrity } }));
  } catch {
    // Nothing kept: the next offline load fails at fetch, as it would without a cache.
  }
}
