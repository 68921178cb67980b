import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlugboardError } from '../errors/index.ts';
import { fetchBytes, isUnreachable } from '../loader/index.ts';
import { closedPort as findClosedPort } from '../loader/closed-port.test-helpers.ts';
import { WorkerImporter } from './import-in-worker.ts';

let folder: string;
const url = (name: string) => pathToFileURL(join(folder, name)).href;

function importer(imports: Record<string, string>, imported: string[] = []) {
  return new WorkerImporter({
    imports,
    readBytes: async (target) => new Uint8Array(readFileSync(new URL(target))),
    toModuleUrl: (source) => `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`,
    importUrl: (target) => {
      imported.push(target);
      return import(/* @vite-ignore */ target);
    },
  });
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'plugboard-worker-import-'));
  await writeFile(join(folder, 'sdk.js'), 'export const marker = { sdk: true };\n');
  await writeFile(join(folder, 'helper.js'), "import { marker } from 'my-sdk';\nexport const helper = marker;\n");
  await writeFile(join(folder, 'deep.js'), "export { helper } from './helper.js';\nexport const here = import.meta.url;\n");
  await writeFile(join(folder, 'plugin.js'), "import { marker } from 'my-sdk';\nimport { helper, here } from './deep.js';\nexport const plugin = { marker, helper, here, lazy: () => import('my-lib/lazy.js') };\n");
  await writeFile(join(folder, 'lazy.js'), 'export const lazy = 1;\n');
  await writeFile(join(folder, 'plain.js'), "import { lazy } from './lazy.js';\nexport const plain = lazy;\n");
  await writeFile(join(folder, 'unmapped.js'), "import 'nowhere';\nexport const x = 1;\n");
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('WorkerImporter', () => {
  it('resolves bare specifiers of the entry and of every module it imports, so all share one SDK module', async () => {
    const namespace = await importer({ 'my-sdk': url('sdk.js'), 'my-lib/': pathToFileURL(folder).href + '/' }).import(url('plugin.js'));
    const plugin = namespace['plugin'] as { marker: unknown; helper: unknown; here: string; lazy: () => Promise<{ lazy: number }> };
    expect(plugin.marker).toEqual({ sdk: true });
    expect(plugin.helper).toBe(plugin.marker);
    expect(plugin.here).toBe(url('deep.js'));
    expect((await plugin.lazy()).lazy).toBe(1);
  });

  it('waits for a module another branch is still preparing instead of calling the diamond a cycle', async () => {
    await writeFile(join(folder, 'mid.js'), "import { marker } from 'my-sdk';\nexport const mid = marker;\n");
    await writeFile(join(folder, 'top.js'), "import { marker } from 'my-sdk';\nimport { mid } from './mid.js';\nexport const same = marker === mid;\n");
    const slowSdk = new WorkerImporter({
      imports: { 'my-sdk': url('sdk.js') },
      // The SDK arrives last, so mid.js reaches it while the entry's own branch is still preparing it.
      readBytes: async (target) => {
        if (target.endsWith('sdk.js')) await new Promise((resolve) => setTimeout(resolve, 30));
        return new Uint8Array(readFileSync(new URL(target)));
      },
      toModuleUrl: (source) => `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`,
    });
    expect((await slowSdk.import(url('top.js')))['same']).toBe(true);
  });

  it('imports a module whose graph has no bare specifier by its own URL', async () => {
    const imported: string[] = [];
    await importer({}, imported).import(url('plain.js'));
    expect(imported).toEqual([url('plain.js')]);
  });

  it('refuses a bare specifier the map does not resolve, naming it and the module', async () => {
    await expect(importer({}).import(url('unmapped.js'))).rejects.toMatchObject({ code: 'UNMAPPED_IMPORT', url: url('unmapped.js'), problem: expect.stringContaining('"nowhere"') });
  });

  it('runs the checked bytes and refuses bytes that do not match the integrity given', async () => {
    const digest = `sha384-${createHash('sha384').update(readFileSync(join(folder, 'plain.js'))).digest('base64')}`;
    const imported: string[] = [];
    expect((await importer({}, imported).import(url('plain.js'), digest))['plain']).toBe(1);
    expect(imported[0]).toMatch(/^data:/);
    await expect(importer({}).import(url('lazy.js'), digest)).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH' });
  });

  it('gives the SHA-384 of the bytes it read for a module it imported, and undefined for one it never read', async () => {
    const loaded = importer({ 'my-sdk': url('sdk.js'), 'my-lib/': pathToFileURL(folder).href + '/' });
    await loaded.import(url('plugin.js'));
    const onDisk = (name: string) => `sha384-${createHash('sha384').update(readFileSync(join(folder, name))).digest('base64')}`;
    expect(await loaded.digestOf(url('plugin.js'))).toBe(onDisk('plugin.js'));
    expect(await loaded.digestOf(url('helper.js'))).toBe(onDisk('helper.js'));
    expect(await loaded.digestOf(url('unmapped.js'))).toBeUndefined();
  });
});

