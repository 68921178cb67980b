import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lexModule } from './lex-module.ts';
import { relocateSource } from './relocate-source.ts';

/** Writes files into a fresh folder and returns its file: URL (with a trailing slash). */
function folderWith(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'relocate-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  return pathToFileURL(folder).href + '/';
}

/** Relocates the module at `url` and imports it from a data: URL, as a page does with a checked module. */
async function importRelocated(url: string, source: string): Promise<Record<string, unknown>> {
  const relocated = relocateSource(source, url, (await lexModule(source, url)).urlDependent);
  return import(/* @vite-ignore */ `data:text/javascript,${encodeURIComponent(relocated)}`);
}

describe('relocateSource', () => {
  it('runs from a data: URL as from its own URL: relative imports, computed import(), import.meta', async () => {
    const base = folderWith({ 'helper.js': 'export const value = 41;', 'lazy.js': "export const name = 'lazy';" });
    const url = `${base}entry.js`;
    const source = [
      "import { value } from './helper.js';",
      "const file = ['lazy', 'js'].join('.');",
      'const lazy = await import(`./${file}`);',
      'export const answer = value + 1;',
      'export const lazyName = lazy.name;',
      'export const self = import.meta.url;',
      "export const resolved = import.meta.resolve('./helper.js');",
      'export const same = import.meta === import.meta;',
    ].join('\n');
    const namespace = await importRelocated(url, source);
    expect(namespace).toMatchObject({ answer: 42, lazyName: 'lazy', self: url, resolved: `${base}helper.js`, same: true });
    // The relative import is the module at its own URL, not a copy.
    const helper = await import(/* @vite-ignore */ `${base}helper.js`);
    expect(helper['value']).toBe(41);
  });

  it('leaves bare and absolute specifiers alone and keeps every line where it was', async () => {
    const url = 'https://cdn.example/plugins/p.js';
    const source = "import 'bare';\nimport 'https://other.example/x.js';\nimport './rel.js';\nconst u = import.meta.url;";
    const relocated = relocateSource(source, url, (await lexModule(source, url)).urlDependent);
    const lines = relocated.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      "import 'bare';",
      "import 'https://other.example/x.js';",
      'import "https://cdn.example/plugins/rel.js";',
      'const u = (__plugboard_relocated_meta()).url;',
    ]);
    expect(lines.at(-2)).toBe(`//# sourceURL=${url}`);
  });

  it('adds no helpers to a module that needs none, and runs the epilogue after the module’s own code', async () => {
    const source = "import 'bare';\nexport const a = 1;";
    const relocated = relocateSource(source, 'https://cdn.example/p.js', (await lexModule(source, 'u')).urlDependent, '\nafter();');
    expect(relocated).toBe("import 'bare';\nexport const a = 1;\nafter();\n//# sourceURL=https://cdn.example/p.js\n");
  });

  it('points a relative sourceMappingURL at the original place', () => {
    const relocated = relocateSource('export const a = 1;\n//# sourceMappingURL=p.js.map\n', 'https://cdn.example/dist/p.js', []);
    expect(relocated).toContain('//# sourceMappingURL=https://cdn.example/dist/p.js.map\n');
    expect(relocateSource('//# sourceMappingURL=data:application/json;base64,e30=', 'https://cdn.example/p.js', [])).toContain(
      '//# sourceMappingURL=data:application/json;base64,e30=',
    );
  });
});
