import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handle } from '../../e2e/cdn-server.js';
import { PlugboardError } from '../errors/index.ts';
import type { EntryPoint } from '../manifest/index.ts';
import { defaultEnvironment } from './environment.ts';
import { PluginLoader } from './plugin-loader.ts';

// Two origins serving the fixture CDN: A is allowed, B is not.
let servers: Server[] = [];
let allowed: string;
let other: string;

async function serve(): Promise<string> {
  const server = createServer(handle);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

beforeAll(async () => {
  [allowed, other] = await Promise.all([serve(), serve()]);
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  servers = [];
});

const loaderFor = (importTimeoutMs = 5000) =>
  new PluginLoader({ environment: defaultEnvironment({ cacheFolder: false }), allowedOrigins: new Set([allowed]), importTimeoutMs });

const entry = (name: string, url: string, exportName: string, integrity?: string): EntryPoint => ({
  group: 'codex_ml.metrics',
  name,
  url,
  export: exportName,
  source: `${allowed}/inline.json`,
  ...(integrity ? { integrity } : {}),
});

async function failure(loading: Promise<unknown>): Promise<PlugboardError> {
  try {
    await loading;
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(PlugboardError);
    return thrown as PlugboardError;
  }
  throw new Error('the load did not fail');
}

describe('PluginLoader and redirects', () => {
  it('refuses a module whose URL redirects to an origin outside allowedOrigins, naming both URLs', async () => {
    const target = `${other}/plugins/victim.js`;
    const url = `${allowed}/redirect?to=${encodeURIComponent(target)}`;
    const error = await failure(loaderFor().load(entry('redirected', url, 'victim')));
    expect({ code: error.code, stage: error.stage, group: error.group, plugin: error.plugin, url: error.url }).toEqual({
      code: 'ORIGIN_NOT_ALLOWED', stage: 'origin', group: 'codex_ml.metrics', plugin: 'redirected', url,
    });
    expect(error.problem).toContain(url);
    expect(error.problem).toContain(target);
    expect(error.hint).toContain(`"${other}"`);
  });

  it('follows a redirect that stays within the allowed origins', async () => {
    const url = `${allowed}/redirect?to=${encodeURIComponent(`${allowed}/plugins/victim.js`)}`;
    const plugin = (await loaderFor().load(entry('same_origin', url, 'victim'))) as () => { score: number };
    expect(plugin()).toEqual({ score: 1 });
  });

  it('resolves a redirected module’s relative imports and import.meta.url against the URL it came from, as a browser does', async () => {
    const url = `${allowed}/redirect?to=${encodeURIComponent('/plugins/relative/entry.js')}`;
    const where = await loaderFor().load({ ...entry('redirected_relative', url, 'where'), group: 'fixture.facts' });
    expect(where).toEqual({ url: `${allowed}/plugins/relative/entry.js`, helper: `${allowed}/plugins/relative/helper.js`, lazy: 'lazy' });
  });
});

describe('PluginLoader deadlines', () => {
  it('fails with FETCH_TIMEOUT when the body never ends, within importTimeoutMs', { timeout: 5000 }, async () => {
    const started = Date.now();
    const error = await failure(loaderFor(300).load(entry('never_ends', `${allowed}/never-ends.js`, 'neverEnds')));
    expect(Date.now() - started).toBeLessThan(2000);
    expect({ code: error.code, stage: error.stage, plugin: error.plugin, url: error.url }).toEqual({
      code: 'FETCH_TIMEOUT', stage: 'timeout', plugin: 'never_ends', url: `${allowed}/never-ends.js`,
    });
    expect(error.problem).toContain('within 300 ms');
    expect(error.problem).toContain('fetch stage');
    expect(error.hint).toContain('importTimeoutMs');
  });

  it('stops waiting when the caller’s signal aborts, with LOAD_ABORTED at the stage reached', { timeout: 5000 }, async () => {
    const controller = new AbortController();
    const loading = loaderFor(60_000).load(entry('never_ends', `${allowed}/never-ends.js`, 'neverEnds'), { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const error = await failure(loading);
    expect({ code: error.code, stage: error.stage, plugin: error.plugin }).toEqual({ code: 'LOAD_ABORTED', stage: 'fetch', plugin: 'never_ends' });
    expect(error.hint).toContain('AbortSignal');
  });

  it('ends the fetch by its own deadline after the only caller waiting on it aborted', { timeout: 5000 }, async () => {
    const loader = loaderFor(300);
    const controller = new AbortController();
    const url = `${allowed}/never-ends.js?after-abort`;
    const requests = async () => Number(await (await fetch(`${allowed}/__requests?url=${encodeURIComponent('/never-ends.js?after-abort')}`)).text());
    const loading = loader.load(entry('never_ends', url, 'neverEnds'), { signal: controller.signal });
    controller.abort();
    expect((await failure(loading)).code).toBe('LOAD_ABORTED');
    await new Promise((resolve) => setTimeout(resolve, 600));
    // The fetch was given up, so a new load fetches afresh (and times out on its own deadline) instead of joining a dead one.
    expect((await failure(loader.load(entry('never_ends', url, 'neverEnds')))).code).toBe('FETCH_TIMEOUT');
    expect(await requests()).toBe(2);
  });

  it('rejects at once for a signal that is already aborted', async () => {
    const error = await failure(loaderFor().load(entry('plain', `${allowed}/plugins/plain.js`, 'plainMetric'), { signal: AbortSignal.abort() }));
    expect(error.code).toBe('LOAD_ABORTED');
  });
});

describe('PluginLoader against a hostile plugin', () => {
  it('keeps the fetch, body reader and digest it started with after a plugin replaces them', async () => {
    const loader = loaderFor();
    const hostile = `${allowed}/plugins/hostile.js`;
    await loader.load(entry('hostile', hostile, 'hostile'));
    try {
      expect(globalThis.fetch.name).not.toBe('fetch'); // the plugin did replace it
      const victim = (await loader.load(entry('victim', `${allowed}/plugins/victim.js`, 'victim'))) as () => { score: number };
      expect(victim()).toEqual({ score: 1 });
      const forged = await failure(loader.load(entry('forged', `${allowed}/plugins/plain.js`, 'plainMetric', `sha384-${'A'.repeat(64)}`)));
      expect({ code: forged.code, stage: forged.stage }).toEqual({ code: 'INTEGRITY_MISMATCH', stage: 'integrity' });
    } finally {
      ((await import(/* @vite-ignore */ hostile)) as { restore(): void }).restore();
    }
  });
});

describe('PluginLoader validating a plugin that throws when read', () => {
  const throwing = new URL('../../e2e/fixtures/cdn/plugins/throwing.js', import.meta.url).href;
  const fileLoader = () => new PluginLoader({ environment: defaultEnvironment({ cacheFolder: false }), allowedOrigins: new Set(['file://']), importTimeoutMs: 5000 });

  for (const [exportName, thrown] of [
    ['throwingGetter', 'fixture: the api getter throws'],
    ['throwingProxy', 'fixture: the proxy refuses'],
    ['revokedProxy', 'revoked'],
  ] as const) {
    it(`reports ${exportName} as INVALID_PLUGIN at stage validate, naming the export`, async () => {
      const error = await failure(fileLoader().load({ ...entry(exportName, throwing, exportName), source: throwing }));
      expect({ code: error.code, stage: error.stage, group: error.group, plugin: error.plugin, url: error.url }).toEqual({
        code: 'INVALID_PLUGIN', stage: 'validate', group: 'codex_ml.metrics', plugin: exportName, url: throwing,
      });
      expect(error.problem).toContain(`export "${exportName}"`);
      expect(error.problem).toContain(thrown);
      expect(error.hint).toContain('getter or Proxy');
    });
  }
});

describe('PluginLoader on syntax errors', () => {
  const fixture = (name: string) => new URL(`../../e2e/fixtures/cdn/plugins/${name}`, import.meta.url).href;
  const fileLoader = () => new PluginLoader({ environment: defaultEnvironment({ cacheFolder: false }), allowedOrigins: new Set(['file://']), importTimeoutMs: 5000 });

  it('reports an error the lexer finds only at the end of the text at its real place', async () => {
    const url = fixture('unclosed.js');
    const error = await failure(fileLoader().load({ ...entry('unclosed', url, 'metric'), source: url }));
    expect({ code: error.code, stage: error.stage, field: error.field }).toEqual({ code: 'MODULE_SYNTAX', stage: 'lex', field: 'line 2, column 41' });
  });

  it('reports where the engine refused a module the lexer took', async () => {
    const url = fixture('evaluation/engine-syntax.js');
    const error = await failure(fileLoader().load({ ...entry('engine_syntax', url, 'metric'), source: url }));
    expect({ code: error.code, stage: error.stage, field: error.field }).toEqual({ code: 'IMPORT_FAILED', stage: 'import', field: 'line 3, column 5' });
    expect(error.problem).toContain('importing the module failed: Unexpected strict mode reserved word');
  });
});
