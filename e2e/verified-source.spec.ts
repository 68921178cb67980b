// A page runs the bytes the preflight checked (inline module scripts, data: URLs, or by URL when the page's
// Content-Security-Policy allows neither), and a plugin behaves as it would when imported from its URL.
import { expect, test, type Page } from '@playwright/test';
import { CDN } from '../playwright.config.ts';
import { inPage } from './in-page.ts';

const requestsOf = async (page: Page, url: string) => Number(await (await page.request.get(`${CDN}/__requests?url=${encodeURIComponent(url)}`)).text());
const unique = () => `${Date.now()}-${Math.random().toString(36).slice(2)}`;

test('runs the very bytes it checked, asking the CDN once per module', async ({ page }) => {
  // The CDN answers this URL with a different module each time: a second request would run other bytes.
  const path = `/versions/${unique()}/served.js`;
  const manifest = { manifestVersion: 1, name: 'versions', groups: { 'codex_ml.metrics': { served: `${CDN}${path}#served` } } };
  const score = await inPage<number>(
    page,
    `const metric = await host.load('codex_ml.metrics', 'served'); return metric(['a'], ['a']).score;`,
    { manifests: [{ url: `${CDN}/versions.json`, json: manifest }], builtins: false },
  );
  expect(score).toBe(1);
  expect(await requestsOf(page, path)).toBe(1);
});

test('a plugin split into files keeps its relative imports, import.meta and computed import() as from its own URL', async ({ page }) => {
  const result = await inPage<{ where: Record<string, string>; first: unknown; afterOutsideCall: unknown; errors: string[] }>(
    page,
    `const report = await host.loadGroup('codex_ml.metrics');
     const where = await host.load('fixture.facts', 'relative_where');
     const metric = await host.load('codex_ml.metrics', 'relative');
     const first = metric(['a', 'b'], ['a', 'b']);
     // The helper imported by URL from outside is the instance the plugin uses.
     const helper = await import(cdn + '/plugins/relative/helper.js');
     helper.countCall();
     return { where, first, afterOutsideCall: metric(['a'], ['a']), errors: report.errors.map((e) => e.plugin) };`,
    { manifests: [`${CDN}/evaluation.json`], builtins: false, importTimeoutMs: 5000 },
  );
  expect(result.where).toEqual({ url: `${CDN}/plugins/relative/entry.js`, helper: `${CDN}/plugins/relative/helper.js`, lazy: 'lazy' });
  expect(result.first).toEqual({ score: 2, calls: 1 });
  expect(result.afterOutsideCall).toEqual({ score: 1, calls: 3 });
  expect(result.errors).not.toContain('relative');
});

test('a plugin reached through a same-origin redirect resolves its relative imports against the URL it came from', async ({ page }) => {
  // A CDN's unversioned URL redirecting to a versioned file is the common case.
  const url = `${CDN}/redirect?to=${encodeURIComponent('/plugins/relative/entry.js')}`;
  const manifest = { manifestVersion: 1, name: 'redirected', groups: { 'fixture.facts': { where: `${url}#where` } } };
  const where = await inPage<Record<string, string>>(page, `return await host.load('fixture.facts', 'where');`, {
    manifests: [{ url: `${CDN}/redirected.json`, json: manifest }],
    builtins: false,
    importTimeoutMs: 5000,
  });
  expect(where).toEqual({ url: `${CDN}/plugins/relative/entry.js`, helper: `${CDN}/plugins/relative/helper.js`, lazy: 'lazy' });
  // The checked bytes ran as they were: nothing was looked for beside the redirecting URL.
  expect(await requestsOf(page, '/helper.js')).toBe(0);
});

test('reports each way a module can fail while it is evaluated, with the page left without uncaught errors', async ({ page }) => {
  const uncaught: string[] = [];
  page.on('pageerror', (error) => uncaught.push(error.message));
  const report = await inPage<{ loaded: string[]; errors: Array<{ plugin: string; stage: string; problem: string; hint: string }>; score: number }>(
    page,
    `const report = await host.loadGroup('codex_ml.metrics');
     const score = (await host.load('codex_ml.metrics', 'default_export'))(['a', 'b', 'c'], ['a', 'b', 'c']).score;
     return { loaded: report.loaded, errors: report.errors.map(({ plugin, stage, problem, hint }) => ({ plugin, stage, problem, hint })), score };`,
    { manifests: [`${CDN}/evaluation.json`], builtins: false, importTimeoutMs: 5000 },
  );
  expect(report.loaded.sort()).toEqual(['default_export', 'relative']);
  expect(report.score).toBe(6);
  const byName = Object.fromEntries(report.errors.map((error) => [error.plugin, error]));
  expect(Object.keys(byName).sort()).toEqual(['engine_syntax', 'missing_dependency', 'rejects_after_await', 'throws_value']);
  for (const error of report.errors) expect(error.stage).toBe('import');
  expect(byName['throws_value']!.problem).toContain('importing the module failed: 42');
  expect(byName['rejects_after_await']!.problem).toContain('fixture: rejected after a top-level await');
  expect(byName['engine_syntax']!.problem).toContain('importing the module failed: Unexpected strict mode reserved word (line 3)');
  expect(byName['missing_dependency']!.problem).toContain('importing the module failed');
  expect(byName['missing_dependency']!.hint).toContain('could not be fetched');
  expect(uncaught).toEqual([]);
});

