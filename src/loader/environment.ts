import { PlugboardError, messageOf } from '../errors/index.ts';
import { installImportMap, type ImportMapConflict } from './import-map.ts';
import { isBareSpecifier, type ModuleShape, type UrlDependentPlace } from './lex-module.ts';
import { canImportInline, importInline, InlineDependencyError, inlineModulesAllowed, inlineRefusal } from './inline-module.ts';
import { platform } from './platform.ts';
import { relocateSource } from './relocate-source.ts';
import { isNetworkUrl, putInForceFor, registerNodeImportMap } from './node-import-map.ts';
import { defaultCacheFolder, diskModuleCache } from './disk-module-cache.ts';
import { networkModules } from './node-network-modules.ts';
import { forgetInPageCache, keepInPageCache, readThroughPageCache } from './page-module-cache.ts';
import { fetchBytes, type FetchOptions } from './fetch-bytes.ts';

/** What the loader needs from the place it runs in: a page, a Worker or Node. */
export interface LoaderEnvironment {
  /** The origin `'self'` stands for in `allowedOrigins`. */
  readonly selfOrigin: string;
  /** What relative manifest URLs resolve against: the document's base URL, or the working directory in Node. */
  readonly baseUrl: string;
  /**
   * Reads a module's bytes; throws a `fetch`-stage PlugboardError when it cannot. `options.integrity`, when the
   * manifest gives one, lets an environment with a cache answer with bytes it kept under that digest;
   * `signal` aborts the read, body included; a redirect to an origin outside `allowedOrigins` is refused.
   */
  readBytes(url: string, options?: ReadOptions): Promise<Uint8Array>;
  /** Called with bytes that matched their pinned integrity, so an environment with a cache keeps them for offline use. */
  keepVerified?(url: string, bytes: Uint8Array, integrity: string): Promise<void>;
  /**
   * Removes what `keepVerified` kept for these URLs (an uninstalled plugin's modules that no other plugin pins);
   * rejects when the cache refuses, so the caller can keep its record and let a retry finish.
   */
  forgetKept?(urls: readonly string[]): Promise<void>;
  /**
   * Called with the checked bytes of the pinned modules an entry imports, before the entry is imported, so the
   * platform runs those very bytes when it imports their URLs (a page maps each URL to them; Node's module hook
   * serves them). Where it cannot, the platform imports them by URL.
   */
  provideDependencies?(modules: ReadonlyArray<VerifiedDependency>): Promise<void>;
  /** Turns the bytes into the source the lexer reads (a test environment may transpile here). */
  toSource?(bytes: Uint8Array, url: string): string | Promise<string>;
  /**
   * Imports a module. `verified` is what the preflight read and checked: an environment that can run those
   * very bytes does (a page imports them from a `data:` URL), so the code that runs is the code that was
   * checked and the network is asked once; otherwise it imports `url`.
   */
  importModule(url: string, verified?: VerifiedModule): Promise<Record<string, unknown>>;
  /** Called as a module's fetch starts, so whatever importing it needs is found out meanwhile. */
  prepareImport?(): void;
  /** Puts the import-map entries in force before any plugin module loads; returns what could not be mapped as asked. */
  mapImports(imports: Record<string, string>): ImportMapConflict[] | Promise<ImportMapConflict[]>;
  /** Whether a bare specifier resolves (through the import map or the platform's own resolver). */
  resolves(specifier: string): boolean;
  /** The page policy that refused the import map mapping `specifier`, when one did. */
  refusedMapping?(specifier: string): PolicyRefusal | undefined;
}

/** A Content-Security-Policy that refused something, as the browser reported it. */
export interface PolicyRefusal {
  policy: string;
  directive: string;
}

/** How the loader asks for a module's bytes. */
export interface ReadOptions {
  integrity?: string;
  signal?: AbortSignal;
  allowedOrigins?: ReadonlySet<string>;
  /** Told the URL the bytes came from when the server redirected to another one. */
  onRedirect?: (responseUrl: string) => void;
}

/** A module an entry imports, read, checked against its pin and lexed. */
export interface VerifiedDependency extends VerifiedModule {
  url: string;
  integrity: string;
}

