import 'fake-indexeddb/auto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { readCatalog, searchCatalogs } from '../catalog/index.ts';
import { defaultEnvironment, type LoaderEnvironment } from '../loader/index.ts';
import { PlugboardError } from '../errors/index.ts';
import { createHost } from '../host/index.ts';
import { idbInstalledPlugins, memoryInstalledPlugins, PLUGINS_CHANGED, type PluginsChangedDetail } from './index.ts';

let folder: string;
let counter = 0;
const quiet = { onWarning: () => {} };
const fileUrl = (name: string) => pathToFileURL(join(folder, name)).href;
/** Each test writes its own module files: Node keeps a module per URL for the whole process. */
async function module(score: number): Promise<string> {
  const name = `metric-${++counter}.js`;
  await writeFile(join(folder, name), `export const metric = Object.assign(() => ({ score: ${score} }), { api: 'v1' });\nexport const broken = 42;\n`);
  return fileUrl(name);
}
async function manifest(entries: Record<string, unknown>, imports?: Record<string, string>): Promise<string> {
  const name = `manifest-${++counter}.json`;
  await writeFile(join(folder, name), JSON.stringify({ manifestVersion: 1, name: 'team', ...(imports ? { imports } : {}), groups: { 'codex_ml.metrics': entries } }));
  return fileUrl(name);
}
const score = async (host: Awaited<ReturnType<typeof createHost>>, name: string) =>
  (await host.load<() => { score: number }>('codex_ml.metrics', name))().score;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'plugboard-lifecycle-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** A server of module files that a test can change while it runs. */
