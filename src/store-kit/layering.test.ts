import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The stores' import graph points one way: store-kit ← storage ← tracking, artifacts, model-registry. These rules
// read every file's import specifiers (static, type-only, re-exports and dynamic imports), tests included.
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const RULES: { folder: string; mayNotImport: string[] }[] = [
  { folder: 'store-kit', mayNotImport: ['storage', 'tracking', 'artifacts', 'model-registry'] },
  { folder: 'storage', mayNotImport: ['tracking', 'artifacts', 'model-registry'] },
  { folder: 'artifacts', mayNotImport: ['tracking', 'model-registry'] },
  { folder: 'model-registry', mayNotImport: ['tracking'] },
];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every relative import specifier of a file, with the top folder of `src/` it lands in. */
function importsOf(file: string): { specifier: string; folder: string }[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map(({ fileName }) => fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => ({ specifier, folder: relative(SRC, resolve(dirname(file), specifier)).split(sep)[0] ?? '' }));
}

/** The imports of `folder` that land in one of `forbidden`, as `file → specifier` lines. */
function forbiddenImports(folder: string, forbidden: string[]): string[] {
  return sourceFiles(join(SRC, folder)).flatMap((file) =>
    importsOf(file)
      .filter((found) => forbidden.includes(found.folder))
      .map((found) => `${relative(SRC, file)} → ${found.specifier}`),
  );
}

describe('store layering', () => {
  for (const { folder, mayNotImport } of RULES) {
    it(`keeps src/${folder} free of imports from ${mayNotImport.join(', ')}`, () => {
      expect(forbiddenImports(folder, mayNotImport)).toEqual([]);
    });
  }

  it('sees a forbidden import when one is there (the scan reads type-only, re-export and dynamic imports)', () => {
    const found = ts.preProcessFile("import type { Run } from '../tracking/types.ts';\nexport { x } from '../artifacts/index.ts';\nawait import('../model-registry/index.ts');", true, true);
    expect(found.importedFiles.map(({ fileName }) => fileName)).toEqual(['../tracking/types.ts', '../artifacts/index.ts', '../model-registry/index.ts']);
  });
});