/** A module's source as the preflight read, lexed and (when the manifest asked) integrity-checked it. */
export interface VerifiedModule {
  source: string;
  shape: ModuleShape;
  /** The digest the bytes matched, when the manifest entry gave one. */
  integrity?: string;
  /**
   * The URL the bytes came from when the server redirected: the module's own URL, against which its relative
   * imports and `import.meta.url` resolve, as a browser resolves them for a redirected module script.
   */
  responseUrl?: string;
}

const isBrowser = typeof document !== 'undefined' && typeof location !== 'undefined';

/** Options of `defaultEnvironment`. */
export interface EnvironmentOptions {
  /**
   * Node only: the folder where modules fetched over the network are kept, keyed by URL and digest, so a
   * re-run works offline; `false` keeps nothing. Default: `$XDG_CACHE_HOME/plugboard`, else `~/.cache/plugboard`.
   */
  cacheFolder?: string | false;
  /**
   * Node only: how long a module a plugin imports over http(s) may take to arrive before its fetch is given up
   * with FETCH_TIMEOUT (default 10,000 ms, the host's `importTimeoutMs`).
   */
  dependencyTimeoutMs?: number;
}

/** The environment of the current runtime: a page (import maps, fetch) or Node/Worker (fetch, or the file system for file: URLs). */
export function defaultEnvironment(options: EnvironmentOptions = {}): LoaderEnvironment {
  return isBrowser ? browserEnvironment() : scriptEnvironment(options);
}