describe('WorkerImporter, modules imported by import()', () => {
  const reading = (imports: Record<string, string>, read: string[]) =>
    new WorkerImporter({
      imports,
      readBytes: async (target) => {
        read.push(target.slice(target.lastIndexOf('/') + 1));
        return new Uint8Array(readFileSync(new URL(target)));
      },
      toModuleUrl: (source) => `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`,
    });

  it('does not fetch a module imported by import() until that import runs, then resolves it through the map', async () => {
    await writeFile(join(folder, 'heavy.js'), "import { marker } from 'my-sdk';\nexport const heavy = marker;\n");
    await writeFile(join(folder, 'light.js'), "import { marker } from 'my-sdk';\nexport const light = { marker, heavy: () => import('my-lib/heavy.js') };\n");
    const read: string[] = [];
    const namespace = await reading({ 'my-sdk': url('sdk.js'), 'my-lib/': pathToFileURL(folder).href + '/' }, read).import(url('light.js'));
    expect(read.sort()).toEqual(['light.js', 'sdk.js']);
    const light = namespace['light'] as { marker: unknown; heavy: () => Promise<{ heavy: unknown }> };
    expect((await light.heavy()).heavy).toBe(light.marker);
    expect(read).toContain('heavy.js');
  });

  it('resolves a computed bare specifier of import() through the map, and rejects one the map does not hold', async () => {
    await writeFile(join(folder, 'computed.js'), "export const load = (name) => import(['my-lib', name].join('/'));\n");
    const namespace = await reading({ 'my-lib/': pathToFileURL(folder).href + '/' }, []).import(url('computed.js'));
    const load = namespace['load'] as (name: string) => Promise<Record<string, unknown>>;
    expect((await load('lazy.js'))['lazy']).toBe(1);
    const unmapped = (await reading({}, []).import(url('computed.js')))['load'] as typeof load;
    await expect(unmapped('lazy.js')).rejects.toMatchObject({ code: 'UNMAPPED_IMPORT', problem: expect.stringContaining('"my-lib/lazy.js"') });
  });
});

describe('WorkerImporter, several entries at once', () => {
  it('shares a module two entries import side by side, without taking it for a cycle', async () => {
    const shared = importer({ 'my-sdk': url('sdk.js'), 'my-lib/': pathToFileURL(folder).href + '/' });
    const [first, second] = await Promise.all([shared.import(url('plugin.js')), shared.import(url('helper.js'))]);
    expect((first['plugin'] as { marker: unknown }).marker).toBe(second['helper']);
  });

  it('refuses a real cycle through a module with a bare specifier, naming the chain and the specifier', async () => {
    await writeFile(join(folder, 'cycle-a.js'), "import 'my-sdk';\nimport './cycle-b.js';\nexport const a = 1;\n");
    await writeFile(join(folder, 'cycle-b.js'), "import './cycle-a.js';\nexport const b = 1;\n");
    const refusal = importer({ 'my-sdk': url('sdk.js') }).import(url('cycle-a.js'));
    await expect(refusal).rejects.toMatchObject({
      code: 'WORKER_IMPORT_CYCLE',
      url: url('cycle-a.js'),
      problem: expect.stringContaining(`(${url('cycle-a.js')} → ${url('cycle-b.js')} → ${url('cycle-a.js')}), and ${url('cycle-a.js')} has the bare specifier "my-sdk"`),
      hint: 'Bundle the cycle into one module, or map its bare specifiers to full URLs in the source.',
    });
    await expect(refusal).rejects.toMatchObject({ problem: expect.not.stringContaining('pinned') });
  });

  it('runs a cycle of modules that need no copy by their own URLs, which the platform links itself', async () => {
    await writeFile(join(folder, 'ring-a.js'), "import { b } from './ring-b.js';\nexport const a = 'a';\nexport const both = () => a + b;\n");
    await writeFile(join(folder, 'ring-b.js'), "import { a } from './ring-a.js';\nexport const b = 'b';\nexport const seen = () => a;\n");
    const imported: string[] = [];
    const namespace = await importer({}, imported).import(url('ring-a.js'));
    expect((namespace['both'] as () => string)()).toBe('ab');
    expect(imported).toEqual([url('ring-a.js')]);
  });

  it('finds a cycle two branches enter from either end at once, without waiting on itself', async () => {
    await writeFile(join(folder, 'cross-a.js'), "import { b } from './cross-b.js';\nexport const a = 'a';\nexport const fromA = () => b;\n");
    await writeFile(join(folder, 'cross-b.js'), "import { a } from './cross-a.js';\nexport const b = 'b';\nexport const fromB = () => a;\n");
    await writeFile(join(folder, 'cross-top.js'), "import { fromA } from './cross-a.js';\nimport { fromB } from './cross-b.js';\nexport const both = () => fromB() + fromA();\n");
    // Each module arrives late, so both branches are inside the cycle before either finishes.
    const slow = new WorkerImporter({
      imports: {},
      readBytes: async (target) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return new Uint8Array(readFileSync(new URL(target)));
      },
    });
    expect(((await slow.import(url('cross-top.js')))['both'] as () => string)()).toBe('ab');
  });
});

