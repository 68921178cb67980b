import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'plugboard-dev-cli-'));
  await writeFile(join(folder, 'metric.js'), "export const ratio = Object.assign(() => 1, { api: 'v1' });\n");
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Runs `plugboard dev` in-process; `stop()` is Ctrl+C. Resolves `started` once the manifest URL is printed. */
function dev(...args: string[]) {
  const output = { stdout: '', stderr: '' };
  const stop = new AbortController();
  let printed: (url: string) => void = () => {};
  const started = new Promise<string>((resolve) => (printed = resolve));
  const done = runCli(['dev', ...args], {
    stdout: (text) => {
      output.stdout += text;
      const url = /manifest {2}(\S+)/.exec(output.stdout)?.[1];
      if (url) printed(url);
    },
    stderr: (text) => void (output.stderr += text),
    cwd: folder,
    signal: stop.signal,
  });
  return { output, started: Promise.race([started, done.then((code) => `exited ${code}: ${output.stderr}`)]), stop: () => stop.abort(), done };
}

describe('plugboard dev', () => {
  it('prints the manifest URL to connect, serves until Ctrl+C, then closes the port and exits 0', async () => {
    await writeFile(join(folder, 'plugins-manifest.json'), JSON.stringify({ manifestVersion: 1, groups: { 'codex_ml.metrics': { ratio: './metric.js#ratio' } } }));
    const run = dev('.', '--port', '0');
    const url = await run.started;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/plugins-manifest\.json$/);
    expect(run.output.stdout).toContain('(plugins-manifest.json, 1 entry point)');
    expect(run.output.stdout).toContain('Plugins → Develop');
    expect((await fetch(new URL('metric.js', url))).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    run.stop();
    expect(await run.done).toBe(0);
    expect(run.output.stdout).toContain('plugboard dev: stopped');
    await expect(fetch(url)).rejects.toThrow();
  });

  it('prints each manifest problem with its file and JSON path on stderr, and keeps serving', async () => {
    await writeFile(join(folder, 'plugins-manifest.json'), JSON.stringify({ manifestVersion: 1, groups: { 'codex_ml.metrics': { ratio: './missing.js#ratio' } } }));
    const run = dev(folder, '--port', '0');
    const url = await run.started;
    expect(run.output.stderr).toContain('DEV_MODULE_MISSING');
    expect(run.output.stderr).toContain('→ at groups["codex_ml.metrics"]["ratio"]');
    expect(run.output.stderr).toContain(`${folder}/plugins-manifest.json`);
    expect((await fetch(url)).status).toBe(200);
    run.stop();
    expect(await run.done).toBe(0);
  });

  it('exits 1 naming the folder when it holds no manifest, and 2 with the usage for a bad --port', async () => {
    const missing = dev('.', '--port', '0');
    expect(await missing.done).toBe(1);
    expect(missing.output.stderr).toContain('neither a plugins-manifest.json nor a package.json with a "plugboard" field');
    const badPort = dev('.', '--port', 'eighty');
    expect(await badPort.done).toBe(2);
    expect(badPort.output.stderr).toContain('--port must be a whole number');
    expect(badPort.output.stderr).toContain('plugboard dev FOLDER');
  });

  it('is described in plugboard --help', async () => {
    let stdout = '';
    expect(await runCli(['--help'], { stdout: (text) => void (stdout += text), stderr: () => {}, cwd: folder })).toBe(0);
    expect(stdout).toContain('plugboard dev FOLDER [--port N] [--origin ORIGIN]');
    expect(stdout).toContain('not pinned');
  });
});
