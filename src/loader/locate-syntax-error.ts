/** Where a module's source stops being valid JavaScript, 1-based, with the parser's words for what it found. */
export interface SyntaxErrorPlace {
  line: number;
  column: number;
  message: string;
}

/**
 * Finds the first syntax error of a module's source with a full JavaScript parser (acorn, loaded only now: it
 * is needed only for a module that failed). Resolves undefined when the parser accepts the source.
 *
 * Why a parser and not the engine: the lexer knows some errors only at the end of the text (an unclosed
 * bracket is reported at offset 0), and an engine says where only by compiling the module — in a page through
 * an inline script the page's policy may refuse, in Node not at all (`import()` gives no position). A parser
 * runs nothing, in every place the host runs.
 */
export async function locateSyntaxError(source: string): Promise<SyntaxErrorPlace | undefined> {
  let parser: typeof import('acorn');
  try {
    parser = await import('acorn');
  } catch {
    return undefined; // the chunk could not be loaded (offline): the caller keeps what it knew
  }
  try {
    parser.parse(source, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true });
    return undefined;
  } catch (thrown) {
    const { loc, message } = thrown as { loc?: { line: number; column: number }; message?: string };
    if (!loc || typeof message !== 'string') return undefined;
    // acorn ends its message with "(line:column)", 0-based column; the place is given as fields instead.
    return { line: loc.line, column: loc.column + 1, message: message.replace(/ \(\d+:\d+\)$/, '') };
  }
}
