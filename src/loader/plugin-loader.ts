import { validatePlugin } from '../adapters/index.ts';
import { PlugboardError, messageOf, type LoadStage } from '../errors/index.ts';
import { checkHostRange, type EntryPoint } from '../manifest/index.ts';
import type { LoaderEnvironment, VerifiedDependency, VerifiedModule } from './environment.ts';
import { pinDependencies } from './pin-dependencies.ts';
import { loadedPlugin, type LoadedPlugin } from './loaded-plugin.ts';
import { isBareSpecifier, lexModule, startLexer, type ModuleShape } from './lex-module.ts';
import { locateSyntaxError } from './locate-syntax-error.ts';
import { originOf } from './origin-of.ts';
import { platform } from './platform.ts';
import { toBase64, verifyImportedModule, verifyIntegrity } from './verify-integrity.ts';

export interface PluginLoaderOptions {
  environment: LoaderEnvironment;
  /** Origins plugins may come from (already resolved: `'self'` replaced by the real origin). */
  allowedOrigins: ReadonlySet<string>;
  /**
   * A load that has not settled after this many milliseconds — fetching, preflight and import together — fails
   * with stage `timeout`.
   */
  importTimeoutMs: number;
}

/** Options of one load. */
export interface LoadOptions {
  /** The api the plugin must declare. */
  requireApi?: string;
  /** Stops waiting for this load: it rejects with LOAD_ABORTED at once (a load shared with other callers goes on for them). */
  signal?: AbortSignal;
}

/** Where a load is, so a timeout or an abort can say it. */
interface Progress {
  stage: LoadStage;
}

/**
 * Takes an entry point through fetch → integrity → lex → import → validate. One record per URL: the
 * bytes, the lexed shape and the module namespace are each fetched or computed once and shared by every
 * entry point of that module and by concurrent calls. Failures are not cached, so a retry tries again.
 */
export class PluginLoader {
  #options: PluginLoaderOptions;
  #sources = new Map<string, Promise<{ bytes: Uint8Array; source: string; shape: ModuleShape }>>();
  #namespaces = new Map<string, Promise<Record<string, unknown>>>();
  #digests = new Map<string, Promise<string>>();
  /** Pinned dependencies read and checked, keyed by URL and pin: a new pin reads the module again. */
  #dependencies = new Map<string, Promise<VerifiedDependency>>();
  /** The fetch of each URL still being read, so a load that times out can abort it. */
  #fetches = new Map<string, AbortController>();

  constructor(options: PluginLoaderOptions) {
    this.#options = options;
  }

  /**
   * The `sha384-<base64>` digest of the module bytes the preflight fetched for `url` (the bytes that ran),
   * or undefined when the URL was never fetched (or its fetch failed).
   */
  async digestOf(url: string): Promise<string | undefined> {
    const pending = this.#sources.get(url);
    if (!pending) return undefined;
    let digest = this.#digests.get(url);
    if (!digest) {
      digest = pending.then(async ({ bytes }) => {
        const hash = new Uint8Array(await platform.digest!('SHA-384', bytes as BufferSource));
        return `sha384-${toBase64(hash)}`;
      });
      this.#digests.set(url, digest);
    }
    return digest.catch(() => undefined);
  }