function browserEnvironment(): LoaderEnvironment {
  const mapped = new Map<string, string>();
  const refusedMappings = new Map<string, PolicyRefusal>();
  const importByUrl = async (url: string, verified?: VerifiedModule) => {
    // The digest goes into the import map, so the browser refuses other bytes at import time too.
    if (verified?.integrity) installImportMap({}, { [url]: verified.integrity });
    const violations: SecurityPolicyViolationEvent[] = [];
    const listen = (event: SecurityPolicyViolationEvent) => void violations.push(event);
    document.addEventListener('securitypolicyviolation', listen);
    try {
      return await import(/* @vite-ignore */ url);
    } catch (thrown) {
      // The browser reports a refusal by policy only as a failed fetch; its violation event (queued as a task) says which policy.
      await new Promise((resolve) => platform.setTimeout(resolve, 0));
      const refusal = violations.find((event) => event.blockedURI !== '' && url.startsWith(event.blockedURI));
      if (!refusal) throw thrown;
      throw new PlugboardError({
        code: 'POLICY_REFUSED',
        stage: 'import',
        url,
        problem: `the page's Content-Security-Policy refused to run the module: ${refusal.effectiveDirective} of "${refusal.originalPolicy}" does not allow ${refusal.blockedURI}`,
        hint: `Add the plugin's origin to ${refusal.effectiveDirective} if you trust it.`,
        cause: thrown,
      });
    } finally {
      document.removeEventListener('securitypolicyviolation', listen);
    }
  };
  // Once a data: import has failed where the URL import worked (a Content-Security-Policy without data:
  // in script-src), every later module is imported by URL.
  let dataRefused = false;
  // Read when the host puts its import map in force (scoped maps a page adds later are not seen).
  let scoped = false;
  const importFromData = async (url: string, verified: VerifiedModule) => {
    const moduleUrl = `data:text/javascript;charset=utf-8,${encodeURIComponent(relocateSource(verified.source, url, verified.shape.urlDependent))}`;
    try {
      return await import(/* @vite-ignore */ moduleUrl);
    } catch (thrown) {
      if (!(thrown instanceof TypeError) || !/dynamically imported module|module script failed/i.test(thrown.message)) throw thrown;
      const namespace = await importByUrl(url, verified);
      dataRefused = true;
      return namespace;
    }
  };
  return {
    selfOrigin: location.origin,
    baseUrl: document.baseURI,
    // Pinned modules are kept in the Cache API and read from there when no server answers.
    readBytes: (url, options = {}) => readThroughPageCache(url, options.integrity, () => fetchBytes(url, fetchOptions(options))),
    keepVerified: keepInPageCache,
    forgetKept: forgetInPageCache,
    async provideDependencies(modules) {
      const fresh = modules.filter((module) => providedInPage.get(module.url) !== module.integrity);
      if (fresh.length === 0) return;
      for (const module of fresh) providedInPage.set(module.url, module.integrity);
      if (!scoped && (await blobModulesAllowed())) {
        // Each URL is mapped to a blob: holding its checked bytes, relocated so its own relative imports and
        // import.meta still name the original URL: the browser never fetches them again, online or not.
        const map = Object.fromEntries(
          fresh.map((module) => [
            module.url,
            URL.createObjectURL(new Blob([relocateSource(module.source, module.url, withPinnedSpecifiers(module.shape).urlDependent)], { type: 'text/javascript' })),
          ]),
        );
        installImportMap(map, {});
      } else {
        // The page refuses blob: modules: the browser fetches them by URL and checks each against its pin.
        installImportMap({}, Object.fromEntries(fresh.map((module) => [module.url, module.integrity])));
      }
    },
    // The verified bytes run as an inline module script when the page allows it and every export has a
    // local name; from a data: URL otherwise; by URL when neither is allowed or the page's import map has
    // scopes (keyed by the module's URL, they would not apply to a module running from elsewhere).
    async importModule(url, checked) {
      if (!checked || scoped) return importByUrl(url, checked);
      const verified = { ...checked, shape: withPinnedSpecifiers(checked.shape) };
      if (canImportInline(verified.shape) && (await inlineModulesAllowed())) {
        try {
          return await importInline(verified.source, verified.responseUrl ?? url, verified.shape);
        } catch (thrown) {
          // A dependency could not be fetched and nothing ran: the URL import reports it in the browser's words.
          if (thrown instanceof InlineDependencyError) return importByUrl(url, verified);
          throw thrown;
        }
      }
      if (dataRefused || verified.source.length > DATA_URL_LIMIT) return importByUrl(url, verified);
      return importFromData(verified.responseUrl ?? url, verified);
    },
    prepareImport() {
      void inlineModulesAllowed();
    },
    async mapImports(imports) {
      const { conflicts, pageHasScopes } = installImportMap(imports, {});
      scoped = pageHasScopes;
      // Nothing the new map adds resolves: a policy that refuses inline scripts refused the map too. That is no
      // conflict to report now; a plugin that needs one of these specifiers is told, naming the policy.
      const unresolved = conflicts.filter((conflict) => conflict.reason === 'already-resolved' && conflict.actual === null);
      let kept = conflicts;
      if (unresolved.length > 0 && !(await inlineModulesAllowed())) {
        const refusal = inlineRefusal();
        if (refusal) {
          for (const { specifier } of unresolved) refusedMappings.set(specifier, refusal);
          kept = conflicts.filter((conflict) => !unresolved.includes(conflict));
        }
      }
      for (const [specifier, url] of Object.entries(imports)) if (!refusedMappings.has(specifier)) mapped.set(specifier, url);
      return kept;
    },
    refusedMapping(specifier) {
      return refusedMappings.get(specifier);
    },
    resolves(specifier) {
      if (refusedMappings.has(specifier)) return false;
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

/**
 * The pinned dependencies this page was given, URL → pin: an import map entry cannot be changed once added, so a
 * URL is mapped once per page (an upgrade's new bytes for the same URL run after a reload).
 */
const providedInPage = new Map<string, string>();

/**
 * The shape with every bare import that the page's import map resolves to a provided (pinned) module marked as a
 * place to relocate, so the module imports that URL — which the page maps to the checked bytes — and not the
 * import map's target directly, which an import map cannot map a second time.
 */
function withPinnedSpecifiers(shape: ModuleShape): ModuleShape {
  const places: UrlDependentPlace[] = [];
  for (const { specifier, start, end } of shape.imports) {
    if (!isBareSpecifier(specifier)) continue;
    let target: string;
    try {
      target = import.meta.resolve(specifier);
    } catch {
      continue;
    }
    if (providedInPage.has(target)) places.push({ kind: 'specifier', start, end, specifier: target });
  }
  if (places.length === 0) return shape;
  return { ...shape, urlDependent: [...shape.urlDependent, ...places].sort((a, b) => a.start - b.start) };
}

let blobAllowed: Promise<boolean> | undefined;
/** Whether the page lets module scripts run from blob: URLs (a Content-Security-Policy may refuse them); found once per page. */
function blobModulesAllowed(): Promise<boolean> {
  blobAllowed ??= (async () => {
    const url = URL.createObjectURL(new Blob(['export const probe = 1;\n'], { type: 'text/javascript' }));
    try {
      return (await import(/* @vite-ignore */ url)).probe === 1;
    } catch {
      return false;
    } finally {
      URL.revokeObjectURL(url);
    }
  })();
  return blobAllowed;
}

/** Larger sources are imported by URL: Chromium refuses URLs over 2 MB, and percent-encoding can triple the length. */
const DATA_URL_LIMIT = 512 * 1024;

const DEPENDENCY_TIMEOUT_MS = 10_000;

/** Node and Workers: no import maps, so bare specifiers resolve through the platform (node_modules in Node). */
function scriptEnvironment(options: EnvironmentOptions): LoaderEnvironment {
  const mapped = new Set<string>();
  const cacheFolder = options.cacheFolder === undefined ? defaultCacheFolder() : options.cacheFolder || undefined;
  // Node's loader refuses http(s): modules; a Worker imports them itself.
  const disk = isNode() && cacheFolder ? diskModuleCache(cacheFolder) : undefined;
  const network = isNode() ? networkModules(disk, options.dependencyTimeoutMs ?? DEPENDENCY_TIMEOUT_MS) : undefined;
  /** Network modules that matched their pin, by URL and pin: what a pinned read answers before asking the network. */
  const verifiedInMemory = new Map<string, Uint8Array>();
  return {
    selfOrigin: 'file://',
    baseUrl: scriptBaseUrl(),
    // Bytes that matched their pin and are not on disk yet (a bundle's) are kept, so they load with the server down;
    // in memory too, for a host without a disk cache.
    async keepVerified(url, bytes, integrity) {
      if (isNetworkUrl(url)) verifiedInMemory.set(`${url}\n${integrity}`, bytes);
      if (!disk || !isNetworkUrl(url) || (await disk.read(url, integrity))) return;
      try {
        await disk.write(url, bytes);
      } catch {
        // A cache that cannot be written only costs the offline copy.
      }
    },
    // The disk cache is left as it is: it is a download cache shared by every Plugboard process of the user (the
    // command line's runs too), keyed by digest so it never answers for other bytes, not something one host's install owns.
    async forgetKept(urls) {
      for (const key of verifiedInMemory.keys()) if (urls.includes(key.slice(0, key.indexOf('\n')))) verifiedInMemory.delete(key);
    },
    async provideDependencies(modules) {
      for (const module of modules) if (network && isNetworkUrl(module.url)) network.provide(module.url, module.source);
    },
    async readBytes(url, options = {}) {
      const kept = options.integrity === undefined ? undefined : verifiedInMemory.get(`${url}\n${options.integrity}`);
      if (kept) return kept;
      if (network && !url.startsWith('file:')) return network.readBytes(url, options);
      if (!url.startsWith('file:')) return fetchBytes(url, fetchOptions(options));
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
    async importModule(url, verified) {
      if (network && isNetworkUrl(url)) return network.importModule(verified?.responseUrl ?? url, verified?.source);
      if (isNode()) await putInForceFor(url);
      return import(/* @vite-ignore */ url);
    },
    async mapImports(imports) {
      for (const target of Object.values(imports)) {
        if (isNetworkUrl(target)) network?.trustOrigin(new URL(target).origin);
      }
      if (!isNode()) {
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

function fetchOptions({ signal, allowedOrigins, onRedirect }: ReadOptions): FetchOptions {
  return { ...(signal ? { signal } : {}), ...(allowedOrigins ? { allowedOrigins } : {}), ...(onRedirect ? { onRedirect } : {}) };
}

const isNode = () => typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

function scriptBaseUrl(): string {
  const workerLocation = (globalThis as { location?: { href: string } }).location;
  if (workerLocation) return workerLocation.href;
  const cwd = (globalThis as { process?: { cwd(): string } }).process?.cwd() ?? '/';
  return `file://${cwd.split('/').map(encodeURIComponent).join('/')}/`;
}
