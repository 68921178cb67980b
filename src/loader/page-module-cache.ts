// A page keeps the bytes of pinned modules in the Cache API, so an installed plugin loads offline from the very
// bytes that were pinned; the loader's integrity check still runs on them.
import { PlugboardError, messageOf } from '../errors/index.ts';
import { isUnreachable } from './fetch-bytes.ts';

/** The Cache API cache that holds pinned module bytes, keyed by URL. */
export const MODULE_CACHE_NAME = 'plugboard-modules';

const cacheStorage = (): CacheStorage | undefined => (globalThis as { caches?: CacheStorage }).caches;

/**
 * Reads a pinned module through `read` (the network); when no server answers (offline), returns the bytes kept
 * for the URL instead (`readKept`, default the page's Cache API cache), which the caller then checks against the
 * pin: kept bytes that do not match are refused, not read again. A server that answers with an error status is
 * that error, kept bytes or not. Without `integrity`, or where nothing is kept (no Cache API in an insecure
 * context), it is `read` alone.
 */
export async function readThroughPageCache(
  url: string,
  integrity: string | undefined,
  read: () => Promise<Uint8Array>,
  readKept: (url: string) => Promise<Uint8Array | undefined> = readKeptModule,
): Promise<Uint8Array> {
  if (!integrity) return read();
  try {
    return await read();
  } catch (thrown) {
    if (!isUnreachable(thrown)) throw thrown;
    const kept = await readKept(url).catch(() => undefined);
    if (!kept) throw thrown;
    return kept;
  }
}

/**
 * The bytes the module cache keeps for `url`, from a page or a Worker of its origin (the Cache API is shared by
 * both); undefined when none are kept or there is no Cache API.
 */
export async function readKeptModule(url: string): Promise<Uint8Array | undefined> {
  const storage = cacheStorage();
  if (!storage) return undefined;
  const kept = await storage.open(MODULE_CACHE_NAME).then((cache) => cache.match(url));
  return kept ? new Uint8Array(await kept.arrayBuffer()) : undefined;
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

/**
 * Removes the bytes kept for each URL (an uninstalled plugin's modules), so no later read finds them. Without a
 * Cache API, or when the cache cannot be opened, nothing can be read from it either and nothing is done; a cache
 * that refuses a deletion rejects with MODULE_CACHE_FAILED naming the URL (those before it are gone already, which
 * a retry finds done).
 */
export async function forgetInPageCache(urls: readonly string[]): Promise<void> {
  const storage = cacheStorage();
  if (!storage || urls.length === 0) return;
  let cache: Cache;
  try {
    cache = await storage.open(MODULE_CACHE_NAME);
  } catch {
    return;
  }
  for (const url of urls) {
    try {
      await cache.delete(url);
    } catch (cause) {
      throw new PlugboardError({
        code: 'MODULE_CACHE_FAILED',
        url,
        problem: `the module's bytes kept for offline use in the ${MODULE_CACHE_NAME} cache could not be removed: ${messageOf(cause)}`,
        hint: 'Retry; if it keeps failing, clear the site data for this page in the browser.',
        cause,
      });
    }
  }
}
