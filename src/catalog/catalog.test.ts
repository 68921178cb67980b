import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CatalogSchema, parseCatalog, searchCatalogs } from './index.ts';

const SCHEMA_FILE = new URL('../../plugins-catalog.schema.json', import.meta.url);
const SAMPLE = new URL('../../public/plugins-catalog.json', import.meta.url);

/** The JSON Schema editors read for catalogs, made from CatalogSchema (the single source of truth). */
function generate(): string {
  const schema = z.toJSONSchema(CatalogSchema, { target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, title: 'Plugboard plugin catalog', $id: 'plugins-catalog.schema.json' }, null, 2)}\n`;
}

const version = (v: string, extra: Record<string, unknown> = {}) => ({ version: v, url: `./m-${v}.js`, integrity: `sha384-${'A'.repeat(64)}`, ...extra });
const catalog = (url: string, plugins: unknown[]) => parseCatalog({ catalogVersion: 1, name: url, plugins }, url);

describe('plugins-catalog.schema.json', () => {
  it('matches CatalogSchema (regenerate with UPDATE_SCHEMA=1 npx vitest run src/catalog)', () => {
    if (process.env['UPDATE_SCHEMA']) writeFileSync(SCHEMA_FILE, generate());
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(generate());
  });

  it('validates the sample catalog, whose digests are those of the files it names', () => {
    const json = JSON.parse(readFileSync(SAMPLE, 'utf8'));
    const parsed = parseCatalog(json, SAMPLE.href);
    for (const plugin of parsed.plugins) {
      for (const entry of plugin.versions) {
        const digest = createHash('sha384').update(readFileSync(new URL(entry.url))).digest('base64');
        expect(entry.integrity, entry.url).toBe(`sha384-${digest}`);
      }
    }
  });
});

describe('parseCatalog', () => {
  it('resolves version URLs against the catalog and reports every problem with its JSON path', () => {
    expect(catalog('https://cdn.example/c/catalog.json', [{ group: 'g', name: 'a', versions: [version('1.0.0')] }]).plugins[0]!.versions[0]!.url).toBe(
      'https://cdn.example/c/m-1.0.0.js',
    );
    expect(() => parseCatalog({ catalogVersion: 1, plugins: [{ group: 'g', name: 'a', versions: [{ version: '1', url: './m.js' }] }] }, 'https://x/c.json')).toThrow(
      expect.objectContaining({ code: 'INVALID_CATALOG', url: 'https://x/c.json', field: 'plugins[0].versions[0].integrity' }),
    );
  });
});

describe('searchCatalogs', () => {
  const first = catalog('https://one.example/c.json', [
    { group: 'codex_ml.metrics', name: 'f1', description: 'Token F1', versions: [version('1.2.0'), version('1.10.0'), version('2.0.0', { host: '>=0.2' })] },
  ]);
  const second = catalog('https://two.example/c.json', [
    { group: 'codex_ml.metrics', name: 'f1', versions: [version('9.0.0')] },
    { group: 'codex_ml.tokenizers', name: 'bpe', description: 'Byte pairs', versions: [version('0.1.0')] },
  ]);

  it('takes a plugin from the first catalog that lists it, like package indexes by priority', () => {
    const found = searchCatalogs([first, second], '', '0.1.0');
    expect(found.map((match) => [match.group, match.name, match.catalog.url])).toEqual([
      ['codex_ml.metrics', 'f1', 'https://one.example/c.json'],
      ['codex_ml.tokenizers', 'bpe', 'https://two.example/c.json'],
    ]);
  });

  it('sorts versions newest first and offers the newest this host is in the range of', () => {
    const [f1] = searchCatalogs([first], 'f1', '0.1.0');
    expect(f1!.versions.map((v) => [v.version, v.compatible])).toEqual([['2.0.0', false], ['1.10.0', true], ['1.2.0', true]]);
    expect(f1!.latest?.version).toBe('1.10.0');
    expect(searchCatalogs([first], 'f1', '0.2.0')[0]!.latest?.version).toBe('2.0.0');
  });

  it('matches the query against name, group and description, ignoring case', () => {
    expect(searchCatalogs([first, second], 'BYTE', '0.1.0').map((match) => match.name)).toEqual(['bpe']);
    expect(searchCatalogs([first, second], 'tokenizers', '0.1.0').map((match) => match.name)).toEqual(['bpe']);
    expect(searchCatalogs([first, second], 'nothing like it', '0.1.0')).toEqual([]);
  });
});
