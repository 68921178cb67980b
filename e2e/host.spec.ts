// The plugin host in real Chromium: plugins from a second origin, import maps, every failure stage.
import { expect, test, type Page } from '@playwright/test';
import { CDN } from '../playwright.config.ts';
import { inPage } from './in-page.ts';

test('loads one good plugin per stable group from a second origin and registers it', async ({ page }) => {
  const result = await inPage<{ groups: Record<string, { loaded: string[]; errors: unknown[]; names: string[] }>; report: unknown[] }>(
    page,
    `const groups = {};
     for (const group of host.groups()) {
       const report = await host.loadGroup(group);
       groups[group] = { loaded: report.loaded, errors: report.errors, names: host.registry(group).names() };
     }
     return { groups, report: host.report() };`,
    { manifests: [`${CDN}/good.json`], builtins: false, allowedOrigins: ['self', CDN] },
  );
  expect(Object.keys(result.groups)).toHaveLength(11);
  for (const [group, outcome] of Object.entries(result.groups)) {
    expect(outcome.errors, group).toEqual([]);
    expect(outcome.names.length, group).toBe(1);
    expect(outcome.names, group).toEqual(outcome.loaded);
  }
  expect(result.report).toEqual([]);
});

test('gives a CDN plugin that imports the SDK by its bare name the host’s own SDK instance', async ({ page }) => {
  const same = await inPage<boolean>(
    page,
    `await host.load('codex_ml.metrics', 'char_count');
     const plugin = await import('${CDN}/plugins/good.js');
     const hostSdk = await import('/src/sdk/index.ts');
     return plugin.sdk === hostSdk.SDK && typeof plugin.sdk.name === 'string';`,
    { manifests: [`${CDN}/good.json`], builtins: false, allowedOrigins: ['self', CDN] },
  );
  expect(same).toBe(true);
});

test('maps a manifest’s imports so a plugin’s bare import resolves to the manifest’s module', async ({ page }) => {
  const value = await inPage<number>(
    page,
    `const loud = await host.load('codex_ml.metrics', 'loud'); return loud(['a', 'b', 'c'], []);`,
    { manifests: [`${CDN}/mapped.json`], builtins: false },
  );
  expect(value).toBe(3);
});

test('reports a page import map that maps the same specifier elsewhere instead of loading the wrong module', async ({ page }) => {
  await page.goto('/');
  const result = await page.evaluate(async (cdn) => {
    const script = document.createElement('script');
    script.type = 'importmap';
    script.textContent = JSON.stringify({ imports: { 'shared-text': `${cdn}/plugins/good.js` } });
    document.head.append(script);
    const entry = '/src/index.ts';
      const { createHost } = await import(/* @vite-ignore */ entry);
    const host = await createHost({ manifests: [`${cdn}/mapped.json`], builtins: false });
    return host.report().map((e: { code: string; stage: string; problem: string; field: string }) => ({ code: e.code, stage: e.stage, problem: e.problem, field: e.field }));
  }, CDN);
  expect(result).toEqual([
    {
      code: 'IMPORT_MAP_CONFLICT',
      stage: 'manifest',
      problem: `import map entry "shared-text" → ${CDN}/plugins/shared-text.js is not in force: it is already mapped to ${CDN}/plugins/good.js`,
      field: 'imports["shared-text"]',
    },
  ]);
});

test('reports a specifier the page already resolved, which a later import map cannot remap', async ({ page }) => {
  await page.goto('/');
  const result = await page.evaluate(async (cdn) => {
    const script = document.createElement('script');
    script.type = 'importmap';
    script.textContent = JSON.stringify({ imports: { 'fixture-lib/': `${cdn}/plugins/` } });
    document.head.append(script);
    const early = 'fixture-lib/shared-text.js';
    await import(/* @vite-ignore */ early); // resolved (and so frozen) before the host exists
    const entry = '/src/index.ts';
    const { createHost } = await import(/* @vite-ignore */ entry);
    const host = await createHost({
      builtins: false,
      manifests: [{ url: `${cdn}/inline.json`, json: { manifestVersion: 1, imports: { 'fixture-lib/shared-text.js': './plugins/good.js' }, groups: {} } }],
    });
    return host.report().map((e: { code: string; problem: string }) => `${e.code}: ${e.problem}`);
  }, CDN);
  expect(result).toEqual([
    `IMPORT_MAP_CONFLICT: import map entry "fixture-lib/shared-text.js" → ${CDN}/plugins/good.js is not in force: it is already resolved to ${CDN}/plugins/shared-text.js`,
  ]);
});

