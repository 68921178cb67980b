import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatError } from '../errors/index.ts';
import { createHost } from './index.ts';
import { sourceEnvironment } from './source-environment.test-helpers.ts';

const MANIFEST = new URL('../../plugins-manifest.json', import.meta.url);
const builtin = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { groups: Record<string, Record<string, { url: string; export: string }>> };

describe('the built-in manifest', () => {
  it('names only module files that exist', () => {
    const missing = Object.values(builtin.groups)
      .flatMap((entries) => Object.values(entries))
      .map((entry) => new URL(entry.url, MANIFEST))
      .filter((url) => !existsSync(url));
    expect(missing.map(String)).toEqual([]);
  });

  it('loads every built-in plugin through the same load path as a CDN plugin', async () => {
    const host = await createHost({ environment: sourceEnvironment(), onWarning: () => {} });
    const failures: string[] = [];
    for (const group of Object.keys(builtin.groups)) {
      const report = await host.loadGroup(group);
      failures.push(...report.errors.map((error) => `[${error.stage}] ${formatError(error)}`));
      expect(report.loaded.sort(), group).toEqual(Object.keys(builtin.groups[group]!).filter((name) => !report.errors.some((e) => e.plugin === name)).sort());
    }
    expect(failures).toEqual([]);
  });
});
