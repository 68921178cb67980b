import type { ModuleShape } from './lex-module.ts';
import { pageNonce } from './page-nonce.ts';
import { relocateSource } from './relocate-source.ts';

/**
 * Runs a verified module's source as an inline `<script type="module">` and resolves with its exports.
 *
 * Why: the preflight has already fetched the bytes; importing them by URL would send every module through the
 * browser's network stack a second time, and a `data:` or `blob:` import costs about as much again. An
 * inline module script is compiled straight from the text. The module still runs as a real ES module — under
 * the page's import map, strict, with top-level await — and the code that runs is the code that was checked.
 *
 * How: the text gets a line-preserving prefix and a suffix. The prefix tells the page-wide registry that
 * evaluation began; the suffix hands over the exports as live getters once evaluation (top-level await
 * included) has finished. Failures come back as the browser reports them: an `error` event on the window
 * for an exception (attributed by the `sourceURL`, or to the module being evaluated at that moment; a
 * syntax error only the engine finds, by elimination), an `error` event on the element when a dependency
 * cannot be fetched.
 */
export function importInline(source: string, url: string, shape: ModuleShape): Promise<Record<string, unknown>> {
  return registry().import(source, url, shape);
}

/**
 * Whether `importInline` can take this module: every export must have a local name the suffix can read
 * (`export default <expression>` and re-exports from other modules have none).
 */
export function canImportInline(shape: ModuleShape): boolean {
  return !shape.hasStarExport && shape.exports.size === shape.localNames.size;
}

let allowed: Promise<boolean> | undefined;
/** The policy that refused the probe, as the browser reported it. */
let refusing: { policy: string; directive: string } | undefined;

/**
 * The Content-Security-Policy that refused inline scripts, once `inlineModulesAllowed` found it did (for
 * errors that name it), or undefined.
 */
export function inlineRefusal(): { policy: string; directive: string } | undefined {
  return refusing;
}

/**
 * Whether the page lets inline module scripts run: a Content-Security-Policy without 'unsafe-inline' in
 * script-src, or Trusted Types, refuses them. Found once per page by running an empty one.
 */
export function inlineModulesAllowed(): Promise<boolean> {
  allowed ??= new Promise<boolean>((resolve) => {
    const refused = (event: SecurityPolicyViolationEvent) => {
      if (event.blockedURI !== 'inline') return;
      refusing = { policy: event.originalPolicy, directive: event.effectiveDirective };
      finish(false);
    };
    const finish = (ok: boolean) => {
      document.removeEventListener('securitypolicyviolation', refused);
      clearTimeout(timer);
      if (!ok) registry().forget(probe);
      resolve(ok);
    };
    document.addEventListener('securitypolicyviolation', refused);
    const timer = setTimeout(() => finish(false), 5000);
    const probe = registry().probe(() => finish(true), () => finish(false));
  });
  return allowed;
}

const REGISTRY = Symbol.for('plugboard.inline-modules');
// What the prefix and suffix call; the registry lives on globalThis under a registered symbol so the
// inline scripts can reach it without a global name.
const REACH = `globalThis[Symbol.for(${JSON.stringify(REGISTRY.description)})]`;

interface Pending {
  url: string;
  script: HTMLScriptElement;
  resolve(namespace: Record<string, unknown>): void;
  reject(reason: unknown): void;
}

/** The page-wide bookkeeping of inline module scripts in flight. */
class InlineModules {
  #pending = new Map<number, Pending>();
  /** The same URL with the same bytes is one module per page, as it would be when imported by URL. */
  #modules = new Map<string, { source: string; namespace: Promise<Record<string, unknown>> }>();
  #nextId = 0;
  /** The module evaluated last and not finished: an exception without a file name is its. */
  #evaluating: number | undefined;
  /** Modules whose evaluation began. */
  #begun = new Set<number>();
  /**
   * Syntax errors the engine found that the lexer did not. The browser reports them when the module would
   * have run, naming the page rather than the module, so each is pinned on a module that never began once
   * no other candidate is left.
   */
  #unclaimedSyntaxErrors: unknown[] = [];

