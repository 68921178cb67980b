import { mkdtemp, mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlugboardError } from '../index.ts';
import { startDevServer, type DevServer, type DevServerEvent } from './index.ts';

const APP = 'http://localhost:5173';

/** Saves a file as many editors do: written beside it, then renamed over it, so the watcher sees one change. */
async function save(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp~`, text);
  await rename(`${path}.tmp~`, path);
}

let parent: string;
let folder: string;
let server: DevServer | undefined;

beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), 'plugboard-dev-'));
  folder = join(parent, 'my-plugin');
  await mkdir(folder);
  await writeFile(join(parent, 'secret.txt'), 'the secret outside the folder');
  await writeFile(join(folder, 'plugins-manifest.json'), JSON.stringify({ manifestVersion: 1, name: 'mine', groups: { 'codex_ml.metrics': { ratio: './metric.js#ratio' } } }));
  await writeFile(join(folder, 'metric.js'), "import { half } from './half.js';\nexport const ratio = Object.assign(() => half, { api: 'v1' });\n");
  await writeFile(join(folder, 'half.js'), 'export const half = 0.5;\n');
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(parent, { recursive: true, force: true });
});

/** A GET with the exact path given (fetch would normalize `..` away before sending it). */
function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const sent = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

const portOf = (dev: DevServer) => Number(new URL(dev.url).port);

/** Reads a Server-Sent Events stream: each call to `next()` resolves with the next event's name and data. */
async function events(url: string): Promise<{ next(): Promise<{ event: string; data: DevServerEvent }>; close(): void }> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { origin: APP }, signal: controller.signal });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    async next() {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) return { event, data: JSON.parse(data) as DevServerEvent };
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('the event stream ended');
        buffer += value;
      }
    },
    close: () => controller.abort(),
  };
}

describe('startDevServer', () => {
  it('serves the manifest and the modules as JavaScript, uncached, with CORS for a page on localhost', async () => {
    server = await startDevServer({ folder, port: 0 });
    expect(server.manifestUrl).toBe(`${server.url}plugins-manifest.json`);
    const manifest = await fetch(server.manifestUrl, { headers: { origin: APP } });
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(manifest.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await manifest.json()).toMatchObject({ name: 'mine' });
    const module = await fetch(new URL('metric.js', server.url), { headers: { origin: APP } });
    expect(module.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(module.headers.get('cache-control')).toBe('no-store');
    expect(await module.text()).toContain('export const ratio');
    // The same file under a generation's path, so each change gives every module a URL of its own.
    expect(await (await fetch(new URL('@dev/7/half.js', server.url))).text()).toBe('export const half = 0.5;\n');
  });

  it('answers a CORS preflight, and turns away pages of other origins unless they were allowed', async () => {
    server = await startDevServer({ folder, port: 0, origins: ['https://app.example'] });
    const preflight = await fetch(server.manifestUrl, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET', 'access-control-request-private-network': 'true' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(preflight.headers.get('access-control-allow-private-network')).toBe('true');
    const stranger = await fetch(server.manifestUrl, { headers: { origin: 'https://evil.example' } });
    expect(stranger.status).toBe(403);
    expect(await stranger.text()).toContain('--origin https://evil.example');
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers only its own host names, so a rebound DNS name cannot reach it', async () => {
    server = await startDevServer({ folder, port: 0 });
    const rebound = await rawGet(portOf(server), '/metric.js', { host: `attacker.example:${portOf(server)}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain('export');
  });

  it('refuses every path that leaves the folder, encoded or through a link, and hidden files', async () => {
    await symlink(join(parent, 'secret.txt'), join(folder, 'linked.txt'));
    await writeFile(join(folder, '.env'), 'TOKEN=hidden');
    server = await startDevServer({ folder, port: 0 });
    const port = portOf(server);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/@dev/2/../../secret.txt', '/%2F..%2Fsecret.txt', '/..%5Csecret.txt', '/linked.txt', '/.env', '/%2eenv']) {
      const answer = await rawGet(port, path);
      expect({ path, status: answer.status }).toEqual({ path, status: 403 });
      expect(answer.body).not.toContain('secret outside');
      expect(answer.body).not.toContain('TOKEN');
    }
    expect((await rawGet(port, '/%E0%A4%A')).status).toBe(400);
    expect((await rawGet(port, '/nothing-here.js')).status).toBe(404);
  });

  it('tells connected apps when a file changed, with the generation whose URLs serve the new bytes', async () => {
    server = await startDevServer({ folder, port: 0, settleMs: 20 });
    const stream = await events(new URL('@dev/events', server.url).href);
    const ready = await stream.next();
    expect(ready).toEqual({ event: 'ready', data: { generation: 1, manifest: `${server.url}@dev/1/plugins-manifest.json`, files: [], problems: [] } });
    await save(join(folder, 'half.js'), 'export const half = 0.25;\n');
    const change = await stream.next();
    stream.close();
    expect(change.event).toBe('change');
    expect(change.data).toMatchObject({ generation: 2, manifest: `${server.url}@dev/2/plugins-manifest.json`, files: ['half.js'], problems: [] });
    expect(await (await fetch(new URL('half.js', change.data.manifest))).text()).toBe('export const half = 0.25;\n');
  });

  it('checks the manifest at start and after each change, naming the file and the JSON path of each problem', async () => {
    await writeFile(join(folder, 'plugins-manifest.json'), JSON.stringify({ manifestVersion: 1, groups: { 'codex_ml.metrics': { ratio: './metric.js#ratio', gone: './gone.js', far: '../secret.js' } } }));
    server = await startDevServer({ folder, port: 0, settleMs: 20 });
    const file = pathToFileURL(join(folder, 'plugins-manifest.json')).href;
    expect(server.folder.problems.map(({ code, url, field }) => ({ code, url, field }))).toEqual([
      { code: 'DEV_MODULE_MISSING', url: file, field: 'groups["codex_ml.metrics"]["gone"]' },
      { code: 'DEV_OUTSIDE_FOLDER', url: file, field: 'groups["codex_ml.metrics"]["far"]' },
    ]);
    const stream = await events(new URL('@dev/events', server.url).href);
    expect((await stream.next()).data.problems).toHaveLength(2);
    await save(join(folder, 'plugins-manifest.json'), JSON.stringify({ manifestVersion: 1, groups: { 'codex_ml.metrics': { ratio: { url: './metric.js', api: 3 } } } }));
    const change = await stream.next();
    stream.close();
    expect(change.data.problems).toEqual([expect.objectContaining({ code: 'INVALID_MANIFEST', url: file, field: expect.stringContaining('api'), group: 'codex_ml.metrics', plugin: 'ratio' })]);
  });

  it('lexes each module as the page would, naming a missing export or a syntax error with the module and the entry', async () => {
    await writeFile(join(folder, 'metric.js'), 'export const other = 1;\n');
    server = await startDevServer({ folder, port: 0, settleMs: 20 });
    const module = pathToFileURL(join(folder, 'metric.js')).href;
    expect(server.folder.problems).toEqual([
      expect.objectContaining({ code: 'MISSING_EXPORT', stage: 'lex', group: 'codex_ml.metrics', plugin: 'ratio', url: module, hint: expect.stringContaining('It exports: other') }),
    ]);
    expect(server.folder.problems[0]!.problem).toContain('groups["codex_ml.metrics"]["ratio"]');
    const stream = await events(new URL('@dev/events', server.url).href);
    await stream.next();
    await save(join(folder, 'metric.js'), 'export const ratio = (;\n');
    const change = await stream.next();
    stream.close();
    expect(change.data.problems).toEqual([expect.objectContaining({ code: 'MODULE_SYNTAX', url: module, plugin: 'ratio', field: expect.stringMatching(/^line 1, column \d+$/) })]);
  });

  it('serves a package.json "plugboard" field as a manifest whose module URLs are inside the folder', async () => {
    await rm(join(folder, 'plugins-manifest.json'));
    await writeFile(join(folder, 'package.json'), JSON.stringify({ name: 'plugboard-plugin-ratio', version: '0.2.0', plugboard: { 'codex_ml.metrics': { ratio: './metric.js#ratio' } } }));
    server = await startDevServer({ folder, port: 0 });
    expect(server.folder.problems).toEqual([]);
    expect(await (await fetch(new URL('@dev/3/plugins-manifest.json', server.url))).json()).toEqual({
      manifestVersion: 1,
      name: 'plugboard-plugin-ratio',
      groups: { 'codex_ml.metrics': { ratio: { url: './metric.js', export: 'ratio', version: '0.2.0', description: 'from the npm package plugboard-plugin-ratio' } } },
    });
  });

  it('throws DEV_FOLDER_MISSING naming the path when there is no such folder', async () => {
    const missing = join(parent, 'not-here');
    await expect(startDevServer({ folder: missing, port: 0 })).rejects.toMatchObject({ code: 'DEV_FOLDER_MISSING', url: pathToFileURL(missing).href, problem: `${missing} is not a folder`, hint: expect.stringContaining('plugins-manifest.json') });
  });

  it('throws DEV_NO_MANIFEST for a folder without a manifest, and DEV_PORT_TAKEN for a port in use', async () => {
    const empty = join(parent, 'empty');
    await mkdir(empty);
    const missing = await startDevServer({ folder: empty, port: 0 }).catch((thrown: unknown) => thrown);
    expect(missing).toBeInstanceOf(PlugboardError);
    expect(missing).toMatchObject({ code: 'DEV_NO_MANIFEST', url: pathToFileURL(empty).href, hint: expect.stringContaining('plugins-manifest.json') });
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const taken = await startDevServer({ folder, port }).catch((thrown: unknown) => thrown);
    blocker.close();
    expect(taken).toMatchObject({ code: 'DEV_PORT_TAKEN', problem: `port ${port} of 127.0.0.1 is taken by another program`, hint: expect.stringContaining('--port') });
  });

  it('ends the event streams and frees the port when closed', async () => {
    const first = await startDevServer({ folder, port: 0 });
    const stream = await events(new URL('@dev/events', first.url).href);
    await stream.next();
    expect(first.connections).toBe(1);
    await first.close();
    await expect(stream.next()).rejects.toThrow();
    server = await startDevServer({ folder, port: portOf(first) });
    expect(server.url).toBe(first.url);
  });
});
