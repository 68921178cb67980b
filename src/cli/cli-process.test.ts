// The built `plugboard` executable in a real child process: Vite builds the library (the CLI and every
// built-in plugin as its own module) into a folder under node_modules/.cache, and node runs cli.js there,
// loading the plugins through the built manifest exactly as an installed copy does.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort as findClosedPort } from '../loader/closed-port.test-helpers.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const viteBin = join(root, 'node_modules/vite/bin/vite.js');
let buildDir: string;
let dataDir: string;

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const plugboard = (...args: string[]) => run(process.execPath, [join(buildDir, 'cli.js'), ...args], dataDir, { XDG_CACHE_HOME: join(dataDir, 'xdg-cache') });

beforeAll(async () => {
  // Inside the project, so the built modules resolve their packages from its node_modules as dist/ does.
  await mkdir(join(root, 'node_modules/.cache'), { recursive: true });
  buildDir = await mkdtemp(join(root, 'node_modules/.cache/plugboard-cli-'));
  dataDir = await mkdtemp(join(buildDir, 'data-'));
  const build = await run(process.execPath, [viteBin, 'build', '--outDir', buildDir, '--emptyOutDir', 'false', '--logLevel', 'error'], root);
  if (build.code !== 0) throw new Error(`vite build failed:\n${build.stderr}`);
  await writeFile(join(dataDir, 'labels.csv'), 'prediction,reference\r\ncat,cat\r\ndog,cat\r\n"d""og",d"og\r\ncat,cat\r\n');
  await writeFile(join(dataDir, 'pairs.jsonl'), '{"prediction":"the cat sat","reference":"the cat sat"}\n{"prediction":"a","reference":["b","a"]}\n');
  await writeFile(join(dataDir, 'bad.jsonl'), '{"prediction":"a","reference":"a"}\n{"prediction":"b",\n');
  await writeFile(join(dataDir, 'quoted-cr.csv'), '"pred\rx",reference\na,a\nb,c\n');
  await writeFile(join(dataDir, 'header-only.csv'), 'prediction,reference\n');
  await writeFile(join(dataDir, 'good.js'), "export const count = Object.assign((predictions) => predictions.length, { api: 'v1' });\n");
  await writeFile(join(dataDir, 'team.json'), JSON.stringify({ manifestVersion: 1, name: 'team', groups: { 'codex_ml.metrics': { count: './good.js#count', lost: './lost.js#lost' } } }));
}, 120_000);

afterAll(async () => {
  if (buildDir) await rm(buildDir, { recursive: true, force: true });
});

