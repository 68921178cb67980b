import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handle } from '../../e2e/cdn-server.js';
import { defaultEnvironment } from './environment.ts';
import { PluginLoader } from './plugin-loader.ts';

// Node's module loader is one per process, so this file has its own process and its own dependency deadline.
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const openAnswers = async () => Number(await (await fetch(`${origin}/__open-never-ends`)).text());

describe('modules a plugin imports over http in Node', () => {
  it('are given up at their own deadline: a module imported when first used, whose body never ends, fails naming it and the deadline', { timeout: 15_000 }, async () => {
    const loader = new PluginLoader({
      environment: defaultEnvironment({ cacheFolder: false, dependencyTimeoutMs: 400 }),
      allowedOrigins: new Set([origin]),
      importTimeoutMs: 5000,
    });
    const plugin = (await loader.load({
      group: 'codex_ml.metrics',
      name: 'waits',
      url: `${origin}/plugins/imports-never-ends.js`,
      export: 'waitsOnDependency',
      source: `${origin}/inline.json`,
    })) as () => Promise<unknown>;
    // A hang guard, not a speed bound: without a deadline of its own the import waits forever.
    const guard = new Promise((resolve) => setTimeout(() => resolve('still waiting'), 10_000));
    const outcome = await Promise.race([plugin().then(() => 'settled', (thrown: unknown) => thrown), guard]);
    // The failure crosses Node's module hook thread, which keeps the message of the error and not its class.
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toContain(`${origin}/never-ends.js, did not arrive within 400 ms`);
    expect(await openAnswers()).toBe(0);
  });
});
