import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createHost } from './index.ts';
import { sourceEnvironment } from './source-environment.test-helpers.ts';

const MEMORY = new URL('../../examples/memory-store/plugins-manifest.json', import.meta.url).href;
const GOOD = new URL('../../e2e/fixtures/cdn/good.json', import.meta.url).href;
const unique = () => `idb://host-stores-${Math.random().toString(36).slice(2)}`;

describe('host stores', () => {
  it('opens the built-in idb tracking store by default, loading it through the manifest, one store per URI', async () => {
    const host = await createHost({ environment: sourceEnvironment() });
    const uri = unique();
    const store = await host.trackingStore(uri);
    expect(await host.trackingStore(uri)).toBe(store);
    expect(host.registry('mlflow.tracking_store').has('idb')).toBe(true);
    const id = await store.createExperiment('host-made');
    expect((await store.getExperiment(id)).name).toBe('host-made');
  });

  it('picks a store plugin by the scheme of its URI', async () => {
    const host = await createHost({ environment: sourceEnvironment(), manifests: [MEMORY] });
    const store = await host.trackingStore('memory://scratch');
    const run = await store.createRun({ experimentId: '0' });
    expect(run.info.status).toBe('RUNNING');
    expect(host.registry('mlflow.tracking_store').names()).toEqual(['memory']);
  });

  it('serves a scheme whose factory was registered by hand, through the same registry as manifest plugins', async () => {
    const { memoryTrackingStore } = await import('../../examples/memory-store/memory-store.ts');
    const host = await createHost({ environment: sourceEnvironment() });
    host.registry('mlflow.tracking_store').register('hand', memoryTrackingStore);
    const store = await host.trackingStore('hand://one');
    const run = await store.createRun({ experimentId: '0', runName: 'by-hand' });
    expect(await host.trackingStore('hand://one')).toBe(store);
    expect((await store.getRun(run.info.runId)).info.runName).toBe('by-hand');
    expect(host.registry('mlflow.tracking_store').list()).toEqual(['hand']);
  });

  it('rejects an unknown scheme, listing the known ones', async () => {
    const host = await createHost({ environment: sourceEnvironment(), manifests: [MEMORY] });
    await expect(host.trackingStore('s3://bucket')).rejects.toMatchObject({
      code: 'UNKNOWN_STORE_SCHEME',
      group: 'mlflow.tracking_store',
      hint: expect.stringContaining('idb:, memory:'),
    });
  });

  it('says what is missing when the idb store was left out with the built-ins', async () => {
    const host = await createHost({ builtins: false });
    await expect(host.trackingStore()).rejects.toMatchObject({ code: 'UNKNOWN_STORE_SCHEME', hint: expect.stringContaining('builtins: false') });
  });

  it('merges the tags of built-in and manifest context providers into a new run, explicit tags winning', async () => {
    const host = await createHost({ environment: sourceEnvironment(), manifests: [GOOD], onWarning: () => {} });
    const tracking = host.tracking({ uri: unique() });
    const run = await tracking.startRun({ runName: 'tagged', tags: { 'plugboard.version': 'explicit' } });
    const tags = Object.fromEntries(run.data.tags.map((tag: { key: string; value: string }) => [tag.key, tag.value]));
    expect(tags['ci.provider']).toBe('fixture');
    expect(tags['plugboard.version']).toBe('explicit');
    expect(tags['mlflow.runName']).toBe('tagged');
    await tracking.logMetric('loss', 0.5, 1);
    await tracking.logArtifact(new Blob(['hello']), 'notes/hello.txt');
    await tracking.endRun();
    const finished = await (await tracking.store()).getRun(run.info.runId);
    expect(finished.info.status).toBe('FINISHED');
    expect(finished.data.metrics.map((m: { key: string; value: number }) => [m.key, m.value])).toEqual([['loss', 0.5]]);
    const artifacts = await host.artifactRepository(finished.info.artifactUri);
    expect(await (await artifacts.downloadArtifact('notes/hello.txt')).text()).toBe('hello');
  });

  it('opens the built-in model registry', async () => {
    const host = await createHost({ environment: sourceEnvironment() });
    const registry = await host.modelRegistry(unique());
    await registry.createRegisteredModel('classifier');
    expect((await registry.getRegisteredModel('classifier')).name).toBe('classifier');
  });
});
