import { afterEach, describe, expect, it } from 'vitest';
import { forgetInPageCache, keepInPageCache, MODULE_CACHE_NAME, readKeptModule } from './page-module-cache.ts';

/** A Cache API of Maps, as a page has one: `refuse` names a URL whose deletion the cache refuses. */
function fakeCaches(refuse?: string) {
  const stores = new Map<string, Map<string, Response>>();
  const storage = {
    async open(name: string) {
      const store = stores.get(name) ?? new Map<string, Response>();
      stores.set(name, store);
      return {
        async put(url: string, response: Response) {
          store.set(url, response);
        },
        async match(url: string) {
          return store.get(url)?.clone();
        },
        async delete(url: string) {
          if (url === refuse) throw new DOMException('the quota manager refused', 'UnknownError');
          return store.delete(url);
        },
      };
    },
  };
  Object.defineProperty(globalThis, 'caches', { configurable: true, value: storage });
  return stores;
}

afterEach(() => {
  delete (globalThis as { caches?: unknown }).caches;
});

const A = 'https://cdn.test/a.js';
const B = 'https://cdn.test/b.js';
const bytes = (text: string) => new TextEncoder().encode(text);

describe('forgetInPageCache', () => {
  it('removes the bytes kept for each URL and leaves the others', async () => {
    const stores = fakeCaches();
    await keepInPageCache(A, bytes('export const a = 1;\n'), 'sha384-a');
    await keepInPageCache(B, bytes('export const b = 1;\n'), 'sha384-b');
    await forgetInPageCache([A]);
    expect(await readKeptModule(A)).toBeUndefined();
    expect(new TextDecoder().decode(await readKeptModule(B))).toBe('export const b = 1;\n');
    expect([...stores.get(MODULE_CACHE_NAME)!.keys()]).toEqual([B]);
  });

  it('rejects with MODULE_CACHE_FAILED naming the URL when the cache refuses a removal', async () => {
    fakeCaches(B);
    await keepInPageCache(B, bytes('export const b = 1;\n'), 'sha384-b');
    await expect(forgetInPageCache([A, B])).rejects.toMatchObject({ code: 'MODULE_CACHE_FAILED', url: B, problem: expect.stringContaining('the quota manager refused') });
  });

  it('does nothing where there is no Cache API (nothing was kept)', async () => {
    await expect(forgetInPageCache([A])).resolves.toBeUndefined();
  });
});
