import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlugboardError } from '../errors/index.ts';
import { lexModule } from './lex-module.ts';
import { pinDependencies, resolveDependency } from './pin-dependencies.ts';

let folder: string;
const at = (name: string) => pathToFileURL(join(folder, name)).href;
const read = async (url: string) => new Uint8Array(await readFile(fileURLToPath(url)));
const sha384 = async (url: string) => `sha384-${createHash('sha384').update(await read(url)).digest('base64')}`;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'plugboard-pins-'));
  await writeFile(join(folder, 'entry.js'), "import { a } from './lib/a.js';\nimport { shout } from 'shared-text';\nimport 'plugboard/sdk';\nconst lazy = () => import('./lazy.js');\nconst computed = (name) => import(`./${name}`);\nexport const metric = () => a + shout;\n");
  await writeFile(join(folder, 'lazy.js'), 'export const lazy = 1;\n');
  await mkdir(join(folder, 'lib'));
  await writeFile(join(folder, 'lib', 'a.js'), "export { b as a } from './b.js';\n");
  await writeFile(join(folder, 'lib', 'b.js'), "import './a.js';\nexport const b = 2;\n");
  await writeFile(join(folder, 'shared.js'), 'export const shout = 3;\n');
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('pinDependencies', () => {
  it('pins every module the entry imports — relative, mapped and import() of a string, followed through cycles — and no host or computed import', async () => {
    const entry = at('entry.js');
    const shape = await lexModule(new TextDecoder().decode(await read(entry)), entry);
    const reads: string[] = [];
    const pins = await pinDependencies({ url: entry, shape, imports: { 'shared-text': at('shared.js') }, read: (url) => (reads.push(url), read(url)) });
    const expected = [at('lib/a.js'), at('shared.js'), at('lazy.js'), at('lib/b.js')];
    expect(Object.keys(pins).sort()).toEqual([...expected].sort());
    for (const url of expected) expect(pins[url]).toBe(await sha384(url));
    expect(reads.sort()).toEqual([...expected].sort()); // each module read once, the entry not at all
  });

  it('names the module that imports one that cannot be read', async () => {
    const entry = at('missing-importer.js');
    await writeFile(fileURLToPath(entry), "import './nowhere.js';\nexport const metric = 1;\n");
    const shape = await lexModule(new TextDecoder().decode(await read(entry)), entry);
    const failing = pinDependencies({
      url: entry,
      shape,
      imports: {},
      read: async (url) => {
        throw new PlugboardError({ code: 'FETCH_FAILED', stage: 'fetch', url, problem: 'the server answered 404 Not Found' });
      },
    });
    await expect(failing).rejects.toMatchObject({ code: 'FETCH_FAILED', stage: 'fetch', url: at('nowhere.js'), problem: `the server answered 404 Not Found (a module imported by ${entry})` });
  });

  it('resolves bare specifiers through the plugin import map, longest prefix first, and leaves the rest to the host', () => {
    const imports = { 'lib/': 'https://cdn.example/lib@1/', 'lib/special/': 'https://other.example/special/', exact: './exact.js' };
    expect(resolveDependency('lib/x.js', 'https://cdn.example/p/entry.js', imports)).toBe('https://cdn.example/lib@1/x.js');
    expect(resolveDependency('lib/special/y.js', 'https://cdn.example/p/entry.js', imports)).toBe('https://other.example/special/y.js');
    expect(resolveDependency('exact', 'https://cdn.example/p/entry.js', imports)).toBe('https://cdn.example/p/exact.js');
    expect(resolveDependency('plugboard/sdk', 'https://cdn.example/p/entry.js', imports)).toBeUndefined();
    expect(resolveDependency('data:text/javascript,export{}', 'https://cdn.example/p/entry.js', imports)).toBeUndefined();
    expect(resolveDependency('../up.js', 'https://cdn.example/p/entry.js', imports)).toBe('https://cdn.example/up.js');
  });
});