async function serve(files: Map<string, string>): Promise<{ origin: string; server: Server }> {
  const server = createServer((request, response) => {
    const body = files.get(new URL(request.url ?? '/', 'http://x').pathname);
    if (body === undefined) response.writeHead(404).end();
    else response.writeHead(200, { 'Content-Type': request.url?.endsWith('.json') ? 'application/json' : 'text/javascript' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

describe('host.plugins', () => {
  it('installs a module under a group and name, pins its SHA-384, registers it and fires pb-plugins-changed', async () => {
    const host = await createHost({ builtins: false, ...quiet });
    const events: PluginsChangedDetail[] = [];
    host.plugins.addEventListener(PLUGINS_CHANGED, (event) => events.push((event as CustomEvent<PluginsChangedDetail>).detail));
    const url = await module(7);
    const [installed] = await host.plugins.install(`${url}#metric`, { module: { group: 'codex_ml.metrics', name: 'seven' } });
    expect(installed).toMatchObject({ group: 'codex_ml.metrics', name: 'seven', url, export: 'metric', source: url, enabled: true });
    expect(installed!.integrity).toMatch(/^sha384-[A-Za-z0-9+/]{64}$/);
    expect(host.registry('codex_ml.metrics').names()).toEqual(['seven']);
    expect(await score(host, 'seven')).toBe(7);
    expect(events.map((event) => event.action)).toContain('install');
    expect(host.plugins.list()).toEqual([expect.objectContaining({ name: 'seven', installed: true, status: 'loaded', integrity: installed!.integrity })]);
  });

  it('keeps nothing when a module fails its group contract', async () => {
    const store = memoryInstalledPlugins();
    const host = await createHost({ builtins: false, installedPlugins: store, ...quiet });
    const url = await module(1);
    await expect(host.plugins.install(`${url}#broken`, { module: { group: 'codex_ml.metrics', name: 'broken' } })).rejects.toMatchObject({ stage: 'validate' });
    expect((await store.read()).plugins).toEqual([]);
    expect(host.discover('codex_ml.metrics')).toEqual([]);
  });

  it('shows what an install would keep before keeping anything, and adds an origin only when confirmed', async () => {
    const store = memoryInstalledPlugins();
    const host = await createHost({ builtins: false, allowedOrigins: ['https://cdn.example'], installedPlugins: store, ...quiet });
    const url = await manifest({ a: `./${(await module(1)).split('/').pop()}#metric` });
    const plan = await host.plugins.inspect(url);
    expect(plan.origins).toEqual([{ origin: 'file://', allowed: false }]);
    expect(plan.entries).toEqual([expect.objectContaining({ group: 'codex_ml.metrics', name: 'a', pinnedOnFirstUse: true, integrity: expect.stringMatching(/^sha384-/) })]);
    await expect(host.plugins.install(plan)).rejects.toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' });
    expect((await store.read()).plugins).toEqual([]);
    const [installed] = await host.plugins.install(plan, { allowOrigin: true });
    expect(installed!.integrity).toBe(plan.entries[0]!.integrity);
    expect(installed!.source).toBe(url);
  });

  it('refuses a plugin made for another Plugboard at install, naming both versions', async () => {
    const host = await createHost({ builtins: false, ...quiet });
    const url = await manifest({ later: { url: `./${(await module(1)).split('/').pop()}`, export: 'metric', host: '>=0.5' } });
    await expect(host.plugins.install(url)).rejects.toMatchObject({ code: 'INCOMPATIBLE_HOST', problem: 'the plugin works with Plugboard >=0.5; this is Plugboard 0.1.0' });
  });

  it('disables (out of the registry, load refused), enables and uninstalls without a reload; a shadowed manifest entry shows again', async () => {
    const builtinUrl = await module(1);
    const teamManifest = await manifest({ shared: `${builtinUrl}#metric` });
    const host = await createHost({ builtins: false, manifests: [teamManifest], ...quiet });
    expect(await score(host, 'shared')).toBe(1);
    await host.plugins.install(`${await module(2)}#metric`, { module: { group: 'codex_ml.metrics', name: 'shared' } });
    expect(await score(host, 'shared')).toBe(2);
    expect(host.warnings().map((warning) => warning.code)).toContain('SHADOWED_ENTRY_POINT');

    await host.plugins.disable('codex_ml.metrics', 'shared');
    expect(host.discover('codex_ml.metrics')[0]!.source).toBe(teamManifest);
    expect(await score(host, 'shared')).toBe(1);
    expect(host.plugins.list().map((plugin) => [plugin.source === teamManifest ? 'team' : 'installed', plugin.status])).toEqual(
      expect.arrayContaining([['installed', 'disabled'], ['team', 'loaded']]),
    );

    await host.plugins.enable('codex_ml.metrics', 'shared');
    expect(await score(host, 'shared')).toBe(2);
    await host.plugins.uninstall('codex_ml.metrics', 'shared');
    expect(host.plugins.installed()).toEqual([]);
    expect(await score(host, 'shared')).toBe(1);
  });

  it('refuses to load a disabled plugin that nothing else declares with PLUGIN_DISABLED', async () => {
    const host = await createHost({ builtins: false, ...quiet });
    await host.plugins.install(`${await module(3)}#metric`, { module: { group: 'codex_ml.metrics', name: 'solo' } });
    await host.plugins.disable('codex_ml.metrics', 'solo');
    expect(host.registry('codex_ml.metrics').has('solo')).toBe(false);
    await expect(host.load('codex_ml.metrics', 'solo')).rejects.toMatchObject({ code: 'PLUGIN_DISABLED', group: 'codex_ml.metrics', plugin: 'solo' });
  });

  it('upgrades to a new URL: the registry drops the old plugin, the next load gets the new module, and the pin moves', async () => {
    const host = await createHost({ builtins: false, ...quiet });
    const [first] = await host.plugins.install(`${await module(4)}#metric`, { module: { group: 'codex_ml.metrics', name: 'moving' } });
    const before = await host.load<() => { score: number }>('codex_ml.metrics', 'moving');
    const upgraded = await host.plugins.upgrade('codex_ml.metrics', 'moving', { url: `${await module(5)}#metric` });
    expect(upgraded.integrity).not.toBe(first!.integrity);
    expect(upgraded.source).toBe(upgraded.url);
    expect(await score(host, 'moving')).toBe(5);
    // Code that already ran keeps working with the old module.
    expect(before().score).toBe(4);
  });

  it('keeps installs in IndexedDB: a new host has them, pinned, and refuses other bytes at the pinned URL', async () => {
    const dbName = `lifecycle-${process.pid}-${++counter}`;
    const url = fileUrl(`pinned-${counter}.js`);
    await writeFile(new URL(url), "export const metric = Object.assign(() => ({ score: 8 }), { api: 'v1' });\n");
    const first = await createHost({ builtins: false, installedPlugins: idbInstalledPlugins(dbName), ...quiet });
    await first.plugins.install(`${url}#metric`, { module: { group: 'codex_ml.metrics', name: 'kept' } });

    const second = await createHost({ builtins: false, installedPlugins: idbInstalledPlugins(dbName), ...quiet });
    expect(second.plugins.installed()).toEqual([expect.objectContaining({ name: 'kept', integrity: first.plugins.installed()[0]!.integrity })]);
    expect(second.discover('codex_ml.metrics').map((entry) => entry.name)).toEqual(['kept']);

    await writeFile(new URL(url), "export const metric = Object.assign(() => ({ score: 666 }), { api: 'v1' });\n");
    const third = await createHost({ builtins: false, installedPlugins: idbInstalledPlugins(dbName), ...quiet });
    await expect(third.load('codex_ml.metrics', 'kept')).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH', stage: 'integrity' });
    expect(third.plugins.list()[0]).toMatchObject({ status: 'failed', error: { stage: 'integrity' } });
    // Upgrade is the one way to move the pin.
    const before = third.plugins.installed()[0]!.integrity;
    const moved = await third.plugins.upgrade('codex_ml.metrics', 'kept');
    expect(moved.integrity).not.toBe(before);
    const fourth = await createHost({ builtins: false, installedPlugins: idbInstalledPlugins(dbName), ...quiet });
    expect(fourth.plugins.installed()[0]!.integrity).toBe(moved.integrity);
  });

  it('exports the installed plugins as JSON and imports them into another host with their pins and states', async () => {
    const source = await createHost({ builtins: false, ...quiet });
    await source.plugins.install(`${await module(9)}#metric`, { module: { group: 'codex_ml.metrics', name: 'on' } });
    await source.plugins.install(`${await module(10)}#metric`, { module: { group: 'codex_ml.metrics', name: 'off' } });
    await source.plugins.disable('codex_ml.metrics', 'off');
    const file = JSON.parse(JSON.stringify(source.plugins.exportInstalled()));
    const target = await createHost({ builtins: false, ...quiet });
    const imported = await target.plugins.importInstalled(file);
    expect(imported.map((plugin) => [plugin.name, plugin.enabled])).toEqual([['off', false], ['on', true]]);
    expect(target.plugins.installed()).toEqual(source.plugins.installed());
    expect(await score(target, 'on')).toBe(9);
    await expect(target.plugins.importInstalled({ plugins: [] })).rejects.toMatchObject({ code: 'INVALID_INSTALLED_FILE' });
  });

  it('refuses a second install of an installed name, pointing at upgrade', async () => {
    const host = await createHost({ builtins: false, ...quiet });
    const url = `${await module(11)}#metric`;
    await host.plugins.install(url, { module: { group: 'codex_ml.metrics', name: 'twice' } });
    await expect(host.plugins.install(url, { module: { group: 'codex_ml.metrics', name: 'twice' } })).rejects.toMatchObject({ code: 'ALREADY_INSTALLED' });
  });

  it('installs a catalog version pinned to the catalog digest, and upgrades to the newest version this host fits', async () => {
    const [one, two, later] = [await module(21), await module(22), await module(23)];
    const digest = async (url: string) => `sha384-${createHash('sha384').update(await readFile(new URL(url))).digest('base64')}`;
    const name = `catalog-${++counter}.json`;
    await writeFile(
      join(folder, name),
      JSON.stringify({
        catalogVersion: 1,
        plugins: [
          {
            group: 'codex_ml.metrics',
            name: 'listed',
            description: 'From a catalog',
            versions: [
              { version: '1.0.0', url: one, export: 'metric', integrity: await digest(one) },
              { version: '1.1.0', url: two, export: 'metric', integrity: await digest(two), host: '>=0.1 <0.3' },
              { version: '3.0.0', url: later, export: 'metric', integrity: await digest(later), host: '>=0.3' },
            ],
          },
        ],
      }),
    );
    const catalogUrl = fileUrl(name);
    const [match] = searchCatalogs([await readCatalog(catalogUrl, defaultEnvironment())]);
    const host = await createHost({ builtins: false, ...quiet });
    const plan = await host.plugins.inspectCatalogVersion(match!, match!.versions.find((version) => version.version === '1.0.0'));
    expect(plan.entries[0]).toMatchObject({ source: catalogUrl, version: '1.0.0', pinnedOnFirstUse: false, integrity: await digest(one) });
    const [installed] = await host.plugins.install(plan);
    expect(installed).toMatchObject({ source: catalogUrl, version: '1.0.0', description: 'From a catalog' });
    expect(await score(host, 'listed')).toBe(21);
    const upgraded = await host.plugins.upgrade('codex_ml.metrics', 'listed');
    expect(upgraded).toMatchObject({ version: '1.1.0', url: two, integrity: await digest(two), source: catalogUrl });
    expect(await score(host, 'listed')).toBe(22);
    await expect(host.plugins.inspectCatalogVersion({ ...match!, latest: undefined } as never)).rejects.toMatchObject({ code: 'INCOMPATIBLE_HOST' });
  });

  it("carries a catalog version's api into the install plan and the installed plugin, and refuses an api this host does not speak", async () => {
    const [speaks, later] = [await module(31), await module(32)];
    const digest = async (url: string) => `sha384-${createHash('sha384').update(await readFile(new URL(url))).digest('base64')}`;
    const name = `catalog-${++counter}.json`;
    const versions = [
      { version: '1.0.0', url: speaks, export: 'metric', integrity: await digest(speaks), api: 'v1' },
      { version: '2.0.0', url: later, export: 'metric', integrity: await digest(later), api: 'v2' },
    ];
    await writeFile(join(folder, name), JSON.stringify({ catalogVersion: 1, plugins: [{ group: 'codex_ml.metrics', name: 'typed', versions }] }));
    const [match] = searchCatalogs([await readCatalog(fileUrl(name), defaultEnvironment())]);
    const store = memoryInstalledPlugins();
    const host = await createHost({ builtins: false, installedPlugins: store, ...quiet });
    const refused = host.plugins.install(await host.plugins.inspectCatalogVersion(match!, match!.versions.find((version) => version.version === '2.0.0')));
    await expect(refused).rejects.toMatchObject({ code: 'UNSUPPORTED_API', field: 'api', plugin: 'typed' });
    expect((await store.read()).plugins).toEqual([]);
    const plan = await host.plugins.inspectCatalogVersion(match!, match!.versions.find((version) => version.version === '1.0.0'));
    expect(plan.entries[0]).toMatchObject({ api: 'v1' });
    const [installed] = await host.plugins.install(plan);
    expect(installed).toMatchObject({ api: 'v1', version: '1.0.0' });
    expect(host.plugins.list()).toEqual([expect.objectContaining({ name: 'typed', api: 'v1' })]);
  });

  it('keeps the catalog list in priority order in IndexedDB, resolved and without repeats, so a new host reads it back', async () => {
    const dbName = `catalogs-${process.pid}-${++counter}`;
    const first = await createHost({ builtins: false, installedPlugins: idbInstalledPlugins(dbName), ...quiet });
    expect(await first.plugins.catalogs()).toBeUndefined();
    const kept = await first.plugins.setCatalogs(['https://b.example/catalog.json', fileUrl('local.json'), 'https://b.example/catalog.json']);
    expect(kept).toEqual(['https://b.example/catalog.json', fileUrl('local.json')]);
    const second = await createHost({ builtins: false, installedPlugins: idbInstalledPlugins(dbName), ...quiet });
    expect(await second.plugins.catalogs()).toEqual(['https://b.example/catalog.json', fileUrl('local.json')]);
    await second.plugins.setCatalogs([fileUrl('local.json'), 'https://b.example/catalog.json']);
    const third = await createHost({ builtins: false, installedPlugins: idbInstalledPlugins(dbName), ...quiet });
    expect(await third.plugins.catalogs()).toEqual([fileUrl('local.json'), 'https://b.example/catalog.json']);
  });

  it('refuses a catalog entry that is not a URL with INVALID_CATALOG_URL naming its place, keeping the list it had', async () => {
    const host = await createHost({ builtins: false, installedPlugins: idbInstalledPlugins(`catalogs-${process.pid}-${++counter}`), ...quiet });
    await host.plugins.setCatalogs(['https://a.example/catalog.json']);
    await expect(host.plugins.setCatalogs(['https://a.example/catalog.json', 'http://'])).rejects.toMatchObject({ code: 'INVALID_CATALOG_URL', field: 'catalogs[1]', problem: '"http://" is not a URL' });
    expect(await host.plugins.catalogs()).toEqual(['https://a.example/catalog.json']);
  });

  it('pins every module an installed plugin imports (relative and mapped) and refuses other bytes for one of them at the next load', async () => {
    const files = new Map([
      ['/mm/manifest.json', JSON.stringify({ manifestVersion: 1, imports: { 'mm-base': './base.js' }, groups: { 'codex_ml.metrics': { multi: './entry.js#metric' } } })],
      ['/mm/entry.js', "import { twice } from './helper.js';\nimport { base } from 'mm-base';\nexport const metric = Object.assign(() => ({ score: twice(base) }), { api: 'v1' });\n"],
      ['/mm/helper.js', 'export const twice = (x) => 2 * x;\n'],
      ['/mm/base.js', 'export const base = 21;\n'],
    ]);
    const { origin, server } = await serve(files);
    try {
      const sha = (path: string) => `sha384-${createHash('sha384').update(files.get(path)!).digest('base64')}`;
      const host = await createHost({ builtins: false, cacheFolder: false, allowedOrigins: [origin], ...quiet });
      const plan = await host.plugins.inspect(`${origin}/mm/manifest.json`);
      expect(plan.entries[0]!.modules).toEqual({ [`${origin}/mm/helper.js`]: sha('/mm/helper.js'), [`${origin}/mm/base.js`]: sha('/mm/base.js') });
      const [installed] = await host.plugins.install(plan);
      expect(installed!.modules).toEqual(plan.entries[0]!.modules);
      expect(await score(host, 'multi')).toBe(42);

      files.set('/mm/helper.js', 'export const twice = (x) => 3 * x;\n');
      const next = await createHost({ builtins: false, cacheFolder: false, installedPlugins: memoryInstalledPlugins([installed!]), ...quiet });
      const refusal = next.load('codex_ml.metrics', 'multi');
      await expect(refusal).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH', stage: 'integrity', group: 'codex_ml.metrics', plugin: 'multi', url: `${origin}/mm/helper.js` });
      await expect(refusal).rejects.toThrow(/not the one pinned at install/);
      // Upgrade moves every pin, the imported modules' included.
      const upgraded = await next.plugins.upgrade('codex_ml.metrics', 'multi');
      expect(upgraded.modules![`${origin}/mm/helper.js`]).toBe(sha('/mm/helper.js'));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('host.plugins.uninstall and the bytes kept for offline use', () => {
  /**
   * The loader's environment with a module cache of its own: `kept` holds the URLs whose bytes were kept;
   * `refuse` makes the next removals fail, as a cache that refuses one would.
   */
  function keeping() {
    const kept = new Set<string>();
    const state = { refuse: 0 };
    const environment: LoaderEnvironment = {
      ...defaultEnvironment({ cacheFolder: false }),
      keepVerified: async (url) => void kept.add(url),
      forgetKept: async (urls) => {
        if (state.refuse > 0) {
          state.refuse -= 1;
          throw new PlugboardError({ code: 'MODULE_CACHE_FAILED', url: urls[0]!, problem: 'the cache refused the removal', hint: 'Retry.' });
        }
        for (const url of urls) kept.delete(url);
      },
    };
    return { kept, state, environment };
  }

  /** Two plugins in one manifest: each imports a module of its own and one they share. */
  async function twoPlugins(): Promise<{ manifestUrl: string; url: (name: string) => string }> {
    const tag = ++counter;
    const url = (name: string) => fileUrl(`${name}-${tag}.js`);
    await writeFile(join(folder, `shared-${tag}.js`), 'export const base = 20;\n');
    await writeFile(join(folder, `own-a-${tag}.js`), 'export const extra = 1;\n');
    await writeFile(join(folder, `own-b-${tag}.js`), 'export const extra = 2;\n');
    for (const name of ['a', 'b']) {
      await writeFile(join(folder, `${name}-${tag}.js`), `import { base } from './shared-${tag}.js';\nimport { extra } from './own-${name}-${tag}.js';\nexport const metric = Object.assign(() => ({ score: base + extra }), { api: 'v1' });\n`);
    }
    return { manifestUrl: await manifest({ a: `./a-${tag}.js#metric`, b: `./b-${tag}.js#metric` }), url };
  }

  it('removes the kept bytes of the plugin’s module and of each module it imports, but not those another installed plugin pins', async () => {
    const { kept, environment } = keeping();
    const { manifestUrl, url } = await twoPlugins();
    const host = await createHost({ builtins: false, environment, ...quiet });
    await host.plugins.install(manifestUrl, { allowOrigin: true });
    expect([await score(host, 'a'), await score(host, 'b')]).toEqual([21, 22]);
    expect([...kept].sort()).toEqual([url('a'), url('b'), url('own-a'), url('own-b'), url('shared')].sort());

    await host.plugins.uninstall('codex_ml.metrics', 'a');
    expect([...kept].sort()).toEqual([url('b'), url('own-b'), url('shared')].sort());
    await host.plugins.uninstall('codex_ml.metrics', 'b');
    expect([...kept]).toEqual([]);
  });

  it('keeps the bytes a disabled installed plugin still pins', async () => {
    const { kept, environment } = keeping();
    const { manifestUrl, url } = await twoPlugins();
    const host = await createHost({ builtins: false, environment, ...quiet });
    await host.plugins.install(manifestUrl, { allowOrigin: true });
    await Promise.all([score(host, 'a'), score(host, 'b')]);
    await host.plugins.disable('codex_ml.metrics', 'b');
    await host.plugins.uninstall('codex_ml.metrics', 'a');
    expect(kept.has(url('shared'))).toBe(true);
    expect(kept.has(url('own-a'))).toBe(false);
  });

  it('leaves the plugin installed when the cache refuses the removal, naming the plugin, and a retry finishes it', async () => {
    const { kept, state, environment } = keeping();
    const { manifestUrl, url } = await twoPlugins();
    const store = memoryInstalledPlugins();
    const host = await createHost({ builtins: false, environment, installedPlugins: store, ...quiet });
    await host.plugins.install(manifestUrl, { allowOrigin: true });
    await score(host, 'a');
    state.refuse = 1;
    await expect(host.plugins.uninstall('codex_ml.metrics', 'a')).rejects.toMatchObject({ code: 'MODULE_CACHE_FAILED', group: 'codex_ml.metrics', plugin: 'a', hint: expect.stringContaining('stays installed') });
    expect((await store.read()).plugins.map((plugin) => plugin.name).sort()).toEqual(['a', 'b']);
    expect(await score(host, 'a')).toBe(21);

    await host.plugins.uninstall('codex_ml.metrics', 'a');
    expect((await store.read()).plugins.map((plugin) => plugin.name)).toEqual(['b']);
    expect(kept.has(url('own-a'))).toBe(false);
  });

  it('removes the kept bytes before the record, so a record write that fails leaves a plugin that a retried uninstall removes', async () => {
    const { kept, environment } = keeping();
    const { manifestUrl, url } = await twoPlugins();
    const memory = memoryInstalledPlugins();
    let failWrites = 0;
    const store = { ...memory, write: async (...args: Parameters<typeof memory.write>) => (failWrites-- > 0 ? Promise.reject(new Error('disk full')) : memory.write(...args)) };
    const host = await createHost({ builtins: false, environment, installedPlugins: store, ...quiet });
    await host.plugins.install(manifestUrl, { allowOrigin: true });
    await score(host, 'a');
    failWrites = 1;
    await expect(host.plugins.uninstall('codex_ml.metrics', 'a')).rejects.toThrow('disk full');
    expect(kept.has(url('own-a'))).toBe(false);
    expect(host.plugins.installed().map((plugin) => plugin.name).sort()).toEqual(['a', 'b']);
    await host.plugins.uninstall('codex_ml.metrics', 'a');
    expect((await store.read()).plugins.map((plugin) => plugin.name)).toEqual(['b']);
  });
});
