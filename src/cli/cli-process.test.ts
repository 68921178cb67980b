// The built `plugboard` executable in a real child process: Vite builds the library (the CLI and every
// built-in plugin as its own module) into a folder under node_modules/.cache, and node runs cli.js there,
// loading the plugins through the built manifest exactly as an installed copy does.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const viteBin = join(root, 'node_modules/vite/bin/vite.js');
let buildDir: string;
let dataDir: string;

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const plugboard = (...args: string[]) => run(process.execPath, [join(buildDir, 'cli.js'), ...args], dataDir);

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
    expect(stdout).toMatch(/FAIL {2}codex_ml\.metrics\/lost {2}\[fetch\]/);
    expect(stdout).toMatch(/1 loaded, 1 failed\n$/);
  });
});
