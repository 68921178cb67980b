import 'fake-indexeddb/auto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../host/index.ts';
import { sourceEnvironment } from '../host/source-environment.test-helpers.ts';

const HEADERS = new URL('./fixtures/headers-manifest.json', import.meta.url).href;

// A server that answers experiments/get and registered-models/get as MLflow does and keeps the headers of each request.
let server: Server;
let base = '';
const seen: IncomingHttpHeaders[] = [];
beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(request.headers);
    response.writeHead(200, { 'Content-Type': 'application/json' });
    if (request.url?.includes('/registered-models/get')) response.end(JSON.stringify({ registered_model: { name: 'clf', creation_timestamp: 1 } }));
    else response.end(JSON.stringify({ experiment: { experiment_id: '0', name: 'Default', lifecycle_stage: 'active' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('request header providers', () => {
  it('send the headers of every provider in context with each request to the server, later names winning', async () => {
    const host = await createHost({ environment: sourceEnvironment(), manifests: [HEADERS] });
    const store = await host.trackingStore(base);
    expect((await store.getExperiment('0')).name).toBe('Default');
    expect(seen.at(-1)).toMatchObject({ authorization: 'Bearer fixture-token', 'x-team': 'second' });
    expect(seen.at(-1)?.['x-asleep']).toBeUndefined();
  });

  it("send them with the requests of the server's model registry too", async () => {
    const host = await createHost({ environment: sourceEnvironment(), manifests: [HEADERS] });
    const registry = await host.modelRegistry(base);
    expect((await registry.getRegisteredModel('clf')).name).toBe('clf');
    expect(seen.at(-1)).toMatchObject({ authorization: 'Bearer fixture-token', 'x-team': 'second' });
  });

  it('send none by default', async () => {
    const host = await createHost({ environment: sourceEnvironment() });
    await (await host.trackingStore(base)).getExperiment('0');
    expect(seen.at(-1)?.authorization).toBeUndefined();
  });
});
