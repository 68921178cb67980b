import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript script without declarations
import { namedFiles } from './pack-for-e2e.js';

describe('pack:e2e', () => {
  it('checks every file the bin and the exports name, conditions and nested targets included', () => {
    expect(namedFiles({ bin: { tool: 'dist/cli.js' }, exports: { '.': { types: './dist/types/index.d.ts', import: './dist/index.js' }, './schema.json': './schema.json' } })).toEqual([
      'dist/cli.js',
      'dist/index.js',
      'dist/types/index.d.ts',
      'schema.json',
    ]);
    expect(namedFiles({ bin: './dist/cli.js' })).toEqual(['dist/cli.js']);
  });

  it('covers the package’s own entry points, the Worker helper among them', () => {
    const files: string[] = namedFiles(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')));
    expect(files).toEqual(expect.arrayContaining(['dist/cli.js', 'dist/index.js', 'dist/worker.js', 'dist/vite.js', 'dist/types/workers/index.d.ts', 'plugins-manifest.schema.json']));
  });

  it('is the build step of npm test, so the suite builds through prepack once', () => {
    const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts['prepack']).toBe('npm run build');
    expect(scripts['pack:e2e']).toBe('node scripts/pack-for-e2e.js');
    expect(scripts['test:after-typecheck']).toBe('npm run test:unit && npm run pack:e2e && npm run test:e2e');
  });
});
