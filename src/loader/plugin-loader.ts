import { validatePlugin } from '../adapters/index.ts';
import { PlugboardError, messageOf } from '../errors/index.ts';
import type { EntryPoint } from '../manifest/index.ts';
import type { LoaderEnvironment, VerifiedModule } from './environment.ts';
import { loadedPlugin, type LoadedPlugin } from './loaded-plugin.ts';
import { isBareSpecifier, lexModule, startLexer, type ModuleShape } from './lex-module.ts';
import { toBase64, verifyIntegrity } from './verify-integrity.ts';

export interface PluginLoaderOptions {
  environment: LoaderEnvironment;
  /** Origins plugins may come from (already resolved: `'self'` replaced by the real origin). */
  allowedOrigins: ReadonlySet<string>;
  /** A module that has not settled after this many milliseconds fails with stage `timeout`. */
  importTimeoutMs: number;
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
        const hash = new Uint8Array(await crypto.subtle.digest('SHA-384', bytes as BufferSource));
        return `sha384-${toBase64(hash)}`;
      });
      this.#digests.set(url, digest);
    }
    return digest.catch(() => undefined);
  }

  /** Loads and validates one entry point; throws a PlugboardError whose `stage` says where it failed. */
  async load(entry: EntryPoint, options: { requireApi?: string } = {}): Promise<unknown> {
    try {
      return await this.#load(entry, options);
    } catch (thrown) {
      throw stampEntry(thrown, entry);
    }
  }

  /** Loads and validates one entry point and hands back the record a registry accepts without checking again. */
  async loadPlugin(entry: EntryPoint, options: { requireApi?: string } = {}): Promise<LoadedPlugin> {
    return loadedPlugin(entry, await this.load(entry, options));
  }

  async #load(entry: EntryPoint, options: { requireApi?: string }): Promise<unknown> {
    this.#checkOrigin(entry);
    // What the first module will need is set going while it is fetched.
    void startLexer();
    this.#options.environment.prepareImport?.();
    const { bytes, source, shape } = await this.#preflightSource(entry.url, entry.integrity);
    if (entry.integrity) await verifyIntegrity(bytes, entry.integrity, entry.url);
    this.#checkShape(entry, shape);
    const namespace = await this.#import(entry, { source, shape, ...(entry.integrity ? { integrity: entry.integrity } : {}) });
    const value = namespace[entry.export];
    const problems = validatePlugin(
      value,
      { group: entry.group, name: entry.name, url: entry.url, exportName: entry.export },
      options.requireApi !== undefined ? { requireApi: options.requireApi } : {},
    );
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

  #preflightSource(url: string, integrity: string | undefined): Promise<{ bytes: Uint8Array; source: string; shape: ModuleShape }> {
    let pending = this.#sources.get(url);
    if (!pending) {
      const environment = this.#options.environment;
      pending = (async () => {
        const bytes = await environment.readBytes(url, integrity);
        const source = environment.toSource ? await environment.toSource(bytes, url) : new TextDecoder().decode(bytes);
        return { bytes, source, shape: await lexModule(source, url) };
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
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.#namespaces.delete(entry.url);
        reject(
          new PlugboardError({
            code: 'IMPORT_TIMEOUT',
            stage: 'timeout',
            group: entry.group,
            plugin: entry.name,
            url: entry.url,
            problem: `the module did not finish loading within ${this.#options.importTimeoutMs} ms`,
            hint: 'A top-level await that never settles, or a very slow dependency: fix the module, or raise importTimeoutMs.',
          }),
        );
      }, this.#options.importTimeoutMs);
    });
    try {
      return await Promise.race([pending, timeout]);
    } catch (thrown) {
      if (thrown instanceof PlugboardError) throw thrown;
      throw new PlugboardError({
        code: 'IMPORT_FAILED',
        stage: 'import',
        group: entry.group,
        plugin: entry.name,
        url: entry.url,
        problem: `importing the module failed: ${messageOf(thrown)}`,
        hint: importFailureHint(messageOf(thrown)),
        cause: thrown,
      });
    } finally {
      clearTimeout(timer);
    }
  }
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

/** The origin of a URL as allowedOrigins spells it (`file://` for files). */
export function originOf(url: string): string {
  const parsed = new URL(url);
  return parsed.protocol === 'file:' ? 'file://' : parsed.origin;
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
