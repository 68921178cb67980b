import { describe, expect, it } from 'vitest';
import { moduleGraphOf, resolveSpecifier, type ModuleGraphReader } from './module-provenance.ts';

const BASE = 'https://cdn.example/p/';

/** A reader over modules held in memory: url → imports; a URL missing from the table cannot be read. */
function reader(modules: Record<string, { specifier: string; dynamic?: boolean }[]>, extra: Partial<ModuleGraphReader> = {}) {
  const reads: string[] = [];
  const value: ModuleGraphReader = {
    async inspect(url) {
      reads.push(url);
      const imports = modules[url];
      if (!imports) throw new Error(`404 ${url}`);
      return { sha384: `sha384-${new URL(url).pathname}`, imports: imports.map((entry) => ({ specifier: entry.specifier, dynamic: entry.dynamic ?? false })) };
    },
    imports: { sdk: 'https://host.example/sdk.js', 'lib/': 'https://host.example/lib/' },
    ...extra,
  };
  return { value, reads };
}

describe('moduleGraphOf', () => {
  it('records every module the entry imports, directly or through others, each read once and sorted by URL, the entry left out', async () => {
    const { value, reads } = reader({
      [`${BASE}entry.js`]: [{ specifier: './b.js' }, { specifier: './a.js' }],
      [`${BASE}a.js`]: [{ specifier: './shared.js' }, { specifier: './entry.js' }],
      [`${BASE}b.js`]: [{ specifier: './shared.js' }],
      [`${BASE}shared.js`]: [{ specifier: './a.js' }],
    });
    expect(await moduleGraphOf(`${BASE}entry.js`, value)).toEqual([
      { url: `${BASE}a.js`, sha384: 'sha384-/p/a.js' },
      { url: `${BASE}b.js`, sha384: 'sha384-/p/b.js' },
      { url: `${BASE}shared.js`, sha384: 'sha384-/p/shared.js' },
    ]);
    expect(reads.filter((url) => url === `${BASE}shared.js`)).toHaveLength(1);
  });

  it('resolves bare specifiers through the import map, exact names and prefixes', async () => {
    const modules = { [`${BASE}entry.js`]: [{ specifier: 'sdk' }, { specifier: 'lib/x.js' }] };
    const { value } = reader(modules, {
      async inspect(url) {
        return { sha384: `sha384-${url}`, imports: (modules as Record<string, { specifier: string }[]>)[url]?.map((entry) => ({ ...entry, dynamic: false })) ?? [] };
      },
    });
    expect((await moduleGraphOf(`${BASE}entry.js`, value)).map((module) => module.url)).toEqual(['https://host.example/lib/x.js', 'https://host.example/sdk.js']);
  });

  it('marks what the code imports on demand, with its own static imports, names a plugin entry among them, and does not follow on-demand imports of on-demand modules', async () => {
    const { value, reads } = reader(
      {
        [`${BASE}entry.js`]: [{ specifier: './static.js' }, { specifier: '../tokenizers/spm.js', dynamic: true }],
        [`${BASE}static.js`]: [{ specifier: './static-only.js', dynamic: true }, { specifier: './entry.js', dynamic: true }],
        [`${BASE}static-only.js`]: [],
        'https://cdn.example/tokenizers/spm.js': [{ specifier: './spm-part.js' }, { specifier: './wasm-library.js', dynamic: true }],
        'https://cdn.example/tokenizers/spm-part.js': [],
      },
      { pluginAt: (url) => (url === 'https://cdn.example/tokenizers/spm.js' ? 'codex_ml.tokenizers/sentencepiece' : undefined) },
    );
    expect(await moduleGraphOf(`${BASE}entry.js`, value)).toEqual([
      { url: `${BASE}static.js`, sha384: 'sha384-/p/static.js' },
      { url: `${BASE}static-only.js`, sha384: 'sha384-/p/static-only.js', onDemand: true },
      { url: 'https://cdn.example/tokenizers/spm-part.js', sha384: 'sha384-/tokenizers/spm-part.js', onDemand: true },
      { url: 'https://cdn.example/tokenizers/spm.js', sha384: 'sha384-/tokenizers/spm.js', onDemand: true, plugin: 'codex_ml.tokenizers/sentencepiece' },
    ]);
    expect(reads).not.toContain('https://cdn.example/tokenizers/wasm-library.js');
  });

  it('records a module whose bytes cannot be read, and a bare specifier the map lacks, with the problem instead of a digest', async () => {
    const { value } = reader({ [`${BASE}entry.js`]: [{ specifier: './gone.js' }, { specifier: 'node-package' }] });
    expect(await moduleGraphOf(`${BASE}entry.js`, value)).toEqual([
      { url: `${BASE}gone.js`, problem: `its bytes could not be read: 404 ${BASE}gone.js` },
      { url: 'node-package', problem: expect.stringMatching(/^a bare specifier the host's import map does not map/) },
    ]);
  });
});

describe('resolveSpecifier', () => {
  it('resolves relative and absolute specifiers against the parent, bare ones through the longest matching prefix, and leaves an unmapped bare one undefined', () => {
    const imports = { 'a/': 'https://x.example/a/', 'a/b/': 'https://y.example/ab/' };
    expect(resolveSpecifier('../c.js', 'https://h.example/p/q/m.js', imports)).toBe('https://h.example/p/c.js');
    expect(resolveSpecifier('a/b/c.js', 'https://h.example/m.js', imports)).toBe('https://y.example/ab/c.js');
    expect(resolveSpecifier('a/c.js', 'https://h.example/m.js', imports)).toBe('https://x.example/a/c.js');
    expect(resolveSpecifier('zod', 'https://h.example/m.js', imports)).toBeUndefined();
  });
});