  constructor() {
    // Always on: it only acts on errors it can pin on a pending inline module.
    addEventListener('error', this.#onError, true);
  }

  import(source: string, url: string, shape: ModuleShape): Promise<Record<string, unknown>> {
    const known = this.#modules.get(url);
    if (known?.source === source) return known.namespace;
    const id = this.#nextId++;
    const namespace = new Promise<Record<string, unknown>>((resolve, reject) => {
      const script = document.createElement('script');
      script.type = 'module';
      setNonce(script);
      script.textContent = scriptText(id, source, url, shape);
      script.addEventListener('error', () => this.#settle(id, new InlineDependencyError(url)));
      this.#pending.set(id, { url, script, resolve, reject });
      document.head.append(script);
    });
    this.#modules.set(url, { source, namespace });
    namespace.catch(() => this.#modules.delete(url));
    return namespace;
  }

  /** Runs an empty inline module; `ran` is called when it did. */
  probe(ran: () => void, refused: () => void): number {
    const id = this.#nextId++;
    const script = document.createElement('script');
    script.type = 'module';
    setNonce(script);
    this.#pending.set(id, { url: '', script, resolve: ran, reject: refused });
    try {
      script.textContent = `${REACH}.done(${id}, {});`;
      document.head.append(script);
    } catch {
      this.#pending.delete(id);
      refused(); // Trusted Types refuse the plain-text assignment
    }
    return id;
  }

  /** Forgets a probe the page refused to run. */
  forget(id: number): void {
    this.#pending.get(id)?.script.remove();
    this.#pending.delete(id);
  }

  /** Called by the prefix of module `id`. */
  begin(id: number): void {
    this.#evaluating = id;
    this.#begun.add(id);
    this.#claimSyntaxErrors();
  }

  /** Called by the suffix of module `id` with its exports. */
  done(id: number, namespace: Record<string, unknown>): void {
    this.#settle(id, undefined, namespace);
  }

  #onError = (event: ErrorEvent): void => {
    const id = this.#culprit(event);
    if (id !== undefined) {
      event.preventDefault(); // it is reported to the loader instead, as a rejected import() would be
      this.#settle(id, event.error ?? new Error(event.message));
    } else if (event.error instanceof SyntaxError && event.filename === document.URL && this.#notBegun().length > 0) {
      event.preventDefault();
      // Chromium words it as a failure of the append() that inserted the script; say what it is and where.
      const problem = event.error.message.replace(/^Failed to execute '\w+' on '\w+': /, '');
      this.#unclaimedSyntaxErrors.push(new SyntaxError(`${problem} (line ${event.lineno})`, { cause: event.error }));
      this.#claimSyntaxErrors();
    }
  };

  #notBegun(): number[] {
    return [...this.#pending.keys()].filter((id) => !this.#begun.has(id) && this.#pending.get(id)!.url !== '');
  }

  #claimSyntaxErrors(): void {
    if (this.#unclaimedSyntaxErrors.length === 0) return;
    const candidates = this.#notBegun();
    if (candidates.length > this.#unclaimedSyntaxErrors.length) return;
    for (const id of candidates) this.#settleOne(id, this.#unclaimedSyntaxErrors.shift());
  }

  #culprit(event: ErrorEvent): number | undefined {
    const byName = [...this.#pending].filter(([, pending]) => pending.url === event.filename).map(([id]) => id);
    if (byName.length > 0) return byName.includes(this.#evaluating!) ? this.#evaluating : byName[0];
    if (event.filename === document.URL && this.#evaluating !== undefined && this.#pending.has(this.#evaluating)) return this.#evaluating;
    return undefined;
  }

  #settle(id: number, failure: unknown, namespace?: Record<string, unknown>): void {
    this.#settleOne(id, failure, namespace);
    // A module that settled without beginning (its dependency failed) leaves fewer candidates for a syntax error.
    this.#claimSyntaxErrors();
  }

  #settleOne(id: number, failure: unknown, namespace?: Record<string, unknown>): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    this.#begun.delete(id);
    if (this.#evaluating === id) this.#evaluating = undefined;
    pending.script.remove();
    if (namespace) pending.resolve(namespace);
    else pending.reject(failure);
  }
}

/** A module the inline script imports could not be fetched; the loader retries by URL for the browser's own message. */
export class InlineDependencyError extends Error {
  constructor(readonly url: string) {
    super(`a module imported by ${url} could not be loaded`);
    this.name = 'InlineDependencyError';
  }
}

/** A page whose policy allows its scripts by nonce allows the host's inline modules too. */
function setNonce(script: HTMLScriptElement): void {
  const nonce = pageNonce();
  if (nonce) script.nonce = nonce;
}

function registry(): InlineModules {
  const scope = globalThis as unknown as Record<symbol, InlineModules | undefined>;
  return (scope[REGISTRY] ??= new InlineModules());
}

/**
 * The prefix goes on the first line so every line keeps its number; a hashbang line, valid only at the very
 * start, becomes a comment. The suffix reads each export through a getter, so bindings stay live.
 */
function scriptText(id: number, source: string, url: string, shape: ModuleShape): string {
  const body = source.startsWith('#!') ? `//${source.slice(2)}` : source;
  const getters = [...shape.localNames].map(([exported, local]) => `get ${JSON.stringify(exported)}() { return ${local}; }`);
  const relocated = relocateSource(body, url, shape.urlDependent, `\n;${REACH}.done(${id}, { __proto__: null, ${getters.join(', ')} });`);
  return `${REACH}.begin(${id});${relocated}`;
}
