import { init, parse, type ImportSpecifier } from 'es-module-lexer/minimal';
import { PlugboardError, messageOf } from '../errors/index.ts';
import { locateSyntaxError } from './locate-syntax-error.ts';

/** What static analysis of a module's source tells, before any of its code runs. */
export interface ModuleShape {
  /** Names the module exports directly or re-exports by name. */
  exports: Set<string>;
  /** Exported name → the module's own binding behind it, for exports that have one (not re-exports, not `export default <expression>`). */
  localNames: Map<string, string>;
  /** Whether `export * from …` may add names the lexer cannot see. */
  hasStarExport: boolean;
  /**
   * Static import specifiers (and dynamic imports of string literals), in source order, with their line and
   * source offsets `[start, end)` of the quoted specifier (what `relocateSource` replaces).
   */
  imports: Array<{ specifier: string; line: number; dynamic: boolean; start: number; end: number }>;
  /**
   * Places whose meaning depends on the module's own URL, in source order: relative specifiers (with their
   * quotes), `import()` of a computed specifier, and `import.meta`. Running the source from another URL
   * (see `relocateSource`) rewrites exactly these.
   */
  urlDependent: UrlDependentPlace[];
}

export interface UrlDependentPlace {
  kind: 'specifier' | 'computed-import' | 'import-meta' | 'text';
  /** Source offsets: `[start, end)`. */
  start: number;
  end: number;
  /** The specifier, for kind `specifier`. */
  specifier?: string;
  /** What replaces the range, for kind `text`. */
  text?: string;
}

let lexerStarted: Promise<{ failure?: unknown }> | undefined;

/** Starts compiling the lexer (WebAssembly), so the first module fetched does not wait for it. */
export function startLexer(): Promise<{ failure?: unknown }> {
  lexerStarted ??= init().then(
    () => ({}),
    (failure: unknown) => {
      lexerStarted = undefined; // a later call tries again
      return { failure };
    },
  );
  return lexerStarted;
}

const STATIC = 1;
const DYNAMIC = 2;
const IMPORT_META = 3;
const REEXPORT_STAR = 8;
/** Static forms (plain, source phase, defer phase, `export *`): the specifier's offsets exclude its quotes. */
const STATIC_FORMS = new Set([STATIC, 4, 6, REEXPORT_STAR]);
/** `import()` forms (plain, source phase, defer phase): the offsets span the whole argument expression. */
const DYNAMIC_FORMS = new Set([DYNAMIC, 5, 7]);

/** Lexes an ES module's source. Throws `MODULE_SYNTAX` (stage `lex`) with the line and column of a syntax error. */
export async function lexModule(source: string, url: string): Promise<ModuleShape> {
  const { failure } = await startLexer();
  if (failure) {
    // A page whose Content-Security-Policy refuses to compile WebAssembly cannot preflight; say so instead of blaming the module.
    throw new PlugboardError({
      code: 'LEXER_UNAVAILABLE',
      stage: 'lex',
      url,
      problem: `the module lexer could not start: ${messageOf(failure)}`,
      hint: "The page's Content-Security-Policy must allow WebAssembly for plugin preflight: add 'wasm-unsafe-eval' to script-src.",
      cause: failure,
    });
  }
  let imports: ReturnType<typeof parse>[0];
  let exports: ReturnType<typeof parse>[1];
  try {
    [imports, exports] = parse(source, url);
  } catch (thrown) {
    // The lexer reports an unclosed bracket at offset 0; a parser finds the real place and says what it is.
    const found = await locateSyntaxError(source);
    const { line, column } = found ?? positionOf(source, (thrown as { idx?: number }).idx ?? 0);
    throw new PlugboardError({
      code: 'MODULE_SYNTAX',
      stage: 'lex',
      url,
      field: `line ${line}, column ${column}`,
      problem: `the module is not valid JavaScript module syntax at line ${line}, column ${column}${found ? `: ${found.message}` : ''}`,
      hint: 'Serve the built ES module (plain JavaScript), not TypeScript or a CommonJS/UMD bundle.',
      cause: thrown,
    });
  }
  const shape: ModuleShape = {
    exports: new Set(exports.map((entry) => entry.n)),
    localNames: new Map(exports.flatMap((entry) => (entry.ln ? [[entry.n, entry.ln] as const] : []))),
    hasStarExport: false,
    imports: [],
    urlDependent: [],
  };
  for (const entry of imports) {
    const place = urlDependentPlace(entry);
    if (place) shape.urlDependent.push(place);
    // The minimal lexer reports `export * from` as a static import; its statement text tells them apart.
    if (entry.t === REEXPORT_STAR || (entry.t === STATIC && /^export\s*\*\s*from/.test(source.slice(entry.ss, entry.se)))) {
      shape.hasStarExport = true;
    }
    if (entry.n === undefined || (entry.t !== STATIC && entry.t !== DYNAMIC && entry.t !== REEXPORT_STAR)) continue;
    const quoted = STATIC_FORMS.has(entry.t) ? { start: entry.s - 1, end: entry.e + 1 } : { start: entry.s, end: entry.e };
    shape.imports.push({ specifier: entry.n, line: positionOf(source, entry.s).line, dynamic: entry.t === DYNAMIC, ...quoted });
  }
  return shape;
}

function urlDependentPlace(entry: ImportSpecifier): UrlDependentPlace | undefined {
  if (entry.t === IMPORT_META) return { kind: 'import-meta', start: entry.s, end: entry.e };
  if (DYNAMIC_FORMS.has(entry.t) && entry.n === undefined) return { kind: 'computed-import', start: entry.s, end: entry.e };
  if (entry.n === undefined || !isRelativeSpecifier(entry.n)) return undefined;
  return STATIC_FORMS.has(entry.t)
    ? { kind: 'specifier', start: entry.s - 1, end: entry.e + 1, specifier: entry.n }
    : { kind: 'specifier', start: entry.s, end: entry.e, specifier: entry.n };
}

/** Whether a specifier resolves against the importing module's URL (`./`, `../`, `/`). */
export function isRelativeSpecifier(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/');
}

/** Whether a specifier is bare (resolved only through an import map or a package resolver). */
export function isBareSpecifier(specifier: string): boolean {
  if (isRelativeSpecifier(specifier)) return false;
  return !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(specifier);
}

function positionOf(source: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < index; i = source.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: index - lineStart + 1 };
}
