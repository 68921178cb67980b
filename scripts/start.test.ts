// `npm start` in a real child process: what it says when it cannot serve.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));
let taken: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => (taken ? taken.close(resolve) : resolve(undefined)));
  taken = undefined;
});

function start(port: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/start.js'], { cwd: root, env: { ...process.env, PORT: port, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    // A server that did start is stopped, so the test fails by its output instead of hanging.
    const timer = setTimeout(() => child.kill(), 15_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm start', () => {
  it('exits 1 with one line naming a taken port and how to choose another', async () => {
    const server = createServer();
    taken = server;
    const port = await new Promise<number>((resolve) => server.listen({ port: 0, host: 'localhost' }, () => resolve((server.address() as { port: number }).port)));
    const { code, stdout, stderr } = await start(String(port));
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr.trimEnd().split('\n')).toEqual([
      `plugboard: port ${port} is taken: another program (perhaps the app, started before) listens on it. Stop that program, or choose another port: PORT=${port + 1} npm start`,
    ]);
  });

  it('exits 1 with one line for a PORT that is not a port', async () => {
    for (const port of ['abc', '70000', '0']) {
      const { code, stderr } = await start(port);
      expect({ port, code }).toEqual({ port, code: 1 });
      expect(stderr).toBe(`plugboard: PORT must be a whole number from 1 to 65535, received ${JSON.stringify(port)}; for example PORT=8080 npm start\n`);
    }
  });
});