test('names the plugin’s own URL in the stack of an error it throws', async ({ page }) => {
  const stack = await inPage<string>(
    page,
    `try { await host.load('codex_ml.metrics', 'throws_at_import'); return 'loaded'; } catch (error) { return String(error.cause?.stack ?? error.cause); }`,
    { manifests: [`${CDN}/broken.json`], builtins: false },
  );
  expect(stack).toContain('fixture: this plugin fails at import');
  expect(stack).toContain(`${CDN}/plugins/throws.js:3`);
});

test('two hosts on one page get one module instance per URL', async ({ page }) => {
  const same = await inPage<boolean>(
    page,
    `const { createHost } = await import('/src/index.ts');
     const other = await createHost({ manifests: [cdn + '/good.json'], builtins: false });
     return (await host.load('codex_ml.metrics', 'char_count')) === (await other.load('codex_ml.metrics', 'char_count'));`,
    { manifests: [`${CDN}/good.json`], builtins: false },
  );
  expect(same).toBe(true);
});

test('honours a page import map’s scopes for the plugin’s URL (by importing it by URL)', async ({ page }) => {
  await page.goto('/');
  await page.evaluate((cdn) => {
    const map = document.createElement('script');
    map.type = 'importmap';
    map.textContent = JSON.stringify({
      imports: { 'scoped-lib': `${cdn}/plugins/scoped/lib-v1.js` },
      scopes: { [`${cdn}/plugins/scoped/`]: { 'scoped-lib': `${cdn}/plugins/scoped/lib-v2.js` } },
    });
    document.head.append(map);
  }, CDN);
  const score = await page.evaluate(async (cdn) => {
    const entry = '/src/index.ts';
    const { createHost } = await import(/* @vite-ignore */ entry);
    const manifest = { manifestVersion: 1, name: 'scoped', groups: { 'codex_ml.metrics': { scoped: `${cdn}/plugins/scoped/entry.js#scopedMetric` } } };
    const host = await createHost({ manifests: [{ url: `${cdn}/scoped.json`, json: manifest }], builtins: false, onWarning: () => {} });
    return (await host.load('codex_ml.metrics', 'scoped'))([], []).score;
  }, CDN);
  expect(score).toBe(2);
});

for (const [policy, requestsPerModule] of [
  ['strict', 2], // neither inline scripts nor data: URLs: the checked module is imported again by URL
  ['data', 1], // data: URLs allowed: the checked bytes run from one
] as const) {
  test(`loads plugins under a Content-Security-Policy that allows ${policy === 'strict' ? 'neither inline scripts nor data: URLs' : 'data: URLs but not inline scripts'}`, async ({ page }) => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${CDN}/csp/${policy}.html`);
    const url = `${CDN}/plugins/plain.js?${unique()}`;
    const result = await page.evaluate(
      async ({ cdn, url }) => {
        const { createHost } = await import(`${cdn}/dist/standalone.js`);
        // A module reached through a redirect, whose relative imports resolve against where it came from.
        const redirected = `${cdn}/redirect?to=${encodeURIComponent('/plugins/relative/entry.js')}#where`;
        const manifest = { manifestVersion: 1, name: 'plain', groups: { 'codex_ml.metrics': { plain: `${url}#plainMetric` }, 'fixture.facts': { where: redirected } } };
        const host = await createHost({ manifests: [{ url: `${cdn}/plain.json`, json: manifest }], builtins: false, onWarning: () => {} });
        const report = await host.loadGroup('codex_ml.metrics');
        const metric = await host.load('codex_ml.metrics', 'plain');
        const where = await host.load('fixture.facts', 'where');
        return { loaded: report.loaded, errors: report.errors.map((e: { problem: string }) => e.problem), score: metric(['a', 'b'], ['a', 'b']).score, where };
      },
      { cdn: CDN, url },
    );
    expect(result).toEqual({
      loaded: ['plain'],
      errors: [],
      score: 4,
      where: { url: `${CDN}/plugins/relative/entry.js`, helper: `${CDN}/plugins/relative/helper.js`, lazy: 'lazy' },
    });
    expect(await requestsOf(page, new URL(url).pathname + new URL(url).search)).toBe(requestsPerModule);
    expect(violations.length).toBeGreaterThan(0); // the page's policy did refuse something, so the fallback was exercised
  });
}

test('says what to add to a Content-Security-Policy that refuses WebAssembly, which the preflight needs', async ({ page }) => {
  await page.goto(`${CDN}/csp/nowasm.html`);
  const errors = await page.evaluate(async (cdn) => {
    const { createHost } = await import(`${cdn}/dist/standalone.js`);
    const manifest = { manifestVersion: 1, name: 'plain', groups: { 'codex_ml.metrics': { plain: `${cdn}/plugins/plain.js#plainMetric` } } };
    const host = await createHost({ manifests: [{ url: `${cdn}/plain.json`, json: manifest }], builtins: false, onWarning: () => {} });
    const report = await host.loadGroup('codex_ml.metrics');
    return report.errors.map((e: { code: string; stage: string; hint: string }) => ({ code: e.code, stage: e.stage, hint: e.hint }));
  }, CDN);
  expect(errors).toEqual([
    { code: 'LEXER_UNAVAILABLE', stage: 'lex', hint: expect.stringContaining("add 'wasm-unsafe-eval' to script-src") },
  ]);
});
