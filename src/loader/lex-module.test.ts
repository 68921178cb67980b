import { describe, expect, it } from 'vitest';
import { isBareSpecifier, lexModule } from './lex-module.ts';

describe('lexModule', () => {
  it('lists named exports, re-exports by name and the default export', async () => {
    const shape = await lexModule(
      "import x from 'lib';\nexport const a = 1;\nexport { a as b };\nexport default 3;\nexport * as ns from './ns.js';",
      'u',
    );
    expect([...shape.exports].sort()).toEqual(['a', 'b', 'default', 'ns']);
    expect(shape.hasStarExport).toBe(false);
  });

  it('flags `export * from` because it may add names the lexer cannot see', async () => {
    expect((await lexModule("export * from './all.js';", 'u')).hasStarExport).toBe(true);
  });

  it('lists import specifiers with their lines and the offsets of the quoted specifier, marking dynamic ones', async () => {
    const source = "import a from 'a';\n\nimport './side.js';\nconst m = await import('lazy');";
    const shape = await lexModule(source, 'u');
    expect(shape.imports.map(({ specifier, line, dynamic }) => ({ specifier, line, dynamic }))).toEqual([
      { specifier: 'a', line: 1, dynamic: false },
      { specifier: './side.js', line: 3, dynamic: false },
      { specifier: 'lazy', line: 4, dynamic: true },
    ]);
    expect(shape.imports.map(({ start, end }) => source.slice(start, end))).toEqual(["'a'", "'./side.js'", "'lazy'"]);
  });

  it('maps each export with a binding of its own to that binding', async () => {
    const shape = await lexModule(
      "const x = 1;\nexport { x as default, x as 'a-b' };\nexport function f() {}\nexport { y } from './y.js';",
      'u',
    );
    expect(Object.fromEntries(shape.localNames)).toEqual({ default: 'x', 'a-b': 'x', f: 'f' });
    expect(shape.exports.has('y')).toBe(true);
  });

  it('finds every place whose meaning depends on the module’s own URL', async () => {
    const source = "import a from './a.js';\nimport b from 'bare';\nexport * from '../c.js';\nimport('/d.js');\nimport(name);\nimport.meta.url;\nimport('https://x.example/e.js');";
    const places = (await lexModule(source, 'u')).urlDependent;
    expect(places.map((place) => [place.kind, source.slice(place.start, place.end), place.specifier])).toEqual([
      ['specifier', "'./a.js'", './a.js'],
      ['specifier', "'../c.js'", '../c.js'],
      ['specifier', "'/d.js'", '/d.js'],
      ['computed-import', 'name', undefined],
      ['import-meta', 'import.meta', undefined],
    ]);
  });

  it('throws MODULE_SYNTAX with the line and column of a syntax error', async () => {
    await expect(lexModule('export const a = 1;\nimport { from "x"', 'https://cdn.example/x.js')).rejects.toMatchObject({
      code: 'MODULE_SYNTAX',
      stage: 'lex',
      url: 'https://cdn.example/x.js',
      field: expect.stringMatching(/^line 2, column \d+$/),
    });
  });
});

describe('isBareSpecifier', () => {
  it('tells bare specifiers from relative, absolute and URL ones', () => {
    expect(['lodash', '@scope/pkg', 'plugboard/sdk', 'a/b.js'].map(isBareSpecifier)).toEqual([true, true, true, true]);
    expect(['./a.js', '../a.js', '/a.js', 'https://x/a.js', 'node:fs', 'data:text/javascript,'].map(isBareSpecifier)).toEqual([
      false, false, false, false, false, false,
    ]);
  });
});

describe('lexModule on an unclosed bracket', () => {
  it('names the real line and column, not the start of the file', async () => {
    const source = 'export const a = 1;\nexport const metric = () => ({ score: 1 ;\n';
    const error = await lexModule(source, 'https://cdn.example/m.js').then(
      () => undefined,
      (thrown: unknown) => thrown as { code: string; field: string; problem: string },
    );
    const column = source.split('\n')[1]!.indexOf(';') + 1;
    expect(error).toMatchObject({ code: 'MODULE_SYNTAX', field: `line 2, column ${column}` });
    expect(error!.problem).toContain(`at line 2, column ${column}: Unexpected token`);
  });
});
