import { describe, expect, it } from 'vitest';
import { checkManifest, layerManifests, parseManifest, ManifestSchema } from './index.ts';

const BASE = 'https://cdn.example/team/plugins-manifest.json';

describe('checkManifest', () => {
  it('splits "url#export" and resolves the URL against the manifest URL', () => {
    const manifest = parseManifest({ manifestVersion: 1, groups: { 'codex_ml.metrics': { bleu: './m/bleu.js#bleu' } } }, BASE);
    expect(manifest.entryPoints).toEqual([
      { group: 'codex_ml.metrics', name: 'bleu', url: 'https://cdn.example/team/m/bleu.js', export: 'bleu', source: BASE },
    ]);
  });

  it('uses the default export when the shorthand has no #', () => {
    const [entry] = parseManifest({ manifestVersion: 1, groups: { g: { x: '../x.js' } } }, BASE).entryPoints;
    expect(entry).toMatchObject({ url: 'https://cdn.example/x.js', export: 'default' });
  });

  it('keeps the long form fields and resolves the import map against the manifest', () => {
    const manifest = parseManifest(
      {
        manifestVersion: 1,
        imports: { lib: './vendor/lib.js' },
        groups: { 'codex_ml.metrics': { f1: { url: 'https://other.example/f1.js', export: 'f1', api: 'v1', version: '1.2.0', description: 'Token F1', integrity: 'sha384-abc' } } },
      },
      BASE,
    );
    expect(manifest.imports).toEqual({ lib: 'https://cdn.example/team/vendor/lib.js' });
    expect(manifest.entryPoints[0]).toEqual({
      group: 'codex_ml.metrics', name: 'f1', url: 'https://other.example/f1.js', export: 'f1', api: 'v1', version: '1.2.0',
      description: 'Token F1', integrity: 'sha384-abc', source: BASE,
    });
  });

  it('reports every problem at once, each with the manifest URL, the JSON path and the group and name', () => {
    const check = checkManifest(
      { manifestVersion: 1, groups: { 'codex_ml.metrics': { a: { url: 5 }, b: { url: './b.js', exprot: 'x' }, c: 7 } } },
      BASE,
    );
    expect(check.ok).toBe(false);
    if (check.ok) return;
    const found = check.problems.map((p) => ({ code: p.code, field: p.field, plugin: p.plugin, group: p.group, url: p.url, stage: p.stage }));
    expect(found).toEqual([
      { code: 'INVALID_MANIFEST', field: 'groups["codex_ml.metrics"].a.url', plugin: 'a', group: 'codex_ml.metrics', url: BASE, stage: 'manifest' },
      { code: 'INVALID_MANIFEST', field: 'groups["codex_ml.metrics"].b', plugin: 'b', group: 'codex_ml.metrics', url: BASE, stage: 'manifest' },
      { code: 'INVALID_MANIFEST', field: 'groups["codex_ml.metrics"].c', plugin: 'c', group: 'codex_ml.metrics', url: BASE, stage: 'manifest' },
    ]);
    expect(check.problems[0]!.problem).toContain('expected string, received number');
    expect(check.problems[1]!.problem).toContain('unknown key "exprot"');
    expect(check.problems[2]!.problem).toContain('expected string or object, received number');
  });

  it('refuses another manifestVersion and a missing groups object', () => {
    const check = checkManifest({ manifestVersion: 2 }, BASE);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.map((p) => p.field)).toEqual(['manifestVersion', 'groups']);
  });

  it('refuses names with spaces and group names with slashes', () => {
    const check = checkManifest({ manifestVersion: 1, groups: { 'a/b': { 'x y': './x.js' } } }, BASE);
    expect(check.ok).toBe(false);
  });

  it('throws one error listing every problem from parseManifest', () => {
    expect(() => parseManifest({ manifestVersion: 1, groups: { g: { a: 1, b: 2 } } }, BASE)).toThrowError(/2 problems/);
  });

  it('accepts custom groups and the $schema key', () => {
    expect(ManifestSchema.safeParse({ $schema: './s.json', manifestVersion: 1, groups: { 'my-plugins': { a: './a.js' } } }).success).toBe(true);
  });
});

describe('layerManifests', () => {
  const first = parseManifest({ manifestVersion: 1, imports: { lib: './lib@2.js' }, groups: { g: { a: './a.js', b: './b.js' } } }, 'https://one.example/m.json');
  const second = parseManifest({ manifestVersion: 1, imports: { lib: './lib@1.js' }, groups: { g: { b: './b2.js', c: './c.js' }, h: { z: './z.js' } } }, 'https://two.example/m.json');

  it('keeps the first manifest’s entry on the same group and name, and warns naming both sources', () => {
    const layered = layerManifests([first, second]);
    expect([...layered.entryPoints.get('g')!.keys()]).toEqual(['a', 'b', 'c']);
    expect(layered.entryPoints.get('g')!.get('b')!.url).toBe('https://one.example/b.js');
    const entryWarning = layered.warnings.find((w) => w.code === 'SHADOWED_ENTRY_POINT')!;
    expect(entryWarning).toMatchObject({ group: 'g', plugin: 'b' });
    expect(entryWarning.message).toContain('https://two.example/m.json');
    expect(entryWarning.message).toContain('https://one.example/m.json');
  });

  it('keeps the first mapping of an import and warns about the other', () => {
    const layered = layerManifests([first, second]);
    expect(layered.imports).toEqual({ lib: 'https://one.example/lib@2.js' });
    expect(layered.warnings.filter((w) => w.code === 'SHADOWED_IMPORT')).toHaveLength(1);
  });
});

describe('integrity values', () => {
  const withIntegrity = (integrity: string) =>
    checkManifest({ manifestVersion: 1, groups: { g: { a: { url: './a.js', integrity } } } }, BASE);

  it('are checked in linear time, so a value made to backtrack is refused at once', { timeout: 3000 }, () => {
    // This value took over 100 s against the earlier pattern, whose repeated digest could end in several ways.
    const started = performance.now();
    const attack = withIntegrity('sha256-A?'.repeat(28) + ' !');
    const long = withIntegrity('sha256-A?'.repeat(100_000) + ' !');
    const spaced = withIntegrity(`sha256-A${' '.repeat(200_000)}!`);
    expect(performance.now() - started).toBeLessThan(1000);
    for (const check of [attack, long, spaced]) {
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.problems[0]).toMatchObject({ code: 'INVALID_MANIFEST', field: 'groups.g.a.integrity' });
    }
  });

  it('accept one or more whitespace-separated digests with options, and refuse digests run together', () => {
    for (const good of ['sha384-abc', ' sha256-AAAA= sha512-BB+/== ', 'sha384-abc?opt sha384-def', 'sha256-A=\n\tsha384-B']) {
      expect(withIntegrity(good).ok, good).toBe(true);
    }
    for (const bad of ['', 'md5-abc', 'sha384-', 'sha256-AAAAsha384-BBB', 'sha256-A==sha384-B', 'sha256-A===', 'sha256-A !']) {
      expect(withIntegrity(bad).ok, bad).toBe(false);
    }
  });
});
