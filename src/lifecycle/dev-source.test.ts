import 'fake-indexeddb/auto';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../dev-server/index.ts';
import { createHost, type Host } from '../host/index.ts';
import { idbInstalledPlugins, memoryInstalledPlugins, PLUGINS_CHANGED, type PluginsChangedDetail } from './index.ts';

let folder: string;
let server: DevServer | undefined;
let host: Host | undefined;

/** Saves a file as many editors do: written beside it, then renamed over it, so the watcher sees one change. */
async function save(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp~`, text);
  await rename(`${path}.tmp~`, path);
}

const metric = (score: string) => `import { factor } from './factor.js';\nexport const ratio = Object.assign(() => ({ score: ${score} * factor }), { api: 'v1' });\n`;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'plugboard-develop-'));
  await writeFile(join(folder, 'plugins-manifest.json'), JSON.stringify({ manifestVersion: 1, name: 'mine', groups: { 'codex_ml.metrics': { ratio: './metric.js#ratio' } } }));
  await writeFile(join(folder, 'metric.js'), metric('1'));
  await writeFile(join(folder, 'factor.js'), 'export const factor = 1;\n');
  server = await startDevServer({ folder, port: 0, settleMs: 20 });
});

afterEach(async () => {
  for (const source of host?.plugins.devSources() ?? []) await host!.plugins.stopDeveloping(source.url);
  host = undefined;
  await server?.close();
  await rm(folder, { recursive: true, force: true });
});

/** Resolves with the next pb-plugins-changed whose action is `action`. */
function next(action: PluginsChangedDetail['action']): Promise<PluginsChangedDetail> {
  return new Promise((resolve) => {
    const listener = (event: Event) => {
      const detail = (event as CustomEvent<PluginsChangedDetail>).detail;
      if (detail.action !== action) return;
      host!.plugins.removeEventListener(PLUGINS_CHANGED, listener);
      resolve(detail);
    };
    host!.plugins.addEventListener(PLUGINS_CHANGED, listener);
  });
}

const score = async () => (await host!.load<() => { score: number }>('codex_ml.metrics', 'ratio'))().score;

describe('host.plugins.develop', () => {
  it('refuses the dev server origin until the person confirms it, and keeps nothing', async () => {
    host = await createHost({ builtins: false, cacheFolder: false, onWarning: () => {} });
    const review = await host.plugins.inspectDevelopment(server!.manifestUrl);
    expect(review.origins).toEqual([{ origin: new URL(server!.url).origin, allowed: false }]);
    expect(review.entries.map((entry) => entry.name)).toEqual(['ratio']);
    await expect(host.plugins.develop(server!.manifestUrl)).rejects.toMatchObject({ code: 'ORIGIN_NOT_ALLOWED', stage: 'origin' });
    expect(host.plugins.devSources()).toEqual([]);
    expect(host.discover('codex_ml.metrics')).toEqual([]);
  });

  it('lists the plugins as unpinned development plugins and reloads them in place when a file changes', async () => {
    host = await createHost({ builtins: false, cacheFolder: false, onWarning: () => {} });
    const status = await host.plugins.develop(server!.manifestUrl, { allowOrigin: true });
    expect(status).toMatchObject({ url: server!.manifestUrl, state: 'connected', generation: 1, problems: [] });
    expect(status.plugins).toEqual([{ group: 'codex_ml.metrics', name: 'ratio', url: `${server!.url}@dev/1/metric.js` }]);
    expect(host.plugins.list()).toEqual([expect.objectContaining({ name: 'ratio', development: true, installed: false, status: 'loaded', source: server!.manifestUrl })]);
    expect(host.plugins.list()[0]!.integrity).toBeUndefined();
    expect(await score()).toBe(1);

    // A module the entry imports changed: the next generation's URLs import it afresh too.
    const reloaded = next('reload');
    await save(join(folder, 'factor.js'), 'export const factor = 3;\n');
    expect(await reloaded).toEqual({ action: 'reload', plugins: [{ group: 'codex_ml.metrics', name: 'ratio' }] });
    expect(host.plugins.devSources()[0]).toMatchObject({ generation: 2, state: 'connected' });
    expect(host.registry('codex_ml.metrics').has('ratio')).toBe(true);
    expect(await score()).toBe(3);
  });

  it('shows a plugin that now fails with its stage and hint, and recovers when it is fixed', async () => {
    host = await createHost({ builtins: false, cacheFolder: false, onWarning: () => {} });
    await host.plugins.develop(server!.manifestUrl, { allowOrigin: true });
    const broken = next('reload');
    await save(join(folder, 'metric.js'), 'export const ratio = 42;\n');
    await broken;
    const [failed] = host.plugins.list();
    expect(failed).toMatchObject({ name: 'ratio', development: true, status: 'failed', error: { stage: 'validate', group: 'codex_ml.metrics', plugin: 'ratio', url: `${server!.url}@dev/2/metric.js` } });
    expect(failed!.error!.hint).toBeTruthy();
    const fixed = next('reload');
    await save(join(folder, 'metric.js'), metric('2'));
    await fixed;
    expect(host.plugins.list()[0]).toMatchObject({ status: 'loaded' });
    expect(await score()).toBe(2);
  });

  it('keeps the last good plugins while the manifest is broken and shows its problems', async () => {
    host = await createHost({ builtins: false, cacheFolder: false, onWarning: () => {} });
    await host.plugins.develop(server!.manifestUrl, { allowOrigin: true });
    const reloaded = next('reload');
    await save(join(folder, 'plugins-manifest.json'), '{ "manifestVersion": 1, "groups": ');
    await reloaded;
    const [source] = host.plugins.devSources();
    expect(source!.problems).toEqual([expect.objectContaining({ code: 'MANIFEST_NOT_JSON', url: expect.stringMatching(/^file:.*\/plugins-manifest\.json$/) })]);
    expect(await score()).toBe(1);
  });

  it('gives each name back its manifest plugin when developing stops', async () => {
    const base = join(folder, 'base-manifest.json');
    await writeFile(join(folder, 'base.js'), "export const ratio = Object.assign(() => ({ score: -1 }), { api: 'v1' });\n");
    await writeFile(base, JSON.stringify({ manifestVersion: 1, groups: { 'codex_ml.metrics': { ratio: './base.js#ratio' } } }));
    host = await createHost({ builtins: false, cacheFolder: false, manifests: [base], onWarning: () => {} });
    await host.plugins.develop(server!.manifestUrl, { allowOrigin: true });
    expect(await score()).toBe(1);
    const stopped = next('stop-developing');
    await host.plugins.stopDeveloping(server!.manifestUrl);
    expect(await stopped).toEqual({ action: 'stop-developing', plugins: [{ group: 'codex_ml.metrics', name: 'ratio' }] });
    expect(host.plugins.devSources()).toEqual([]);
    expect(await score()).toBe(-1);
    expect(host.plugins.list()[0]).not.toHaveProperty('development');
  });

  it('says the dev server cannot be reached, naming how to start one, when nothing serves the stream', async () => {
    host = await createHost({ builtins: false, cacheFolder: false, onWarning: () => {} });
    // A plain static server: it serves the manifest, but no change stream.
    const plain = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ manifestVersion: 1, groups: {} }));
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(plain.address() as { port: number }).port}/plugins-manifest.json`;
    await expect(host.plugins.develop(url, { allowOrigin: true })).rejects.toMatchObject({ code: 'DEV_SERVER_UNREACHABLE', hint: expect.stringContaining('plugboard dev') });
    plain.close();
    expect(host.plugins.devSources()).toEqual([]);
  });

  it('follows the kept dev servers again after a reload, and forgets one when developing stops', async () => {
    const store = memoryInstalledPlugins();
    const first = await createHost({ builtins: false, cacheFolder: false, installedPlugins: store, onWarning: () => {} });
    await first.plugins.develop(server!.manifestUrl, { allowOrigin: true });
    expect(await store.readDevSources!()).toEqual([server!.manifestUrl]);

    // The page reloaded: a new host over the same store, whose person confirmed the origin before.
    host = await createHost({ builtins: false, cacheFolder: false, installedPlugins: store, onWarning: () => {} });
    const [resumed] = await host.plugins.resumeDevelopment();
    expect(resumed).toMatchObject({ url: server!.manifestUrl, state: 'connected', generation: 1 });
    expect(host.plugins.list()).toEqual([expect.objectContaining({ name: 'ratio', development: true, status: 'loaded' })]);
    expect(await score()).toBe(1);

    await first.plugins.stopDeveloping(server!.manifestUrl);
    expect(await store.readDevSources!()).toEqual([]);
  });

  it('keeps trying a kept dev server that is not running yet, and follows it once it starts', async () => {
    const port = Number(new URL(server!.url).port);
    await server!.close();
    server = undefined;
    const store = memoryInstalledPlugins();
    await store.writeDevSources!([`http://127.0.0.1:${port}/plugins-manifest.json`]);
    host = await createHost({ builtins: false, cacheFolder: false, installedPlugins: store, onWarning: () => {} });
    const [waiting] = await host.plugins.resumeDevelopment();
    expect(waiting).toMatchObject({ state: 'lost', generation: 0, plugins: [], problems: [expect.objectContaining({ code: 'DEV_SERVER_UNREACHABLE' })] });
    const developing = next('develop');
    server = await startDevServer({ folder, port, settleMs: 20 });
    await developing;
    expect(host.plugins.devSources()[0]).toMatchObject({ state: 'connected', generation: 1, problems: [] });
    expect(await score()).toBe(1);
  });

  it('says the connection is lost, with what to do, when the dev server stops, and keeps the plugins in force', async () => {
    host = await createHost({ builtins: false, cacheFolder: false, onWarning: () => {} });
    await host.plugins.develop(server!.manifestUrl, { allowOrigin: true });
    const lost = next('reload');
    await server!.close();
    server = undefined;
    await lost;
    expect(host.plugins.devSources()[0]).toMatchObject({
      state: 'lost',
      problems: [{ code: 'DEV_SERVER_LOST', url: expect.stringContaining('/plugins-manifest.json'), problem: expect.stringContaining('closed the change stream'), hint: expect.stringContaining('plugboard dev') }],
    });
    expect(host.plugins.list()[0]).toMatchObject({ development: true, status: 'loaded' });
  });

  it('does not map an import a change adds on an origin that was never confirmed, and says so', async () => {
    host = await createHost({ builtins: false, cacheFolder: false, onWarning: () => {} });
    await host.plugins.develop(server!.manifestUrl, { allowOrigin: true });
    const reloaded = next('reload');
    await save(join(folder, 'plugins-manifest.json'), JSON.stringify({ manifestVersion: 1, imports: { lib: 'https://cdn.example/lib.js' }, groups: { 'codex_ml.metrics': { ratio: './metric.js#ratio' } } }));
    await reloaded;
    expect(host.plugins.devSources()[0]!.problems).toEqual([
      expect.objectContaining({ code: 'ORIGIN_NOT_ALLOWED', stage: 'origin', url: 'https://cdn.example/lib.js', field: 'imports["lib"]', hint: expect.stringContaining('connect the dev server again') }),
    ]);
    expect(await score()).toBe(1);
  });

  it('keeps a development plugin in force while a plugin of the same name is installed and uninstalled, and gives the name back after', async () => {
    host = await createHost({ builtins: false, cacheFolder: false, onWarning: () => {} });
    await host.plugins.develop(server!.manifestUrl, { allowOrigin: true });
    // Outside the folder the dev server watches, so installing it changes nothing there.
    const elsewhere = await mkdtemp(join(tmpdir(), 'plugboard-installed-'));
    await writeFile(join(elsewhere, 'installed.js'), "export const ratio = Object.assign(() => ({ score: 9 }), { api: 'v1' });\n");
    const installed = pathToFileURL(join(elsewhere, 'installed.js')).href;
    await host.plugins.install(`${installed}#ratio`, { module: { group: 'codex_ml.metrics', name: 'ratio' }, allowOrigin: true });
    expect(host.plugins.list()).toEqual([expect.objectContaining({ name: 'ratio', development: true, installed: false })]);
    expect(await score()).toBe(1);
    await host.plugins.stopDeveloping(server!.manifestUrl);
    expect(await score()).toBe(9);
    await host.plugins.develop(server!.manifestUrl);
    await host.plugins.uninstall('codex_ml.metrics', 'ratio');
    expect(await score()).toBe(1);
    await rm(elsewhere, { recursive: true, force: true });
  });
});

describe('idbInstalledPlugins and dev servers', () => {
  it('keeps the dev servers followed across opening the database again', async () => {
    const name = `dev-sources-${Math.random()}`;
    await idbInstalledPlugins(name).writeDevSources!(['http://127.0.0.1:5183/plugins-manifest.json']);
    expect(await idbInstalledPlugins(name).readDevSources!()).toEqual(['http://127.0.0.1:5183/plugins-manifest.json']);
    expect(await idbInstalledPlugins(`${name}-empty`).readDevSources!()).toEqual([]);
  });

  it('reports a kept list that is not a list of URLs as INVALID_DEV_SOURCES with its field and what to do', async () => {
    const name = `dev-sources-bad-${Math.random()}`;
    const { openPlugboardDB } = await import('../storage/index.ts');
    const db = await openPlugboardDB(name);
    await db.put('meta', { key: 'devSources', value: '{"not":"a list"}' });
    await expect(idbInstalledPlugins(name).readDevSources!()).rejects.toMatchObject({
      code: 'INVALID_DEV_SOURCES',
      field: 'meta.devSources',
      problem: expect.stringContaining('not a list of URLs'),
      hint: expect.stringContaining('Develop'),
    });
  });
});
