import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plugboard } from './plugboard-vite.ts';

let root: string;
let distDir: string;
let appDir: string;

function writeJson(file: string, json: unknown): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify(json));
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'plugboard-vite-'));
  distDir = join(root, 'dist');
  appDir = join(root, 'app');
  mkdirSync(distDir, { recursive: true });
  writeFileSync(join(distDir, 'bundled-packages-Ab_1.js'), 'var e=[];export{e as t};\n//# sourceMappingURL=bundled-packages-Ab_1.js.map');
  writeJson(join(appDir, 'package.json'), { dependencies: { metrics: '1' } });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function started(plugin = plugboard({ distDir, appDir })) {
  plugin.configResolved({ root: appDir, build: { assetsDir: 'assets' } });
  plugin.buildStart.call({ error: (message: string) => { throw new Error(message); } });
  return plugin;
}

describe('plugboard/vite and npm plugin packages', () => {
  it("fills the host's bundled-packages chunk with each discovered package's manifest, URL under assets/plugboard-packages", () => {
    writeJson(join(appDir, 'node_modules', 'metrics', 'package.json'), { name: 'metrics', version: '3.0.0', plugboard: { 'codex_ml.metrics': { m: './m.js#m' } } });
    writeFileSync(join(appDir, 'node_modules', 'metrics', 'm.js'), '');
    const code = started().load(join(distDir, 'bundled-packages-Ab_1.js'))!;
    expect(code).toMatch(/^var e=\[\{ json: /);
    expect(code).toContain('"codex_ml.metrics":{"m":{"url":"./m.js","export":"m","version":"3.0.0"');
    expect(code).toContain('new URL(/* @vite-ignore */ "./plugboard-packages/metrics/plugboard-manifest.json", import.meta.url).href');
    expect(code).not.toContain('sourceMappingURL');
  });

  it('refuses a bundled-packages chunk it cannot fill rather than dropping the packages', () => {
    writeJson(join(appDir, 'node_modules', 'metrics', 'package.json'), { name: 'metrics', plugboard: { g: { m: './m.js' } } });
    writeFileSync(join(appDir, 'node_modules', 'metrics', 'm.js'), '');
    writeFileSync(join(distDir, 'bundled-packages-Ab_1.js'), 'var e=[],f=[];export{e as t};');
    expect(() => started().load(join(distDir, 'bundled-packages-Ab_1.js'))).toThrow(/metrics cannot be shipped/);
  });

  it('leaves every other module alone', () => {
    expect(started().load(join(distDir, 'index.js'))).toBeUndefined();
    expect(started().load(join(root, 'elsewhere', 'bundled-packages.js'))).toBeUndefined();
  });

  it('fails the build on a bad plugboard field, naming the package, the field and what to do', () => {
    writeJson(join(appDir, 'node_modules', 'metrics', 'package.json'), { name: 'metrics', plugboard: { 'codex_ml.metrics': { m: './missing.js#m' } } });
    expect(() => started()).toThrow(/package metrics: "\.\/missing\.js" does not exist[\s\S]*plugboard\["codex_ml\.metrics"\]\["m"\][\s\S]*Build the package/);
  });
});

describe('plugboard/vite under the dev server', () => {
  const chunk = () => join(distDir, 'bundled-packages-Ab_1.js');

  /** The plugin as `vite` (serve) sets it up; resolves with its optimizer plugin, its middleware on a real port, and what it logged. */
  async function serving(plugin = plugboard({ distDir })) {
    const setup = plugin.config({ root: appDir }, { command: 'serve' });
    plugin.configResolved({ root: appDir, base: '/', build: { assetsDir: 'assets' } });
    const logged: string[] = [];
    let middleware: Parameters<Parameters<typeof plugin.configureServer>[0]['middlewares']['use']>[0] | undefined;
    plugin.configureServer({ middlewares: { use: (handler) => void (middleware = handler) }, config: { logger: { error: (message) => void logged.push(message) } } });
    const server = createServer((request, response) => middleware!(request, response, () => response.writeHead(299).end('next')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return { optimizer: setup.optimizeDeps!.rolldownOptions.plugins[0]!, port: (server.address() as { port: number }).port, logged };
  }

  /** A GET with the exact path given (fetch would normalize `..` away). */
  function get(port: number, path: string): Promise<{ status: number; type: string | undefined; body: string }> {
    return new Promise((resolve, reject) => {
      request({ host: '127.0.0.1', port, path }, (response) => {
        let body = '';
        response.on('data', (part) => (body += part));
        response.on('end', () => resolve({ status: response.statusCode!, type: response.headers['content-type'], body }));
      })
        .on('error', reject)
        .end();
    });
  }

  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  function installMetrics(field: unknown = { 'codex_ml.metrics': { m: './m.js#m' } }) {
    writeJson(join(appDir, 'node_modules', 'metrics', 'package.json'), { name: 'metrics', version: '3.0.0', plugboard: field });
    writeFileSync(join(appDir, 'node_modules', 'metrics', 'm.js'), 'export const m = 1;\n');
  }

  it("puts each package's manifest into the host the dependency optimizer bundles, its URL under /@plugboard-packages/", async () => {
    installMetrics();
    const { optimizer } = await serving();
    const code = optimizer.load(chunk())!;
    expect(code).toContain('"codex_ml.metrics":{"m":{"url":"./m.js","export":"m","version":"3.0.0"');
    expect(code).toContain('new URL(/* @vite-ignore */ "/@plugboard-packages/metrics/plugboard-manifest.json", import.meta.url).href');
    expect(optimizer.load(join(distDir, 'index.js'))).toBeUndefined();
  });

  it("renames its optimizer plugin when a package's plugboard field changes, so Vite bundles the host again", async () => {
    installMetrics();
    const first = (await serving()).optimizer.name;
    expect((await serving()).optimizer.name).toBe(first);
    installMetrics({ 'codex_ml.metrics': { m: './m.js#m', n: './m.js#m' } });
    expect((await serving()).optimizer.name).not.toBe(first);
  });

  it("serves the package's manifest and modules as they are on disk, uncached, JavaScript as text/javascript", async () => {
    installMetrics();
    const { port } = await serving();
    expect(await get(port, '/@plugboard-packages/metrics/m.js')).toEqual({ status: 200, type: 'text/javascript; charset=utf-8', body: 'export const m = 1;\n' });
    writeFileSync(join(appDir, 'node_modules', 'metrics', 'm.js'), 'export const m = 2;\n');
    expect((await get(port, '/@plugboard-packages/metrics/m.js')).body).toBe('export const m = 2;\n');
    const manifest = await get(port, '/@plugboard-packages/metrics/plugboard-manifest.json');
    expect(manifest.type).toBe('application/json; charset=utf-8');
    expect(JSON.parse(manifest.body)).toMatchObject({ name: 'metrics', groups: { 'codex_ml.metrics': { m: { url: './m.js' } } } });
    expect((await get(port, '/src/main.js')).status).toBe(299);
  });

  it('refuses paths that leave the package, hidden files and files a build would not ship', async () => {
    installMetrics();
    writeFileSync(join(appDir, 'secret.js'), 'export const secret = "s3cr3t";\n');
    writeFileSync(join(appDir, 'node_modules', 'metrics', '.env'), 'TOKEN=1');
    writeFileSync(join(appDir, 'node_modules', 'metrics', 'notes.txt'), 'notes');
    symlinkSync(join(appDir, 'secret.js'), join(appDir, 'node_modules', 'metrics', 'linked.js'));
    const { port } = await serving();
    for (const path of ['/@plugboard-packages/metrics/../../../secret.js', '/@plugboard-packages/metrics/%2e%2e/%2e%2e/%2e%2e/secret.js', '/@plugboard-packages/metrics/linked.js', '/@plugboard-packages/metrics/.env']) {
      const answer = await get(port, path);
      expect({ path, status: answer.status }).toEqual({ path, status: 403 });
      expect(answer.body).not.toContain('s3cr3t');
    }
    expect((await get(port, '/@plugboard-packages/metrics/notes.txt')).status).toBe(404);
    const unknown = await get(port, '/@plugboard-packages/other/m.js');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain("the app's plugin packages: metrics");
  });

  it('logs a bad plugboard field naming the package and serves on without it', async () => {
    installMetrics({ 'codex_ml.metrics': { m: './missing.js#m' } });
    const { logged, optimizer, port } = await serving();
    expect(logged).toEqual([expect.stringMatching(/package metrics: "\.\/missing\.js" does not exist[\s\S]*plugboard\["codex_ml\.metrics"\]\["m"\]/)]);
    expect(optimizer.load(chunk())).toBe('var e=[];export{e as t};');
    expect((await get(port, '/@plugboard-packages/metrics/m.js')).status).toBe(404);
  });
});
