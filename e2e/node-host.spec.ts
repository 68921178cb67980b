// The built library in Node, headless: the same manifests and plugin modules as the page, import maps included.
import { expect, test } from '@playwright/test';
import { pathToFileURL } from 'node:url';

const dist = (file: string) => pathToFileURL(`${process.cwd()}/dist/${file}`).href;
const fixture = (file: string) => pathToFileURL(`${process.cwd()}/e2e/fixtures/cdn/${file}`).href;

test('maps a manifest’s imports in Node through a module resolve hook', async () => {
  const { createHost } = await import(dist('index.js'));
  const host = await createHost({ manifests: [fixture('mapped.json')], builtins: false });
  const loud = await host.load('codex_ml.metrics', 'loud');
  expect(loud(['a', 'b'], [])).toBe(2);
  expect(host.report()).toEqual([]);
});

test('loads the built-in plugins of the built library in Node, sharing the host’s SDK', async () => {
  const { createHost } = await import(dist('index.js'));
  const sdk = await import(dist('sdk.js'));
  const host = await createHost({ onWarning: () => {} });
  const report = await host.loadGroup('codex_ml.metrics');
  expect(report.errors).toEqual([]);
  expect(report.loaded).toContain('accuracy');
  const plugin = await import(fixture('plugins/good.js'));
  expect(plugin.sdk).toBe(sdk.SDK);
});

test('registers one resolve hook per process and reports a second host mapping a specifier elsewhere', async () => {
  const { createHost } = await import(dist('index.js'));
  await createHost({ manifests: [fixture('mapped.json')], builtins: false });
  const other = await createHost({
    builtins: false,
    manifests: [{ url: fixture('inline.json'), json: { manifestVersion: 1, imports: { 'shared-text': './plugins/good.js' }, groups: {} } }],
  });
  expect(other.report().map((error: { code: string; problem: string }) => [error.code, error.problem])).toEqual([
    [
      'IMPORT_MAP_CONFLICT',
      `import map entry "shared-text" → ${fixture('plugins/good.js')} is not in force: it is already mapped to ${fixture('plugins/shared-text.js')}`,
    ],
  ]);
});
