import { PlugboardError, messageOf } from '../errors/index.ts';
import { installImportMap, type ImportMapConflict } from './import-map.ts';
import { registerNodeImportMap } from './node-import-map.ts';

/** What the loader needs from the place it runs in: a page, a Worker or Node. */
export interface LoaderEnvironment {
  /** The origin `'self'` stands for in `allowedOrigins`. */
  readonly selfOrigin: string;
  /** What relative manifest URLs resolve against: the document's base URL, or the working directory in Node. */
  readonly baseUrl: string;
  /** Reads a module's bytes; throws a `fetch`-stage PlugboardError when it cannot. */
  readBytes(url: string): Promise<Uint8Array>;
  /** Turns the bytes into the source the lexer reads (a test environment may transpile here). */
  toSource?(bytes: Uint8Array, url: string): string | Promise<string>;
  /** Imports a module by URL. */
  importModule(url: string): Promise<Record<string, unknown>>;
  /** Puts the import-map entries in force before any plugin module loads; returns what could not be mapped as asked. */
  mapImports(imports: Record<string, string>): ImportMapConflict[] | Promise<ImportMapConflict[]>;
  /**
   * Called once a module's bytes have passed their integrity check, just before it is imported, so the
   * platform refuses other bytes at import time too (a page adds the digest to its import map).
   */
  pinIntegrity?(url: string, integrity: string): void;
  /** Whether a bare specifier resolves (through the import map or the platform's own resolver). */
  resolves(specifier: string): boolean;
}

const isBrowser = typeof document !== 'undefined' && typeof location !== 'undefined';

/** The environment of the current runtime: a page (import maps, fetch) or Node/Worker (fetch, or the file system for file: URLs). */
export function defaultEnvironment(): LoaderEnvironment {
  return isBrowser ? browserEnvironment() : scriptEnvironment();
}

function browserEnvironment(): LoaderEnvironment {
  const mapped = new Map<string, string>();
  return {
    selfOrigin: location.origin,
    baseUrl: document.baseURI,
    readBytes: fetchBytes,
    importModule: (url) => import(/* @vite-ignore */ url),
    mapImports(imports) {
      const conflicts = installImportMap(imports, {});
      for (const [specifier, url] of Object.entries(imports)) mapped.set(specifier, url);
      return conflicts;
    },
    pinIntegrity(url, integrity) {
      installImportMap({}, { [url]: integrity });
    },
    resolves(specifier) {
      if (mapped.has(specifier) || [...mapped.keys()].some((key) => key.endsWith('/') && specifier.startsWith(key))) {
        return true;
      }
      try {
        import.meta.resolve(specifier);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** Node and Workers: no import maps, so bare specifiers resolve through the platform (node_modules in Node). */
function scriptEnvironment(): LoaderEnvironment {
  const mapped = new Set<string>();
  return {
    selfOrigin: 'file://',
    baseUrl: scriptBaseUrl(),
    async readBytes(url) {
      if (!url.startsWith('file:')) return fetchBytes(url);
      // A variable specifier keeps bundlers from pulling node:fs into browser builds.
      const fsModule = 'node:fs/promises';
      const urlModule = 'node:url';
      const [{ readFile }, { fileURLToPath }] = await Promise.all([
        import(/* @vite-ignore */ fsModule) as Promise<typeof import('node:fs/promises')>,
        import(/* @vite-ignore */ urlModule) as Promise<typeof import('node:url')>,
      ]);
      try {
        return new Uint8Array(await readFile(fileURLToPath(url)));
      } catch (cause) {
        throw new PlugboardError({
          code: 'FETCH_FAILED',
          stage: 'fetch',
          url,
          problem: `the module file cannot be read: ${messageOf(cause)}`,
          hint: 'Check the path in the manifest; it resolves against the manifest file.',
          cause,
        });
      }
    },
    importModule: (url) => import(/* @vite-ignore */ url),
    async mapImports(imports) {
      const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
      if (!isNode) {
        for (const specifier of Object.keys(imports)) mapped.add(specifier);
        return [];
      }
      const conflicts = await registerNodeImportMap(imports);
      if (conflicts === undefined) {
        return Object.entries(imports).map(([specifier, wanted]) => ({ specifier, wanted, actual: null, reason: 'unsupported' as const }));
      }
      for (const specifier of Object.keys(imports)) mapped.add(specifier);
      return conflicts.map(({ specifier, actual }) => ({ specifier, wanted: imports[specifier]!, actual, reason: 'mapped-differently' as const }));
    },
    resolves(specifier) {
      if (mapped.has(specifier)) return true;
      try {
        import.meta.resolve(specifier);
        return true;
      } catch {
        return false;
      }
    },
  };
}

function scriptBaseUrl(): string {
  const workerLocation = (globalThis as { location?: { href: string } }).location;
  if (workerLocation) return workerLocation.href;
  const cwd = (globalThis as { process?: { cwd(): string } }).process?.cwd() ?? '/';
  return `file://${cwd.split('/').map(encodeURIComponent).join('/')}/`;
}

/** Fetches a module's bytes, turning network, CORS and HTTP failures into `fetch`-stage errors. */
export async function fetchBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (cause) {
    throw new PlugboardError({
      code: 'FETCH_FAILED',
      stage: 'fetch',
      url,
      problem: `the module could not be fetched (${messageOf(cause)})`,
      hint: 'Check that the server is up and, for another origin, that it sends Access-Control-Allow-Origin.',
      cause,
    });
  }
  if (!response.ok) {
    throw new PlugboardError({
      code: 'FETCH_FAILED',
      stage: 'fetch',
      url,
      problem: `the server answered ${response.status} ${response.statusText}`.trim(),
      hint: response.status === 404 ? 'Check the path in the manifest; it resolves against the manifest URL.' : 'Retry later or check the server.',
    });
  }
  return new Uint8Array(await response.arrayBuffer());
}
