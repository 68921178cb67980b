import 'fake-indexeddb/auto';
import { createServer } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../host/index.ts';
import { memoryInstalledPlugins, PluginBundleSchema } from './index.ts';

let folder: string;
let counter = 0;
const quiet = { onWarning: () => {} };
async function module(score: number): Promise<string> {
  const file = join(folder, `bundled-${++counter}.js`);
  await writeFile(file, `export const metric = Object.assign(() => ({ score: ${score} }), { api: 'v1' });\n`);
  return pathToFileURL(file).href;
}
async function hostWith(score: number) {
  const host = await createHost({ builtins: false, installedPlugins: memoryInstalledPlugins(), ...quiet });
  const url = await module(score);
  await host.plugins.install(`${url}#metric`, { module: { group: 'codex_ml.metrics', name: `m${score}`, version: '1.2.0' } });
  return { host, url };
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'plugboard-bundle-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('freeze and bundle', () => {
  it('freezes the installed set as a lock with versions and pins', async () => {
    const { host, url } = await hostWith(3);
    const lock = host.plugins.freeze();
    expect(lock.plugins).toEqual([expect.objectContaining({ name: 'm3', url, version: '1.2.0', integrity: expect.stringMatching(/^sha384-/) })]);
  });

  it('bundles each module with its bytes and pin, and another host installs the bundle', async () => {
    const { host, url } = await hostWith(4);
    const bundle = JSON.parse(JSON.stringify(await host.plugins.bundle())) as unknown;
    const parsed = PluginBundleSchema.parse(bundle);
    expect(Buffer.from(parsed.modules[url]!.base64, 'base64').toString()).toContain('score: 4');
    expect(parsed.modules[url]!.integrity).toBe(parsed.plugins[0]!.integrity);

    const target = await createHost({ builtins: false, installedPlugins: memoryInstalledPlugins(), ...quiet });
    const installed = await target.plugins.installBundle(bundle);
    expect(installed.map((plugin) => plugin.name)).toEqual(['m4']);
    expect(((await target.load('codex_ml.metrics', 'm4')) as () => { score: number })().score).toBe(4);
  });

  it('refuses bundled bytes that do not match their pin, naming the plugin and URL, and keeps nothing', async () => {
    const { host, url } = await hostWith(5);
    const bundle = await host.plugins.bundle();
    bundle.modules[url]!.base64 = Buffer.from('export const metric = () => ({ score: 666 });\n').toString('base64');
    const store = memoryInstalledPlugins();
    const target = await createHost({ builtins: false, installedPlugins: store, ...quiet });
    const refusal = target.plugins.installBundle(bundle);
    await expect(refusal).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH', group: 'codex_ml.metrics', plugin: 'm5', url });
    await expect(refusal).rejects.toThrow(/m5.*do not match its pin/s);
    expect((await store.read()).plugins).toEqual([]);
  });

  it('refuses a bundle that holds no bytes for a plugin, and a file that is not a bundle, naming the field', async () => {
    const { host, url } = await hostWith(6);
    const bundle = await host.plugins.bundle();
    delete bundle.modules[url];
    const target = await createHost({ builtins: false, installedPlugins: memoryInstalledPlugins(), ...quiet });
    await expect(target.plugins.installBundle(bundle)).rejects.toMatchObject({ code: 'MISSING_BUNDLED_MODULE', plugin: 'm6', url });
    await expect(target.plugins.installBundle({ plugboardBundle: 1, plugins: [], modules: { [url]: { integrity: 'md5-x', base64: '' } } })).rejects.toMatchObject({
      code: 'INVALID_BUNDLE',
      field: `modules.${url}.integrity`,
    });
  });

  it('in Node installs a bundle of an http module with the server stopped, from the bytes it holds', async () => {
    const body = "export const metric = Object.assign(() => ({ score: 8 }), { api: 'v1' });\n";
    const server = createServer((_, response) => response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const url = `${origin}/bundled-http.js`;
    const source = await createHost({ builtins: false, installedPlugins: memoryInstalledPlugins(), cacheFolder: join(folder, 'cache-from'), allowedOrigins: [origin], ...quiet });
    await source.plugins.install(`${url}#metric`, { module: { group: 'codex_ml.metrics', name: 'http8' } });
    const bundle = await source.plugins.bundle();
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const target = await createHost({ builtins: false, installedPlugins: memoryInstalledPlugins(), cacheFolder: join(folder, 'cache-to'), ...quiet });
    await target.plugins.installBundle(bundle, { allowOrigin: true });
    expect(((await target.load('codex_ml.metrics', 'http8')) as () => { score: number })().score).toBe(8);
  });

  it('holds the bytes of every module a plugin imports; another Node host installs it with the server stopped and refuses a changed imported module', async () => {
    const files = new Map([
      ['/multi/entry.js', "import { twice } from './lib/helper.js';\nexport const metric = Object.assign(() => ({ score: twice(9) }), { api: 'v1' });\n"],
      ['/multi/lib/helper.js', "import { one } from './one.js';\nexport const twice = (x) => 2 * x + one - 1;\n"],
      ['/multi/lib/one.js', 'export const one = 1;\n'],
    ]);
    const server = createServer((request, response) => {
      const body = files.get(request.url ?? '');
      if (body === undefined) response.writeHead(404).end();
      else response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const source = await createHost({ builtins: false, installedPlugins: memoryInstalledPlugins(), cacheFolder: false, allowedOrigins: [origin], ...quiet });
    await source.plugins.install(`${origin}/multi/entry.js#metric`, { module: { group: 'codex_ml.metrics', name: 'multi18' } });
    const bundle = await source.plugins.bundle();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const helper = `${origin}/multi/lib/helper.js`;
    expect(Object.keys(bundle.modules).sort()).toEqual([`${origin}/multi/entry.js`, helper, `${origin}/multi/lib/one.js`]);
    expect(Buffer.from(bundle.modules[helper]!.base64, 'base64').toString()).toBe(files.get('/multi/lib/helper.js'));
    expect(bundle.modules[helper]!.integrity).toBe(bundle.plugins[0]!.modules![helper]);

    const tampered = structuredClone(bundle);
    tampered.modules[helper]!.base64 = Buffer.from('export const twice = () => 666;\n').toString('base64');
    const store = memoryInstalledPlugins();
    const refused = await createHost({ builtins: false, installedPlugins: store, cacheFolder: join(folder, 'cache-tampered'), ...quiet });
    const refusal = refused.plugins.installBundle(tampered, { allowOrigin: true });
    await expect(refusal).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH', plugin: 'multi18', url: helper, field: `modules.${helper}` });
    await expect(refusal).rejects.toThrow(/which codex_ml\.metrics\/multi18 imports do not match its pin/);
    expect((await store.read()).plugins).toEqual([]);
    const missing = structuredClone(bundle);
    delete missing.modules[`${origin}/multi/lib/one.js`];
    await expect(refused.plugins.installBundle(missing, { allowOrigin: true })).rejects.toMatchObject({ code: 'MISSING_BUNDLED_MODULE', url: `${origin}/multi/lib/one.js` });

    const target = await createHost({ builtins: false, installedPlugins: memoryInstalledPlugins(), cacheFolder: join(folder, 'cache-multi'), ...quiet });
    await target.plugins.installBundle(bundle, { allowOrigin: true });
    expect(((await target.load('codex_ml.metrics', 'multi18')) as () => { score: number })().score).toBe(18);
  });
});