describe('the built plugboard command', () => {
  it('starts with a node shebang, so npm can install it as the bin', async () => {
    expect((await readFile(join(buildDir, 'cli.js'), 'utf8')).split('\n')[0]).toBe('#!/usr/bin/env node');
    const manifest = createRequire(import.meta.url)(join(root, 'package.json')) as { bin?: Record<string, string> };
    expect(manifest.bin).toEqual({ plugboard: 'dist/cli.js' });
  });

  it('prints its package version for --version and exits 0, and exits 1 for an unknown --group', async () => {
    const { version } = createRequire(import.meta.url)(join(root, 'package.json')) as { version: string };
    expect(await plugboard('--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const unknown = await plugboard('list', '--group', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no manifest declares the group "nope"');
  });

  it('evaluates a CSV file and prints one JSON object on stdout', async () => {
    const { code, stdout, stderr } = await plugboard('eval', '--metric', 'accuracy', '--data', 'labels.csv');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe('{"metric":"accuracy","rows":4,"result":0.75}\n');
  });

  it('evaluates several metrics of a JSON Lines file with several references into one results map', async () => {
    const { code, stdout, stderr } = await plugboard('eval', '--metric', 'squad', '--metric', 'chrf', '--data', 'pairs.jsonl', '--option', 'chrf.char_order=6');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const output = JSON.parse(stdout);
    expect(output).toMatchObject({ metrics: ['squad', 'chrf'], rows: 2, results: { squad: { exact_match: 100 } } });
    expect(output.results.chrf.score).toBeGreaterThan(0);
  });

  it('evaluates a Parquet file through the built parquet loader', async () => {
    const parquet = join(root, 'src/plugins/data-loaders/fixtures/rows-zstd.parquet');
    const { code, stdout, stderr } = await plugboard('eval', '--metric', 'exact_match', '--data', parquet);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toEqual({ metric: 'exact_match', rows: 5, result: 0.2 });
  });

  it('exits 1 with exactly one stderr line naming the file and line of a malformed row', async () => {
    const { code, stdout, stderr } = await plugboard('eval', '--metric', 'accuracy', '--data', 'bad.jsonl');
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr.endsWith('\n')).toBe(true);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^plugboard: bad\.jsonl line 2: not valid JSON/);
  });

  it('reads the rows of a CSV file whose header holds a quoted CR', async () => {
    const { code, stdout, stderr } = await plugboard('eval', '--metric', 'accuracy', '--data', 'quoted-cr.csv', '--predictions', 'pred\rx');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe('{"metric":"accuracy","rows":2,"result":0.5}\n');
  });

  it('exits 1 with one stderr line naming a data file that has no rows', async () => {
    const { code, stdout, stderr } = await plugboard('eval', '--metric', 'accuracy', '--data', 'header-only.csv');
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^plugboard: \[codex_ml\.data_loaders\/csv\] header-only\.csv has no rows to score/);
  });

  it('exits 2 with the usage text for bad usage', async () => {
    const { code, stdout, stderr } = await plugboard('eval', '--data', 'labels.csv');
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain('plugboard: eval needs at least one --metric NAME');
    expect(stderr).toContain('Usage: plugboard eval --metric NAME --data FILE');
  });

  it('lists the built-in tokenizers', async () => {
    const { code, stdout } = await plugboard('list', '--group', 'codex_ml.tokenizers');
    expect(code).toBe(0);
    expect(stdout.split('\n').filter(Boolean).map((line) => line.trim().split(/\s+/)[0])).toEqual(['codex_ml.tokenizers', 'hf', 'regex', 'sentencepiece', 'whitespace']);
  });

  it('checks a manifest, prints the load report and exits 1 when a plugin fails', async () => {
    const { code, stdout } = await plugboard('check', 'team.json');
    expect(code).toBe(1);
    expect(stdout).toMatch(/ok {4}codex_ml\.metrics\/count/);
    expect(stdout).toMatch(/FAIL {2}\[fetch\] \[codex_ml\.metrics\/lost\]/);
    expect(stdout).toMatch(/1 loaded, 1 failed\n$/);
  });
});

