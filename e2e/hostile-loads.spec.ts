// Loads that must hold against hostile servers and plugins, in real Chromium with the fixture CDN as the second origin.
import { expect, test } from '@playwright/test';
import { CDN } from '../playwright.config.ts';
import { inPage } from './in-page.ts';

/** The same server under another name: a third origin, which allowedOrigins does not list. */
const OTHER = CDN.replace('127.0.0.1', 'localhost');
const inline = (groups: Record<string, unknown>) => ({ url: `${CDN}/inline.json`, json: { manifestVersion: 1, groups: { 'codex_ml.metrics': groups } } });

test('refuses a plugin whose URL redirects to an origin outside allowedOrigins, naming both URLs', async ({ page }) => {
  const target = `${OTHER}/plugins/victim.js`;
  const url = `${CDN}/redirect?to=${encodeURIComponent(target)}`;
  const error = await inPage<{ code: string; stage: string; message: string; ran: boolean }>(
    page,
    `try { await host.load('codex_ml.metrics', 'redirected'); return { code: 'none' }; }
     catch (e) { return { code: e.code, stage: e.stage, message: e.message }; }`,
    { manifests: [inline({ redirected: `${url}#victim` })], builtins: false, allowedOrigins: ['self', CDN] },
  );
  expect(error.code).toBe('ORIGIN_NOT_ALLOWED');
  expect(error.stage).toBe('origin');
  expect(error.message).toContain(url);
  expect(error.message).toContain(target);
});

test('settles loadGroup when a server never ends a body, reporting the good plugin beside it; a caller can abort a load', async ({ page }) => {
  const result = await inPage<{ loaded: string[]; errors: Array<{ name: string; stage: string; code: string }>; aborted: string; ms: number }>(
    page,
    `const started = performance.now();
     const report = await host.loadGroup('codex_ml.metrics');
     const ms = performance.now() - started;
     const controller = new AbortController();
     const loading = host.load('codex_ml.metrics', 'stuck', { signal: controller.signal });
     controller.abort();
     const aborted = await loading.then(() => 'loaded', (e) => e.code);
     return { loaded: report.loaded, errors: report.errors.map((e) => ({ name: e.plugin, stage: e.stage, code: e.code })), aborted, ms };`,
    { manifests: [inline({ stuck: './never-ends.js#neverEnds', fine: './plugins/victim.js#victim' })], builtins: false, allowedOrigins: ['self', CDN], importTimeoutMs: 1000 },
  );
  expect(result.loaded).toEqual(['fine']);
  expect(result.errors).toEqual([{ name: 'stuck', stage: 'timeout', code: 'FETCH_TIMEOUT' }]);
  expect(result.ms).toBeLessThan(5000);
  expect(result.aborted).toBe('LOAD_ABORTED');
});

test('a plugin that replaces fetch, the body reader and the digest cannot change what later loads read or check', async ({ page }) => {
  const result = await inPage<{ patched: boolean; victim: number; forged: { code: string; stage: string } }>(
    page,
    `await host.load('codex_ml.metrics', 'hostile');
     const patched = globalThis.fetch.name !== 'fetch';
     const victim = (await host.load('codex_ml.metrics', 'victim'))().score;
     const forged = await host.load('codex_ml.metrics', 'forged').then(() => ({ code: 'loaded' }), (e) => ({ code: e.code, stage: e.stage }));
     return { patched, victim, forged };`,
    { manifests: [`${CDN}/hostile.json`], builtins: false, allowedOrigins: ['self', CDN] },
  );
  expect(result.patched).toBe(true);
  expect(result.victim).toBe(1);
  expect(result.forged).toEqual({ code: 'INTEGRITY_MISMATCH', stage: 'integrity' });
});

test('reports a syntax error at its real line and column, whether the lexer or only the engine finds it', async ({ page }) => {
  const errors = await inPage<Record<string, { code: string; stage: string; field: string }>>(
    page,
    `const report = await host.loadGroup('codex_ml.metrics');
     return Object.fromEntries(report.errors.map((e) => [e.plugin, { code: e.code, stage: e.stage, field: e.field }]));`,
    {
      manifests: [inline({ unclosed: './plugins/unclosed.js#metric', engine_syntax: './plugins/evaluation/engine-syntax.js#metric' })],
      builtins: false,
      allowedOrigins: ['self', CDN],
    },
  );
  expect(errors).toEqual({
    unclosed: { code: 'MODULE_SYNTAX', stage: 'lex', field: 'line 2, column 41' },
    engine_syntax: { code: 'IMPORT_FAILED', stage: 'import', field: 'line 3, column 5' },
  });
});

test('refuses an import-map target outside allowedOrigins, so a plugin importing it fails before it runs', async ({ page }) => {
  const target = `${OTHER}/plugins/shared-text.js`;
  const result = await inPage<{ report: Array<{ code: string; stage: string; field: string; url: string }>; load: string }>(
    page,
    `const load = await host.load('codex_ml.metrics', 'loud').then(() => 'loaded', (e) => e.code);
     return { report: host.report().filter((e) => e.stage === 'manifest').map((e) => ({ code: e.code, stage: e.stage, field: e.field, url: e.url })), load };`,
    {
      manifests: [{ url: `${CDN}/inline.json`, json: { manifestVersion: 1, imports: { 'shared-text': target }, groups: { 'codex_ml.metrics': { loud: './plugins/mapped.js#loud' } } } }],
      builtins: false,
      allowedOrigins: ['self', CDN],
    },
  );
  expect(result.report).toEqual([{ code: 'ORIGIN_NOT_ALLOWED', stage: 'manifest', field: 'imports["shared-text"]', url: target }]);
  expect(result.load).toBe('UNMAPPED_IMPORT');
});
