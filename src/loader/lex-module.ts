import { init, parse } from 'es-module-lexer/minimal';
import { PlugboardError } from '../errors/index.ts';

/** What static analysis of a module's source tells, before any of its code runs. */
export interface ModuleShape {
  /** Names the module exports directly or re-exports by name. */
  exports: Set<string>;
  /** Whether `export * from …` may add names the lexer cannot see. */
  hasStarExport: boolean;
  /** Static import specifiers (and dynamic imports of string literals), in source order, with their line. */
  imports: Array<{ specifier: string; line: number; dynamic: boolean }>;
}

const STATIC = 1;
const DYNAMIC = 2;
const REEXPORT_STAR = 8;

/** Lexes an ES module's source. Throws `MODULE_SYNTAX` (stage `lex`) with the line and column of a syntax error. */
export async function lexModule(source: string, url: string): Promise<ModuleShape> {
  await init;
  let imports: ReturnType<typeof parse>[0];
  let exports: ReturnType<typeof parse>[1];
  try {
    [imports, exports] = parse(source, url);
  } catch (thrown) {
    const index = (thrown as { idx?: number }).idx ?? 0;
    const { line, column } = positionOf(source, index);
    throw new PlugboardError({
      code: 'MODULE_SYNTAX',
      stage: 'lex',
      url,
      field: `line ${line}, column ${column}`,
      problem: `the module is not valid JavaScript module syntax near line ${line}, column ${column}`,
      hint: 'Serve the built ES module (plain JavaScript), not TypeScript or a CommonJS/UMD bundle.',
      cause: thrown,
    });
  }
  const shape: ModuleShape = { exports: new Set(exports.map((entry) => entry.n)), hasStarExport: false, imports: [] };
  for (const entry of imports) {
    // The minimal lexer reports `export * from` as a static import; its statement text tells them apart.
    if (entry.t === REEXPORT_STAR || (entry.t === STATIC && /^export\s*\*\s*from/.test(source.slice(entry.ss, entry.se)))) {
      shape.hasStarExport = true;
    }
    if (entry.n === undefined || (entry.t !== STATIC && entry.t !== DYNAMIC && entry.t !== REEXPORT_STAR)) continue;
    shape.imports.push({ specifier: entry.n, line: positionOf(source, entry.s).line, dynamic: entry.t === DYNAMIC });
  }
  return shape;
}

/** Whether a specifier is bare (resolved only through an import map or a package resolver). */
export function isBareSpecifier(specifier: string): boolean {
  if (specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/')) return false;
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