test('gives every broken plugin its stage and a message a person can act on, and loads the good ones', async ({ page }) => {
  const report = await inPage<{ loaded: string[]; errors: Array<{ plugin: string; stage: string; problem: string; field?: string; hint: string; url: string }> }>(
    page,
    `return host.loadGroup('codex_ml.metrics');`,
    { manifests: [`${CDN}/broken.json`, `${CDN}/good.json`], builtins: false, importTimeoutMs: 1500, allowedOrigins: ['self', CDN] },
  );
  expect(report.loaded).toEqual(['char_count']);
  const byName = Object.fromEntries(report.errors.map((e) => [e.plugin, e]));
  expect(Object.fromEntries(report.errors.map((e) => [e.plugin, e.stage]))).toEqual({
    throws_at_import: 'import',
    wrong_shape: 'validate',
    half_accumulator: 'validate',
    missing_export: 'lex',
    unmapped_import: 'lex',
    never_settles: 'timeout',
    bad_integrity: 'integrity',
    other_origin: 'origin',
    missing_file: 'fetch',
  });
  expect(byName['throws_at_import']!.problem).toContain('fixture: this plugin fails at import');
  expect(byName['wrong_shape']!.problem).toContain('expected a function (predictions, references, options?) or an accumulator');
  expect(report.errors.filter((e) => e.plugin === 'half_accumulator').map((e) => e.field)).toEqual(['merge', 'finalize']);
  expect(byName['missing_export']!.hint).toContain('It exports: somethingElse');
  expect(byName['unmapped_import']!.problem).toContain('"left-pad-nowhere"');
  expect(byName['never_settles']!.problem).toContain('within 1500 ms');
  expect(byName['bad_integrity']!.problem).toMatch(/sha384 digest is sha384-[A-Za-z0-9+/]+=*/);
  expect(byName['other_origin']!.problem).toContain('http://localhost:9');
  expect(byName['missing_file']!.problem).toContain('404');
  for (const error of report.errors) {
    expect(error.url).toMatch(/^http:/);
    expect(error.hint).not.toBe('');
    expect(error.problem).not.toContain(error.hint); // the hint is its own field, never folded into the problem
    expect(error.problem).not.toMatch(/\n\s+at /); // no stack traces
  }
});

test('reports a manifest with a bad field at the manifest stage with its JSON path', async ({ page }) => {
  const errors = await inPage<Array<{ stage: string; plugin: string; problem: string; field: string }>>(page, 'return host.report();', {
    manifests: [`${CDN}/bad-field.json`],
    builtins: false,
  });
  expect(errors.map((e) => [e.stage, e.plugin])).toEqual([
    ['manifest', 'bad_url'],
    ['manifest', 'typo'],
  ]);
  expect(errors[0]!.field).toBe('groups["codex_ml.metrics"].bad_url.url');
  expect(errors[1]!.problem).toContain('unknown key "exprot"');
});

test('loads the standalone build from the CDN with no bundler and no import map, built-in plugins included', async ({ page }) => {
  await page.goto(`${CDN}/blank.html`);
  const result = await page.evaluate(async (cdn) => {
    const plugboard = await import(`${cdn}/dist/standalone.js`);
    const host = await plugboard.createHost();
    const accuracy = await host.load('codex_ml.metrics', 'accuracy');
    const report = await host.loadGroup('codex_ml.metrics');
    return {
      groups: host.groups(),
      accuracyApi: accuracy.api,
      errors: report.errors.map((e: { plugin: string; problem: string }) => `${e.plugin}: ${e.problem}`),
      loaded: report.loaded,
      isStable: plugboard.isStableName('metrics', 'bleu'),
    };
  }, CDN);
  expect(result.groups).toContain('codex_ml.metrics');
  expect(result.accuracyApi).toBe('v1');
  expect(result.errors).toEqual([]);
  expect(result.loaded).toContain('accuracy');
  expect(result.isStable).toBe(true);
});

test('the app’s Plugins view lists the built-in groups and entry points, and loads one on request', async ({ page }) => {
  await page.goto('/#plugins');
  const manager = page.locator('pb-plugin-manager');
  await expect(manager.locator('section[data-group="codex_ml.metrics"] [data-plugin="codex_ml.metrics/bleu"]')).toBeVisible();
  await expect(manager.locator('section[data-group="codex_ml.data_loaders"] [data-plugin="codex_ml.data_loaders/csv"]')).toBeVisible();
  await manager.getByRole('button', { name: 'Load accuracy', exact: true }).click();
  await expect(manager.locator('[data-plugin="codex_ml.metrics/accuracy"]')).toHaveAttribute('data-status', 'loaded');
});

test('the plugin list renders a failed plugin from its fields: each problem with its field, the url and each hint once', async ({ page }) => {
  await page.goto('/');
  const shown = await page.evaluate(async (cdn) => {
    const [{ createHost }] = await Promise.all([import(/* @vite-ignore */ String('/src/index.ts')), import(/* @vite-ignore */ String('/src/ui/index.ts'))]);
    const host = await createHost({ manifests: [`${cdn}/broken.json`], builtins: false, importTimeoutMs: 1500, allowedOrigins: ['self', cdn] });
    const list = document.createElement('pb-plugin-list') as HTMLElement & { host: unknown; loadGroup(group: string): Promise<unknown>; updateComplete: Promise<boolean> };
    list.host = host;
    document.body.append(list);
    await list.loadGroup('codex_ml.metrics');
    await list.updateComplete;
    const cell = list.shadowRoot!.querySelector('tr[data-entry="half_accumulator"] .error')!;
    return {
      problems: [...cell.querySelectorAll('.problem .field')].map((field) => field.textContent!.trim()),
      hints: cell.querySelectorAll('.hint').length,
      urls: cell.querySelectorAll('.url').length,
      text: (cell as HTMLElement).innerText,
    };
  }, CDN);
  expect(shown.problems).toEqual(['→ at merge', '→ at finalize']);
  expect(shown.hints).toBe(1);
  expect(shown.urls).toBe(1);
  expect(shown.text.match(/hint:/g)).toHaveLength(1);
});