describe('WorkerImporter, an installed plugin’s pinned modules', () => {
  const CDN = 'https://cdn.test/plugin';
  const digest = (source: string) => `sha384-${createHash('sha384').update(source).digest('base64')}`;
  const asData = (source: string) => `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`;

  /**
   * A fake CDN: `served` is what a fetch of each URL answers now. A module the importer hands over by its own URL
   * is imported as the browser would fetch it, from what the CDN serves; `byUrl` lists those URLs and `reads`
   * counts the importer's own reads.
   */
  function cdn(served: Record<string, string>, onRead?: (target: string) => void) {
    const byUrl: string[] = [];
    const reads: string[] = [];
    const importer = new WorkerImporter({
      imports: {},
      readBytes: async (target) => {
        reads.push(target);
        if (served[target] === undefined) throw new Error(`not served: ${target}`);
        const bytes = new TextEncoder().encode(served[target]);
        onRead?.(target);
        return bytes;
      },
      toModuleUrl: asData,
      importUrl: (target) => {
        if (target.startsWith('data:')) return import(/* @vite-ignore */ target);
        byUrl.push(target);
        return import(/* @vite-ignore */ asData(served[target]!));
      },
    });
    return { importer, byUrl, reads };
  }

  const entry = `import { weight } from './weight.js';\nexport const metric = () => weight;\nexport const later = () => import('./later.js');\nexport const computed = (name) => import('./' + name);\n`;
  const weight = 'export const weight = 1;\n';
  const later = 'export const later = 2;\n';
  const pinsOf = (sources: Record<string, string>) => ({
    group: 'codex_ml.metrics',
    name: 'weighted',
    integrity: digest(sources[`${CDN}/entry.js`]!),
    modules: { [`${CDN}/weight.js`]: digest(sources[`${CDN}/weight.js`]!), [`${CDN}/later.js`]: digest(sources[`${CDN}/later.js`]!) },
  });
  const installed = { [`${CDN}/entry.js`]: entry, [`${CDN}/weight.js`]: weight, [`${CDN}/later.js`]: later, [`${CDN}/extra.js`]: 'export const extra = 3;\n' };

  it('refuses a static dependency whose bytes changed since install, naming it and the plugin as the page does, before anything runs', async () => {
    const { importer, byUrl } = cdn({ ...installed, [`${CDN}/weight.js`]: 'export const weight = 666;\n' });
    const refusal = importer.import(`${CDN}/entry.js`, pinsOf(installed));
    await expect(refusal).rejects.toMatchObject({
      code: 'INTEGRITY_MISMATCH',
      stage: 'integrity',
      url: `${CDN}/weight.js`,
      group: 'codex_ml.metrics',
      plugin: 'weighted',
      problem: expect.stringMatching(new RegExp(`^a module the plugin imports is not the one pinned at install: the module's sha384 digest is ${digest('export const weight = 666;\n').replace(/[+/]/g, '\\$&')}, the manifest expects ${digest(weight).replace(/[+/]/g, '\\$&')}$`)),
      hint: 'The server now serves other bytes for a module this plugin imports: refuse them, or upgrade the plugin to trust the new bytes.',
    });
    expect(byUrl).toEqual([]);
  });

  it('refuses a module imported by import() whose bytes changed, when that call runs', async () => {
    const { importer } = cdn({ ...installed, [`${CDN}/later.js`]: 'export const later = 666;\n' });
    const namespace = await importer.import(`${CDN}/entry.js`, pinsOf(installed));
    expect((namespace['metric'] as () => number)()).toBe(1);
    await expect((namespace['later'] as () => Promise<unknown>)()).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH', stage: 'integrity', url: `${CDN}/later.js`, group: 'codex_ml.metrics', plugin: 'weighted' });
  });

  it('runs an unchanged graph, every pinned module from the bytes it checked and each read once', async () => {
    const { importer, byUrl, reads } = cdn(installed);
    const namespace = await importer.import(`${CDN}/entry.js`, pinsOf(installed));
    expect((namespace['metric'] as () => number)()).toBe(1);
    expect(((await (namespace['later'] as () => Promise<Record<string, unknown>>)())['later'])).toBe(2);
    expect(byUrl).toEqual([]);
    expect(reads.sort()).toEqual([`${CDN}/entry.js`, `${CDN}/later.js`, `${CDN}/weight.js`]);
  });

  it('runs a pinned module without bare specifiers from the checked bytes, not by its URL (which would fetch it again)', async () => {
    const served: Record<string, string> = { ...installed };
    // The CDN changes the module right after the importer read it: a fetch by its URL would run 666.
    const { importer, byUrl } = cdn(served, (target) => {
      if (target === `${CDN}/weight.js`) served[target] = 'export const weight = 666;\n';
    });
    const namespace = await importer.import(`${CDN}/entry.js`, pinsOf(installed));
    expect((namespace['metric'] as () => number)()).toBe(1);
    expect(byUrl).toEqual([]);
  });

  it('runs a module no pin covers (an import() of a computed specifier) unchecked, as the page does', async () => {
    const { importer, byUrl } = cdn(installed);
    const namespace = await importer.import(`${CDN}/entry.js`, pinsOf(installed));
    expect((await (namespace['computed'] as (name: string) => Promise<Record<string, unknown>>)('extra.js'))['extra']).toBe(3);
    expect(byUrl).toEqual([`${CDN}/extra.js`]);
  });

  it('checks a module against the pins of a plugin imported after another one already ran it', async () => {
    const { importer } = cdn({ ...installed, [`${CDN}/other.js`]: "export const weight = () => import('./weight.js');\n", [`${CDN}/weight.js`]: 'export const weight = 666;\n' });
    // A plugin without pins (one in development) imports the module first; the installed one's pins still refuse it.
    const other = await importer.import(`${CDN}/other.js`);
    expect((await (other['weight'] as () => Promise<Record<string, unknown>>)())['weight']).toBe(666);
    await expect(importer.import(`${CDN}/entry.js`, pinsOf(installed))).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH', url: `${CDN}/weight.js`, plugin: 'weighted' });
  });

  it('refuses a cycle of pinned modules saying they are pinned, not that they have a bare specifier', async () => {
    const cyclic = { [`${CDN}/entry.js`]: "import { weight } from './weight.js';\nexport const metric = () => weight;\nexport const name = 'entry';\n", [`${CDN}/weight.js`]: "import { name } from './entry.js';\nexport const weight = 1;\nexport const owner = () => name;\n" };
    const { importer } = cdn(cyclic);
    const refusal = importer.import(`${CDN}/entry.js`, { group: 'codex_ml.metrics', name: 'cyclic', integrity: digest(cyclic[`${CDN}/entry.js`]!), modules: { [`${CDN}/weight.js`]: digest(cyclic[`${CDN}/weight.js`]!) } });
    await expect(refusal).rejects.toMatchObject({
      code: 'WORKER_IMPORT_CYCLE',
      problem: expect.stringContaining(`(${CDN}/entry.js → ${CDN}/weight.js → ${CDN}/entry.js), and ${CDN}/entry.js is pinned (it runs from a copy of its checked bytes, never fetched again by its URL); ${CDN}/weight.js is pinned`),
      hint: expect.stringContaining('A Worker has no import map'),
    });
    await expect(refusal).rejects.toMatchObject({ problem: expect.not.stringContaining('bare specifier') });
  });

  it('names the plugin when its entry module’s own bytes changed', async () => {
    const { importer } = cdn({ ...installed, [`${CDN}/entry.js`]: `${entry}// changed\n` });
    await expect(importer.import(`${CDN}/entry.js`, pinsOf(installed))).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH', stage: 'integrity', url: `${CDN}/entry.js`, group: 'codex_ml.metrics', plugin: 'weighted' });
  });
});

