// Node's own loader refuses http(s): modules. The Node environment fetches them here — through the disk
// cache, with the origin check — and the module hook thread (node-import-map.ts) runs the very bytes read.
import { PlugboardError, messageOf } from '../errors/index.ts';
import { fetchBytes, isUnreachable } from './fetch-bytes.ts';
import type { DiskModuleCache } from './disk-module-cache.ts';
import type { ReadOptions } from './environment.ts';
import { platform } from './platform.ts';
import { isNetworkUrl, putInForceFor, serveNetworkModules } from './node-import-map.ts';

/** Reads and imports http(s) modules in Node. */
export interface NetworkModules {
  /** Reads a module's bytes: from the disk cache when `integrity` names bytes kept there, else from the network (kept on success; the last kept bytes when the network fails). */
  readBytes(url: string, options?: ReadOptions): Promise<Uint8Array>;
  /** Imports an http(s) module, running `source` (the checked bytes) for `url` itself; what it imports comes through `readBytes`. */
  importModule(url: string, source: string | undefined): Promise<Record<string, unknown>>;
  /** Allows the modules of an origin to be imported by the modules the loader checked (an import map target's origin). */
  trustOrigin(origin: string): void;
  /** Gives the checked source of a pinned module a plugin imports, so the hook runs it for `url` instead of reading it again. */
  provide(url: string, source: string): void;
}

/**
 * The process's one set of network modules: the module hook thread is process-wide, so the sources it is
 * given are too. `cache` is undefined when caching is off. A module a plugin imports is fetched within
 * `dependencyTimeoutMs` (the longest any host asked for), so a server that never ends a body cannot hold
 * Node's module loader, and the process, open after the load that needed it has timed out.
 */
export function networkModules(cache: DiskModuleCache | undefined, dependencyTimeoutMs: number): NetworkModules {
  const shared = (processNetworkModules ??= createNetworkModules());
  shared.caches.add(cache);
  shared.dependencyTimeoutMs = Math.max(shared.dependencyTimeoutMs, dependencyTimeoutMs);
  return {
    readBytes: (url, options = {}) => readThrough(url, options, cache),
    async importModule(url, source) {
      if (source !== undefined) shared.sources.set(url, source);
      shared.trusted.add(new URL(url).origin);
      await putInForceFor(url);
      try {
        return (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
      } catch (thrown) {
        // A module it imports failed before Node saw its code: report that module's failure itself.
        const failure = [...shared.failures.values()].find((error) => messageOf(thrown).includes(error.problem));
        if (failure) throw failure;
        throw thrown;
      }
    },
    trustOrigin(origin) {
      shared.trusted.add(origin);
    },
    provide(url, source) {
      shared.sources.set(url, source);
      shared.trusted.add(new URL(url).origin);
    },
  };
}

interface SharedNetworkModules {
  sources: Map<string, string>;
  trusted: Set<string>;
  failures: Map<string, PlugboardError>;
  caches: Set<DiskModuleCache | undefined>;
  dependencyTimeoutMs: number;
}

let processNetworkModules: SharedNetworkModules | undefined;

function createNetworkModules(): SharedNetworkModules {
  const shared: SharedNetworkModules = { sources: new Map(), trusted: new Set(), failures: new Map(), caches: new Set(), dependencyTimeoutMs: 0 };
  serveNetworkModules(async (url) => {
    const checked = shared.sources.get(url);
    if (checked !== undefined) {
      shared.sources.delete(url); // Node keeps the module; the text is not needed again
      return checked;
    }
    try {
      const origin = new URL(url).origin;
      if (!shared.trusted.has(origin)) {
        throw new PlugboardError({
          code: 'ORIGIN_NOT_ALLOWED',
          stage: 'origin',
          url,
          problem: `a plugin imports ${url}, whose origin ${origin} is neither a checked plugin's origin nor an import map target's`,
          hint: `Map the module in the manifest's "imports", or add "${origin}" to allowedOrigins if you trust it.`,
        });
      }
      // A dependency uses the cache of whichever host imported from its origin first.
      const [cache] = shared.caches;
      return platform.decodeUtf8(await withDeadline(url, shared.dependencyTimeoutMs, (signal) => readThrough(url, { allowedOrigins: shared.trusted, signal }, cache)));
    } catch (thrown) {
      if (thrown instanceof PlugboardError) shared.failures.set(url, thrown);
      throw thrown;
    }
  });
  return shared;
}

/** Runs a fetch under a deadline that aborts it with FETCH_TIMEOUT naming the module. */
async function withDeadline<T>(url: string, timeoutMs: number, fetching: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = platform.setTimeout(() => {
    controller.abort(
      new PlugboardError({
        code: 'FETCH_TIMEOUT',
        stage: 'timeout',
        url,
        problem: `a module a plugin imports, ${url}, did not arrive within ${timeoutMs} ms (the server had not finished sending it)`,
        hint: 'The server is very slow or never ends the response: check the server, or raise importTimeoutMs.',
      }),
    );
  }, timeoutMs);
  try {
    return await fetching(controller.signal);
  } finally {
    platform.clearTimeout(timer);
  }
}

async function readThrough(url: string, options: ReadOptions, cache: DiskModuleCache | undefined): Promise<Uint8Array> {
  const { integrity, signal, allowedOrigins, onRedirect } = options;
  const fetchOptions = { crossOrigin: false, ...(signal ? { signal } : {}), ...(allowedOrigins ? { allowedOrigins } : {}), ...(onRedirect ? { onRedirect } : {}) };
  if (!isNetworkUrl(url)) return fetchBytes(url, fetchOptions);
  if (cache && integrity) {
    for (const token of integrity.trim().split(/\s+/)) {
      const kept = await cache.read(url, token);
      if (kept) return kept;
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = await fetchBytes(url, fetchOptions);
  } catch (thrown) {
    // Offline, or the server is down: the bytes kept last time, which the integrity check still guards.
    const kept = isUnreachable(thrown) ? await cache?.readLatest(url) : undefined;
    if (kept) return kept;
    throw thrown;
  }
  if (cache) {
    try {
      await cache.write(url, bytes);
    } catch {
      // A cache that cannot be written (read-only home, full disk) only costs the next run a fetch.
    }
  }
  return bytes;
}
