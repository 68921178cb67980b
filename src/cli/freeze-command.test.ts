import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transformWithOxc } from 'vite';
import { defaultEnvironment, type LoaderEnvironment } from '../loader/index.ts';
import { runCli } from './run-cli.ts';

let folder: string;
let server: Server;
let origin: string;
/** What the test server answers, by path; a test changes it to make the "CDN" serve other bytes. */
const files = new Map<string, string>();

/** A fresh environment per command, as a new process would have: no disk cache, TypeScript built-ins lexed as JavaScript. */
function environment(): LoaderEnvironment {
  const node = defaultEnvironment({ cacheFolder: false });
  return {
    ...node,
    async toSource(bytes, url) {
      const text = new TextDecoder().decode(bytes);
      return url.endsWith('.ts') ? (await transformWithOxc(text, url, { lang: 'ts' })).code : text;
    },
  };
}

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd: folder, hostOptions: { environment: environment() } });
  return { code, stdout, stderr };
}

/** Node's import map is the process's: each plugin maps a specifier of its own. */
const entry = (name: string) => `import { twice } from './lib/twice.js';\nimport { base } from '${name}-base';\nexport const metric = Object.assign((predictions) => ({ score: twice(base) + predictions.length }), { api: 'v1' });\n`;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'plugboard-freeze-'));
  server = createServer((request, response) => {
    const body = files.get(new URL(request.url ?? '/', 'http://x').pathname);
    if (body === undefined) response.writeHead(404).end();
    else response.writeHead(200, { 'Content-Type': request.url?.endsWith('.json') ? 'application/json' : 'text/javascript' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  await writeFile(join(folder, 'pairs.jsonl'), '{"prediction":"a","reference":"a"}\n{"prediction":"b","reference":"c"}\n');
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(folder, { recursive: true, force: true });
});

/** Serves a manifest at /<name>/manifest.json whose plugin imports a relative module (which imports another) and a mapped one. */
function publish(name: string): string {
  files.set(`/${name}/manifest.json`, JSON.stringify({ manifestVersion: 1, name, imports: { [`${name}-base`]: './base.js' }, groups: { 'codex_ml.metrics': { [name]: { url: './entry.js', export: 'metric', version: '1.4.0' } } } }));
  files.set(`/${name}/entry.js`, entry(name));
  files.set(`/${name}/lib/twice.js`, "import { one } from './one.js';\nexport const twice = (value) => 2 * value * one;\n");
  files.set(`/${name}/lib/one.js`, 'export const one = 1;\n');
  files.set(`/${name}/base.js`, 'export const base = 20;\n');
  return `${origin}/${name}/manifest.json`;
}

describe('plugboard freeze', () => {
  it('writes the lock (names, groups, versions, URLs, digests of every module) and the bundle (their bytes) from a manifest', async () => {
    const manifest = publish('frozen');
    const { code, stdout, stderr } = await cli('freeze', manifest, '--lock', 'lock.json', '--bundle', 'bundle.json', '--no-cache');
    expect({ code, stderr }).toEqual({ code: 0, stderr: 'plugboard: froze 1 plugin to lock.json\nplugboard: bundled 1 plugin and 4 modules to bundle.json\n' });
    expect(stdout).toBe('');
    const lock = JSON.parse(await readFile(join(folder, 'lock.json'), 'utf8'));
    expect(lock).toMatchObject({ plugboardInstalled: 1, plugins: [{ group: 'codex_ml.metrics', name: 'frozen', version: '1.4.0', url: `${origin}/frozen/entry.js`, source: manifest, integrity: expect.stringMatching(/^sha384-/) }] });
    expect(Object.keys(lock.plugins[0].modules).sort()).toEqual([`${origin}/frozen/base.js`, `${origin}/frozen/lib/one.js`, `${origin}/frozen/lib/twice.js`]);
    const bundle = JSON.parse(await readFile(join(folder, 'bundle.json'), 'utf8'));
    expect(bundle.plugins).toEqual(lock.plugins.map((plugin: object) => ({ ...plugin, installedAt: expect.any(String) })));
    expect(Buffer.from(bundle.modules[`${origin}/frozen/lib/one.js`].base64, 'base64').toString()).toBe('export const one = 1;\n');
    expect(bundle.modules[`${origin}/frozen/lib/twice.js`].integrity).toBe(lock.plugins[0].modules[`${origin}/frozen/lib/twice.js`]);
  });

  it('prints the lock when given neither --lock nor --bundle, like pip freeze', async () => {
    const { code, stdout } = await cli('freeze', publish('printed'), '--no-cache');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ plugboardInstalled: 1, plugins: [{ name: 'printed', modules: expect.any(Object) }] });
  });

  it('eval and check use a bundle with the server serving nothing, and refuse a bundle whose imported module was changed', async () => {
    await cli('freeze', publish('offline'), '--bundle', 'offline.json', '--no-cache');
    for (const path of [...files.keys()]) if (path.startsWith('/offline/')) files.delete(path);

    const evaluated = await cli('eval', '--bundle', 'offline.json', '--metric', 'offline', '--data', 'pairs.jsonl', '--no-cache');
    expect(evaluated.stderr).toBe('');
    expect(JSON.parse(evaluated.stdout)).toMatchObject({ metric: 'offline', rows: 2, result: { score: 42 } });
    const checked = await cli('check', '--bundle', 'offline.json', '--no-cache');
    expect(checked).toMatchObject({ code: 0, stdout: expect.stringContaining('1 loaded, 0 failed') });

    const bundle = JSON.parse(await readFile(join(folder, 'offline.json'), 'utf8'));
    const twice = `${origin}/offline/lib/twice.js`;
    bundle.modules[twice].base64 = Buffer.from('export const twice = () => 666;\n').toString('base64');
    await writeFile(join(folder, 'tampered.json'), JSON.stringify(bundle));
    const refused = await cli('check', '--bundle', 'tampered.json', '--no-cache');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^plugboard: integrity: \[codex_ml\.metrics\/offline\] the bundled bytes of .*twice\.js, which codex_ml\.metrics\/offline imports do not match its pin/);
    expect(refused.stderr).toContain(twice);
  });

  it('downloads a bundle from a lock (pip download -r), refusing bytes that moved from their pins and writing nothing then', async () => {
    await cli('freeze', publish('locked'), '--lock', 'locked.json', '--no-cache');
    const again = await cli('freeze', 'locked.json', '--bundle', 'from-lock.json', '--no-cache');
    expect(again.code).toBe(0);
    expect(Object.keys(JSON.parse(await readFile(join(folder, 'from-lock.json'), 'utf8')).modules)).toHaveLength(4);

    files.set('/locked/base.js', 'export const base = 666;\n');
    const moved = await cli('freeze', 'locked.json', '--bundle', 'moved.json', '--no-cache');
    expect(moved.code).toBe(1);
    expect(moved.stderr).toMatch(/INTEGRITY_MISMATCH|not the one pinned at install/);
    expect(moved.stderr).toContain(`${origin}/locked/base.js`);
    await expect(stat(join(folder, 'moved.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('with --allow-origin loads only from the sources and the origins given', async () => {
    const manifest = publish('narrow');
    const allowed = await cli('freeze', manifest, '--allow-origin', 'https://elsewhere.example', '--no-cache');
    expect(allowed.code).toBe(0); // the manifest's own origin is allowed with it
    // The same server under another name is another origin, which the plugin now imports from.
    const other = origin.replace('127.0.0.1', 'localhost');
    files.set('/narrow/x.js', 'export const x = 1;\n');
    files.set('/narrow/entry.js', `import '${other}/narrow/x.js';\n${entry('narrow')}`);
    const third = await cli('freeze', manifest, '--allow-origin', origin, '--no-cache');
    expect(third.code).toBe(1);
    expect(third.stderr).toMatch(/^plugboard: origin: .*would load code from http:\/\/localhost:.*Add the origin with --allow-origin ORIGIN/);
    expect((await cli('freeze', manifest, '--allow-origin', origin, '--allow-origin', other, '--no-cache')).code).toBe(0);
  });

  it('is a usage mistake without a SOURCE, and prints its usage with --help', async () => {
    const none = await cli('freeze');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('freeze needs at least one SOURCE');
    const help = await cli('freeze', '--help');
    expect(help.stdout).toContain('plugboard freeze SOURCE... [--lock FILE] [--bundle FILE]');
  });
});