describe('WorkerImporter, an installed plugin’s pinned modules when no server answers', () => {
  const CDN = 'https://cdn.test/offline';
  const digest = (source: string) => `sha384-${createHash('sha384').update(source).digest('base64')}`;
  const asData = (source: string) => `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`;
  const entry = `import { weight } from './weight.js';\nexport const metric = () => weight;\nexport const later = () => import('./later.js');\nexport const computed = (name) => import('./' + name);\n`;
  const installed = { [`${CDN}/entry.js`]: entry, [`${CDN}/weight.js`]: 'export const weight = 1;\n', [`${CDN}/later.js`]: 'export const later = 2;\n' };
  const pins = {
    group: 'codex_ml.metrics',
    name: 'weighted',
    integrity: digest(entry),
    modules: { [`${CDN}/weight.js`]: digest(installed[`${CDN}/weight.js`]!), [`${CDN}/later.js`]: digest(installed[`${CDN}/later.js`]!) },
  };

  /** A port nobody listens on, so a fetch of it fails as a fetch fails with the CDN down. */
  let closedPort: number;
  beforeAll(async () => {
    closedPort = await findClosedPort();
  });

  /**
   * An importer whose network is `network` (`down`: no server answers; `missing`: the server answers 404) and
   * whose module cache holds `kept`; `keptReads` lists what it read from the cache, `byUrl` what it imported by URL.
   */
  function offline(network: 'down' | 'missing', kept: Record<string, string>) {
    const keptReads: string[] = [];
    const byUrl: string[] = [];
    const importer = new WorkerImporter({
      imports: {},
      readBytes: (target) =>
        network === 'down'
          ? fetchBytes(`http://127.0.0.1:${closedPort}/${encodeURIComponent(target)}`)
          : Promise.reject(new PlugboardError({ code: 'FETCH_FAILED', stage: 'fetch', url: target, problem: 'the server answered 404 Not Found' })),
      readKept: async (target) => {
        keptReads.push(target);
        return kept[target] === undefined ? undefined : new TextEncoder().encode(kept[target]);
      },
      toModuleUrl: asData,
      importUrl: (target) => {
        if (!target.startsWith('data:')) byUrl.push(target);
        return import(/* @vite-ignore */ target);
      },
    });
    return { importer, keptReads, byUrl };
  }

  it('runs every pinned module from the bytes the page kept, checked against its pin, static imports and import() alike', async () => {
    const { importer, keptReads, byUrl } = offline('down', installed);
    const namespace = await importer.import(`${CDN}/entry.js`, pins);
    expect((namespace['metric'] as () => number)()).toBe(1);
    expect((await (namespace['later'] as () => Promise<Record<string, unknown>>)())['later']).toBe(2);
    expect(keptReads.sort()).toEqual([`${CDN}/entry.js`, `${CDN}/later.js`, `${CDN}/weight.js`]);
    expect(byUrl).toEqual([]);
  });

  it('refuses kept bytes that do not match the pin with the page’s INTEGRITY_MISMATCH, naming the module and the plugin', async () => {
    const { importer } = offline('down', { ...installed, [`${CDN}/weight.js`]: 'export const weight = 666;\n' });
    await expect(importer.import(`${CDN}/entry.js`, pins)).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH', stage: 'integrity', url: `${CDN}/weight.js`, group: 'codex_ml.metrics', plugin: 'weighted' });
  });

  it('fails as the network failed when the cache keeps nothing for a pinned module', async () => {
    const { [`${CDN}/weight.js`]: _notKept, ...kept } = installed;
    const { importer } = offline('down', kept);
    const failure = await importer.import(`${CDN}/entry.js`, pins).catch((thrown: unknown) => thrown);
    expect(failure).toMatchObject({ code: 'FETCH_FAILED', stage: 'fetch' });
    expect(isUnreachable(failure)).toBe(true);
  });

  it('does not read the cache when a server answers with an error, as the page does not', async () => {
    const { importer, keptReads } = offline('missing', installed);
    await expect(importer.import(`${CDN}/entry.js`, pins)).rejects.toMatchObject({ code: 'FETCH_FAILED', url: `${CDN}/entry.js`, problem: 'the server answered 404 Not Found' });
    expect(keptReads).toEqual([]);
  });

  it('does not read the cache for a module no pin covers, which the page keeps no bytes of', async () => {
    const { importer, keptReads } = offline('down', { ...installed, [`${CDN}/extra.js`]: 'export const extra = 3;\n' });
    const namespace = await importer.import(`${CDN}/entry.js`, pins);
    await expect((namespace['computed'] as (name: string) => Promise<unknown>)('extra.js')).rejects.toMatchObject({ code: 'FETCH_FAILED' });
    expect(keptReads).not.toContain(`${CDN}/extra.js`);
  });
});