// A CDN on this machine: the e2e fixture plugins, and a manifest naming good plugins and one of each failure.
describe('the built plugboard command with plugins from an http origin', () => {
  const fixtures = join(root, 'e2e/fixtures/cdn');
  let server: Server | undefined;
  let cdn: string;
  let port: number;
  let closedPort: number;

  const listen = (at: number) =>
    new Promise<Server>((resolve, reject) => {
      const created = createServer(async (request, response) => {
        const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
        if (path === '/check.json') {
          response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(CHECK_MANIFEST(closedPort)));
          return;
        }
        const file = join(fixtures, path);
        const found = file.startsWith(fixtures) && (await stat(file).catch(() => undefined))?.isFile();
        if (!found) {
          response.writeHead(404).end();
          return;
        }
        response.writeHead(200, { 'Content-Type': path.endsWith('.json') ? 'application/json' : 'text/javascript' });
        createReadStream(file).pipe(response);
      });
      created.once('error', reject);
      created.listen(at, '127.0.0.1', () => resolve(created));
    });
  const close = () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));

  beforeAll(async () => {
    closedPort = await findClosedPort();
    server = await listen(0);
    port = (server.address() as { port: number }).port;
    cdn = `http://127.0.0.1:${port}`;
  });
  afterAll(close);

  it('loads every good plugin of an http manifest, their relative and mapped imports included', async () => {
    const good = await plugboard('check', `${cdn}/good.json`);
    expect(good.stdout).toMatch(/11 loaded, 0 failed\n$/);
    expect(good.code).toBe(0);
    const mapped = await plugboard('check', '--json', `${cdn}/mapped.json`);
    expect(JSON.parse(mapped.stdout)).toMatchObject({ loaded: [{ group: 'codex_ml.metrics', name: 'loud' }], errors: [] });
  });

  it('reports each bad plugin of an http manifest at its real stage, with a hint naming the real cause', async () => {
    const { code, stdout } = await plugboard('check', '--json', `${cdn}/check.json`);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { loaded: { name: string }[]; errors: { plugin: string; stage: string; code: string; problem: string; hint: string }[] };
    expect(report.loaded.map((entry) => entry.name).sort()).toEqual(['good', 'relative']);
    const byName = Object.fromEntries(report.errors.map((error) => [error.plugin, error]));
    expect(Object.fromEntries(report.errors.map((error) => [error.plugin, [error.stage, error.code]]))).toEqual({
      throws_at_import: ['import', 'IMPORT_FAILED'],
      wrong_shape: ['validate', 'INVALID_PLUGIN'],
      missing_export: ['lex', 'MISSING_EXPORT'],
      unmapped_import: ['lex', 'UNMAPPED_IMPORT'],
      bad_integrity: ['integrity', 'INTEGRITY_MISMATCH'],
      missing_file: ['fetch', 'FETCH_FAILED'],
      no_server: ['fetch', 'FETCH_FAILED'],
      ftp: ['fetch', 'UNSUPPORTED_SCHEME'],
    });
    expect(byName['throws_at_import']!.problem).toContain('fixture: this plugin fails at import');
    expect(byName['throws_at_import']!.hint).toContain('threw while it was evaluated');
    expect(byName['missing_file']!.problem).toContain('404');
    expect(byName['no_server']!.problem).toContain('ECONNREFUSED');
    expect(byName['no_server']!.hint).toContain('CORS does not apply');
    expect(byName['ftp']!.problem).toContain('ftp:');
    for (const error of report.errors) expect(error.problem).not.toContain('Only URLs with a scheme in');
  });

  it('runs the cached bytes when the server is gone, and fails naming the fetch with --no-cache', async () => {
    const cacheDir = join(dataDir, 'offline-cache');
    const online = await plugboard('check', '--cache-dir', cacheDir, `${cdn}/mapped.json`);
    expect(online.code).toBe(0);
    await close();
    server = undefined;
    const offline = await plugboard('check', '--cache-dir', cacheDir, `${cdn}/mapped.json`);
    expect(offline.stdout).toMatch(/ok {4}codex_ml\.metrics\/loud/);
    expect(offline.code).toBe(0);
    const uncached = await plugboard('check', '--no-cache', `${cdn}/mapped.json`);
    expect(uncached.code).toBe(1);
    expect(uncached.stdout).toContain('ECONNREFUSED');
    server = await listen(port);
  });
});

function CHECK_MANIFEST(closedPort: number) {
  return {
    manifestVersion: 1,
    name: 'check',
    groups: {
      'codex_ml.metrics': {
        good: './plugins/good.js#charCount',
        relative: './plugins/relative/entry.js#relativeMetric',
        throws_at_import: './plugins/throws.js#broken',
        wrong_shape: './plugins/wrong-shape.js#notAMetric',
        missing_export: './plugins/no-export.js#theMetric',
        unmapped_import: './plugins/unmapped.js#padded',
        bad_integrity: { url: './plugins/good.js', export: 'charCount', integrity: `sha384-${'A'.repeat(64)}` },
        missing_file: './plugins/does-not-exist.js#x',
        no_server: `http://127.0.0.1:${closedPort}/plugins/good.js#charCount`,
        ftp: 'ftp://127.0.0.1/plugins/good.js#charCount',
      },
    },
  };
}
