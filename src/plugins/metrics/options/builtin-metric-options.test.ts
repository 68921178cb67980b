import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { MetricOptionsSchema, validatePlugin } from '../../../adapters/index.ts';
import * as metrics from '../index.ts';
import { BUILTIN_METRIC_OPTIONS, renderMetricsDoc } from './index.ts';

const ROOT = new URL('../../../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('plugins-manifest.json', ROOT), 'utf8')) as {
  groups: { 'codex_ml.metrics': Record<string, { export: string; description: string }> };
};
const entries = Object.entries(manifest.groups['codex_ml.metrics']);
const pluginOf = (exportName: string) => (metrics as Record<string, unknown>)[exportName] as { options?: unknown; init(options?: unknown): unknown };

describe('the built-in metrics\u2019 option declarations', () => {
  it('cover exactly the metrics of the built-in manifest', () => {
    expect(Object.keys(BUILTIN_METRIC_OPTIONS).sort()).toEqual(entries.map(([name]) => name).sort());
  });

  for (const [name, entry] of entries) {
    it(`${name}: the plugin carries its declaration, which passes the metrics contract and matches what init accepts`, () => {
      const plugin = pluginOf(entry.export);
      const declared = BUILTIN_METRIC_OPTIONS[name as keyof typeof BUILTIN_METRIC_OPTIONS];
      expect(plugin.options).toBe(declared);
      expect(MetricOptionsSchema.safeParse(declared).success).toBe(true);
      expect(validatePlugin(plugin, { group: 'codex_ml.metrics', name })).toEqual([]);
      // Every declared default, passed explicitly, is accepted; an undeclared key is refused naming all declared ones.
      const defaults = Object.fromEntries(declared.map((option) => [option.name, option.default]));
      expect(() => plugin.init(defaults)).not.toThrow();
      const names = declared.map((option) => option.name).join(', ');
      expect(() => plugin.init({ not_an_option: true })).toThrowError(
        expect.objectContaining({ code: 'METRIC_OPTION', plugin: name, hint: names === '' ? 'This metric takes no options.' : `Valid options: ${names}.` }),
      );
    });
  }

  it('are what docs/METRICS.md shows (regenerate it with npm run docs:metrics)', () => {
    const doc = renderMetricsDoc(
      entries.map(([name, entry]) => ({ name, description: entry.description, options: BUILTIN_METRIC_OPTIONS[name as keyof typeof BUILTIN_METRIC_OPTIONS] })),
    );
    const path = new URL('docs/METRICS.md', ROOT);
    if (process.env.UPDATE_METRICS_DOC === '1') writeFileSync(path, doc);
    expect(readFileSync(path, 'utf8')).toBe(doc);
  });
});