  /**
   * Loads and validates one entry point; throws a PlugboardError whose `stage` says where it failed. It always
   * settles: past `importTimeoutMs` it fails with stage `timeout` (a fetch still running is aborted), and when
   * `options.signal` aborts it fails with LOAD_ABORTED at the stage it had reached.
   */
  async load(entry: EntryPoint, options: LoadOptions = {}): Promise<unknown> {
    const progress: Progress = { stage: 'origin' };
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const { signal } = options;
    const cut = new Promise<never>((_, reject) => {
      timer = platform.setTimeout(() => reject(this.#timedOut(entry, progress)), this.#options.importTimeoutMs);
      if (signal) {
        onAbort = () => reject(aborted(entry, progress, signal));
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }
    });
    try {
      return await Promise.race([this.#load(entry, options, progress), cut]);
    } catch (thrown) {
      throw stampEntry(thrown, entry);
    } finally {
      platform.clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Loads and validates one entry point and hands back the record a registry accepts without checking again. */
  async loadPlugin(entry: EntryPoint, options: LoadOptions = {}): Promise<LoadedPlugin> {
    return loadedPlugin(entry, await this.load(entry, options));
  }

  /**
   * The SHA-384 digest (`sha384-<base64>`) of a module's bytes as the preflight reads them: fetched once and
   * shared with the next load of the URL, so a digest recorded now (trust on first use) is of the bytes that run.
   * Throws the fetch failure when the bytes cannot be read.
   */
  async digest(url: string): Promise<string> {
    await this.#preflightSource(url, undefined);
    const digest = await this.digestOf(url);
    if (digest === undefined) throw new Error(`the bytes of ${url} were read but could not be digested`);
    return digest;
  }

  /**
   * A module's digest and the specifiers it imports (statically, or by `import()` of a string), read as the
   * preflight reads a plugin module: once per URL, shared with later loads. Throws the fetch or lex failure.
   */
  async inspect(url: string): Promise<{ sha384: string; imports: readonly { specifier: string; dynamic: boolean }[] }> {
    const { shape } = await this.#preflightSource(url, undefined);
    return { sha384: await this.digest(url), imports: shape.imports };
  }

  /**
   * Pins every module the module at `url` imports (see `pinDependencies`): URL → SHA-384 of the bytes read now.
   * `imports` is the plugin's own import map. Throws the read or lex failure of a module, naming its importer.
   */
  async pinDependencies(url: string, imports: Readonly<Record<string, string>>): Promise<Record<string, string>> {
    const { shape } = await this.#preflightSource(url, undefined);
    const environment = this.#options.environment;
    return pinDependencies({
      url,
      shape,
      imports,
      read: (dependency) => environment.readBytes(dependency),
      ...(environment.toSource ? { toSource: (bytes: Uint8Array, at: string) => environment.toSource!(bytes, at) } : {}),
    });
  }

  /** Forgets the bytes read and the module imported from `url`, so the next load fetches and imports it afresh. */
  forget(url: string): void {
    this.#sources.delete(url);
    this.#digests.delete(url);
    this.#namespaces.delete(url);
  }

  async #load(entry: EntryPoint, options: LoadOptions, progress: Progress): Promise<unknown> {
    this.#checkOrigin(entry);
    checkHostRange(entry);
    // What the first module will need is set going while it is fetched.
    void startLexer();
    this.#options.environment.prepareImport?.();
    progress.stage = 'fetch';
    const { bytes, source, shape, responseUrl } = await this.#preflightSource(entry.url, entry.integrity);
    progress.stage = 'integrity';
    if (entry.integrity) {
      await verifyIntegrity(bytes, entry.integrity, entry.url);
      // Bytes that matched their pin are what an offline load may run.
      void this.#options.environment.keepVerified?.(entry.url, bytes, entry.integrity);
    }
    if (entry.modules && Object.keys(entry.modules).length > 0) {
      const dependencies = await Promise.all(Object.entries(entry.modules).map(([url, pin]) => this.#checkDependency(entry, url, pin)));
      await this.#options.environment.provideDependencies?.(dependencies);
    }
    progress.stage = 'lex';
    this.#checkShape(entry, shape);
    progress.stage = 'import';
    const namespace = await this.#import(entry, { source, shape, ...(entry.integrity ? { integrity: entry.integrity } : {}), ...(responseUrl ? { responseUrl } : {}) });
    progress.stage = 'validate';
    let value: unknown;
    let problems: PlugboardError[];
    try {
      value = namespace[entry.export];
      problems = validatePlugin(
        value,
        { group: entry.group, name: entry.name, url: entry.url, exportName: entry.export },
        options.requireApi !== undefined ? { requireApi: options.requireApi } : {},
      );
    } catch (thrown) {
      // A getter or Proxy trap of the plugin threw while it was read: the plugin's fault, found while checking it.
      throw new PlugboardError({
        code: 'INVALID_PLUGIN',
        stage: 'validate',
        group: entry.group,
        plugin: entry.name,
        url: entry.url,
        problem: `export "${entry.export}": reading it to check its shape threw: ${describeThrown(thrown)}`,
        hint: 'A getter or Proxy trap on the exported plugin threw: export a plain function or object, and do any work inside its methods.',
        cause: thrown,
      });
    }
    if (entry.api !== undefined && entry.api !== 'v1') {
      problems.unshift(
        new PlugboardError({
          code: 'UNSUPPORTED_API',
          stage: 'validate',
          group: entry.group,
          plugin: entry.name,
          url: entry.url,
          field: 'api',
          problem: `the manifest declares api "${entry.api}"; this host speaks "v1"`,
          hint: 'Use a version of the plugin written for API v1, or a host that speaks its API.',
        }),
      );
    }
    const [first] = problems;
    if (!first) return value;
    if (problems.length === 1) throw first;
    // Every problem at once, each with its own field and hint, so one fix-and-retry round is enough.
    throw new PlugboardError({ ...first, stage: 'validate', problems });
  }

  /**
   * The failure of a load that ran out of time. What it was waiting for is given up, so a retry starts afresh:
   * a fetch still running is aborted (a server that sends headers and then never ends the body), an import
   * still pending is forgotten.
   */
  #timedOut(entry: EntryPoint, progress: Progress): PlugboardError {
    const fetching = progress.stage === 'fetch' || progress.stage === 'origin';
    const error = new PlugboardError({
      code: fetching ? 'FETCH_TIMEOUT' : 'IMPORT_TIMEOUT',
      stage: 'timeout',
      group: entry.group,
      plugin: entry.name,
      url: entry.url,
      problem: `the module did not finish loading within ${this.#options.importTimeoutMs} ms (it was at the ${progress.stage} stage${
        fetching ? ': the server had not finished sending it' : ''
      })`,
      hint: fetching
        ? 'The server is very slow or never ends the response: check the server, or raise importTimeoutMs.'
        : 'A top-level await that never settles, or a very slow dependency: fix the module, or raise importTimeoutMs.',
    });
    if (fetching) {
      this.#fetches.get(entry.url)?.abort(error);
      this.#sources.delete(entry.url);
    } else if (progress.stage === 'import') {
      this.#namespaces.delete(entry.url);
    }
    return error;
  }

  /**
   * Reads a module the entry imports and checks it against its pin: INTEGRITY_MISMATCH naming the module's URL
   * when the source serves other bytes now. Bytes that match are kept for offline loads.
   */
  #checkDependency(entry: EntryPoint, url: string, pin: string): Promise<VerifiedDependency> {
    const key = `${url}\n${pin}`;
    let pending = this.#dependencies.get(key);
    if (!pending) {
      const environment = this.#options.environment;
      pending = (async () => {
        const origin = originOf(url);
        if (!this.#options.allowedOrigins.has(origin)) {
          throw new PlugboardError({
            code: 'ORIGIN_NOT_ALLOWED',
            stage: 'origin',
            url,
            problem: `the plugin imports ${url}, whose origin ${origin} is not in allowedOrigins (${[...this.#options.allowedOrigins].join(', ')})`,
            hint: `Add "${origin}" to createHost({ allowedOrigins }) if you trust it.`,
          });
        }
        const bytes = await environment.readBytes(url, { integrity: pin, allowedOrigins: this.#options.allowedOrigins });
        await verifyImportedModule(bytes, pin, url);
        void environment.keepVerified?.(url, bytes, pin);
        const source = environment.toSource ? await environment.toSource(bytes, url) : platform.decodeUtf8(bytes);
        return { url, integrity: pin, source, shape: await lexModule(source, url) };
      })();
      this.#dependencies.set(key, pending);
      pending.catch(() => this.#dependencies.delete(key));
    }
    return pending.catch((thrown: unknown) => {
      throw stampEntry(thrown, entry);
    });
  }

  #checkOrigin(entry: EntryPoint): void {
    const origin = originOf(entry.url);
    if (this.#options.allowedOrigins.has(origin)) return;
    throw new PlugboardError({
      code: 'ORIGIN_NOT_ALLOWED',
      stage: 'origin',
      group: entry.group,
      plugin: entry.name,
      url: entry.url,
      problem: `the plugin's origin ${origin} is not in allowedOrigins (${[...this.#options.allowedOrigins].join(', ')})`,
      hint: `Add "${origin}" to createHost({ allowedOrigins }) if you trust it.`,
    });
  }

  #preflightSource(url: string, integrity: string | undefined): Promise<{ bytes: Uint8Array; source: string; shape: ModuleShape; responseUrl?: string }> {
    let pending = this.#sources.get(url);
    if (!pending) {
      const environment = this.#options.environment;
      const controller = new AbortController();
      this.#fetches.set(url, controller);
      // The fetch has a deadline of its own, so it ends even when every load waiting on it was aborted by its caller.
      const deadline = platform.setTimeout(() => {
        controller.abort(
          new PlugboardError({
            code: 'FETCH_TIMEOUT',
            stage: 'timeout',
            url,
            problem: `the module did not finish loading within ${this.#options.importTimeoutMs} ms (it was at the fetch stage: the server had not finished sending it)`,
            hint: 'The server is very slow or never ends the response: check the server, or raise importTimeoutMs.',
          }),
        );
      }, this.#options.importTimeoutMs);
      pending = (async () => {
        let bytes: Uint8Array;
        let responseUrl: string | undefined;
        try {
          bytes = await environment.readBytes(url, {
            signal: controller.signal,
            allowedOrigins: this.#options.allowedOrigins,
            onRedirect: (redirectedTo) => (responseUrl = redirectedTo),
            ...(integrity ? { integrity } : {}),
          });
        } finally {
          platform.clearTimeout(deadline);
          if (this.#fetches.get(url) === controller) this.#fetches.delete(url);
        }
        const source = environment.toSource ? await environment.toSource(bytes, url) : platform.decodeUtf8(bytes);
        return { bytes, source, shape: await lexModule(source, url), ...(responseUrl ? { responseUrl } : {}) };
      })();
      this.#sources.set(url, pending);
      pending.catch(() => this.#sources.delete(url));
    }
    return pending;
  }

  #checkShape(entry: EntryPoint, shape: ModuleShape): void {
    const fields = { group: entry.group, plugin: entry.name, url: entry.url, stage: 'lex' as const };
    if (!shape.exports.has(entry.export) && !shape.hasStarExport) {
      const exported = [...shape.exports].sort();
      throw new PlugboardError({
        ...fields,
        code: 'MISSING_EXPORT',
        problem: `the module has no export named "${entry.export}"`,
        hint: exported.length
          ? `It exports: ${exported.join(', ')}. Name one of them after # in the manifest entry.`
          : 'The module exports nothing; export the plugin and name it after # in the manifest entry.',
      });
    }
    for (const { specifier, line, dynamic } of shape.imports) {
      if (dynamic || !isBareSpecifier(specifier) || this.#options.environment.resolves(specifier)) continue;
      const refusal = this.#options.environment.refusedMapping?.(specifier);
      if (refusal) {
        throw new PlugboardError({
          ...fields,
          code: 'POLICY_REFUSED',
          field: `line ${line}`,
          problem: `the module imports "${specifier}", which the host's import map maps, but the page's Content-Security-Policy refused that map: ${refusal.directive} of "${refusal.policy}" allows no inline script`,
          hint: "Give the page's scripts a nonce (script-src 'nonce-…' 'strict-dynamic'): the host gives its import map the page's nonce. Or bundle the import into the plugin.",
        });
      }
      throw new PlugboardError({
        ...fields,
        code: 'UNMAPPED_IMPORT',
        field: `line ${line}`,
        problem: `the module imports "${specifier}", which no import map maps`,
        hint: `Add it to the manifest's "imports", e.g. "imports": { "${specifier}": "https://…/${specifier}.js" }, or bundle it into the plugin.`,
      });
    }
  }

  async #import(entry: EntryPoint, verified: VerifiedModule): Promise<Record<string, unknown>> {
    let pending = this.#namespaces.get(entry.url);
    if (!pending) {
      pending = this.#options.environment.importModule(entry.url, verified);
      this.#namespaces.set(entry.url, pending);
      pending.catch(() => this.#namespaces.delete(entry.url));
    }
    try {
      return await pending;
    } catch (thrown) {
      if (thrown instanceof PlugboardError) throw thrown;
      // The engine refused what the lexer took: say where, which the engine's own error does not always (Node's never).
      const place = thrown instanceof Error && thrown.name === 'SyntaxError' ? await locateSyntaxError(verified.source) : undefined;
      throw new PlugboardError({
        code: 'IMPORT_FAILED',
        stage: 'import',
        group: entry.group,
        plugin: entry.name,
        url: entry.url,
        ...(place ? { field: `line ${place.line}, column ${place.column}` } : {}),
        problem: `importing the module failed: ${messageOf(thrown)}`,
        hint: place
          ? 'The engine refused the syntax at the place shown (the lexer does not catch every error): fix the module there.'
          : importFailureHint(messageOf(thrown)),
        cause: thrown,
      });
    }
  }
}

/** What was thrown, in words, even when reading its message throws too (a hostile Proxy). */
function describeThrown(thrown: unknown): string {
  try {
    return messageOf(thrown);
  } catch {
    return 'a value that cannot be read';
  }
}

/** The failure of a load whose caller aborted it. */
function aborted(entry: EntryPoint, progress: Progress, signal: AbortSignal): PlugboardError {
  const reason = signal.reason instanceof Error && signal.reason.name !== 'AbortError' ? `: ${messageOf(signal.reason)}` : '';
  return new PlugboardError({
    code: 'LOAD_ABORTED',
    stage: progress.stage,
    group: entry.group,
    plugin: entry.name,
    url: entry.url,
    problem: `the load was aborted by its caller at the ${progress.stage} stage${reason}`,
    hint: 'The AbortSignal given to load() was aborted; load again to retry.',
    cause: signal.reason,
  });
}

function importFailureHint(message: string): string {
  if (/ERR_UNSUPPORTED_ESM_URL_SCHEME|Only URLs with a scheme in/i.test(message)) {
    return "This runtime's module loader cannot import URLs of that scheme: load the plugin from http(s) or a file, or through a host that reads it (Node 20.6 or later).";
  }
  if (/resolve module specifier|Cannot find (package|module)/i.test(message)) {
    return "A module it imports uses a bare specifier no import map maps: add it to the manifest's imports.";
  }
  if (/Failed to fetch dynamically imported module|error loading dynamically imported module/i.test(message)) {
    return 'The module or one it imports could not be fetched (missing file, CORS header or MIME type): check the files it imports.';
  }
  return 'The module threw while it was evaluated; its own error is quoted above.';
}


/** Stamps a failure with the entry point it happened to (a fetch or lex failure is shared by every entry of a URL). */
function stampEntry(thrown: unknown, entry: EntryPoint): unknown {
  if (!(thrown instanceof PlugboardError) || (thrown.group !== undefined && thrown.plugin !== undefined)) return thrown;
  return new PlugboardError({
    code: thrown.code,
    problem: thrown.problem,
    group: entry.group,
    plugin: entry.name,
    url: thrown.url ?? entry.url,
    ...(thrown.hint !== undefined ? { hint: thrown.hint } : {}),
    ...(thrown.field !== undefined ? { field: thrown.field } : {}),
    ...(thrown.stage !== undefined ? { stage: thrown.stage } : {}),
    ...(thrown.cause !== undefined ? { cause: thrown.cause } : {}),
    ...(thrown.problems.length > 1 ? { problems: thrown.problems.map((problem) => ({ group: entry.group, plugin: entry.name, url: entry.url, ...problem })) } : {}),
  });
}
