import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { RunContextProvider } from '../adapters/index.ts';
import { openArtifactRepository } from '../artifacts/index.ts';
import type { PlugboardError } from '../errors/index.ts';
import { createFluentTracking, IdbTrackingStore, type NamedContextProvider } from './index.ts';

let counter = 0;
const freshStore = (): IdbTrackingStore => new IdbTrackingStore(`fluent-${process.pid}-${++counter}`);
const provider = (tags: Record<string, string>, inContext = true): RunContextProvider => ({ inContext: () => inContext, tags: () => tags });
const tagsOf = (run: { data: { tags: { key: string; value: string }[] } }): Record<string, string> =>
  Object.fromEntries(run.data.tags.map((tag) => [tag.key, tag.value]));

describe('fluent tracking', () => {
  it('starts a run with the tags of every provider in context, in order, explicit tags last and winning', async () => {
    const store = freshStore();
    const providers: NamedContextProvider[] = [
      ['first', provider({ shared: 'first', a: '1' })],
      ['absent', provider({ shared: 'absent', never: 'x' }, false)],
      ['second', provider({ shared: 'second', b: '2' })],
    ];
    const fluent = createFluentTracking({ store, contextProviders: providers });
    const run = await fluent.startRun({ runName: 'r', tags: { b: 'explicit' } });
    const stored = await store.getRun(run.info.runId);
    expect(tagsOf(stored)).toEqual({ shared: 'second', a: '1', b: 'explicit', 'mlflow.runName': 'r' });
  });

  it('skips a provider that throws, with a CONTEXT_PROVIDER_FAILED warning naming it, and keeps the others', async () => {
    const warnings: PlugboardError[] = [];
    const broken: RunContextProvider = { inContext: () => true, tags: () => { throw new Error('no access'); } };
    const fluent = createFluentTracking({
      store: freshStore(),
      contextProviders: async () => [['broken', broken], ['fine', provider({ ok: 'yes' })]],
      onWarning: (warning) => warnings.push(warning),
    });
    const run = await fluent.startRun();
    expect(tagsOf(run).ok).toBe('yes');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'CONTEXT_PROVIDER_FAILED', plugin: 'broken', group: 'mlflow.run_context_provider' });
    expect(warnings[0]?.problem).toContain('no access');
  });

  it('skips a provider whose tags are not strings instead of coercing them', async () => {
    const warnings: PlugboardError[] = [];
    const numeric = { inContext: () => true, tags: () => ({ n: 5 }) } as unknown as RunContextProvider;
    const run = await createFluentTracking({ store: freshStore(), contextProviders: [['numeric', numeric]], onWarning: (w) => warnings.push(w) }).startRun();
    expect(tagsOf(run).n).toBeUndefined();
    expect(warnings[0]?.problem).toContain('tag "n" is number');
  });

  it('nests runs with mlflow.parentRunId and refuses a second top-level run with INVALID_STATE', async () => {
    const store = freshStore();
    const fluent = createFluentTracking({ store });
    const parent = await fluent.startRun({ runName: 'parent' });
    await expect(fluent.startRun()).rejects.toMatchObject({ code: 'INVALID_STATE' });
    const child = await fluent.startRun({ nested: true, runName: 'child' });
    expect(tagsOf(child)['mlflow.parentRunId']).toBe(parent.info.runId);
    expect(fluent.activeRun()?.info.runId).toBe(child.info.runId);
    await fluent.endRun();
    expect(fluent.activeRun()?.info.runId).toBe(parent.info.runId);
    await fluent.endRun('KILLED');
    expect(fluent.activeRun()).toBeNull();
    expect((await store.getRun(child.info.runId)).info.status).toBe('FINISHED');
    expect((await store.getRun(parent.info.runId)).info.status).toBe('KILLED');
  });

  it('logs metrics, params and tags to the active run and ends it with an end time', async () => {
    const store = freshStore();
    const fluent = createFluentTracking({ store, now: () => 1_700_000_000_000, defaultExperimentId: '0' });
    const run = await fluent.startRun();
    await fluent.logMetric('loss', 0.5, 1);
    await fluent.logMetrics({ loss: 0.25, acc: 0.9 }, 2);
    await fluent.logParam('lr', 0.01);
    await fluent.logParams({ epochs: 3, model: 'cnn' });
    await fluent.setTag('stage', 'dev');
    await fluent.setTags({ owner: 'me' });
    await fluent.endRun();
    const stored = await store.getRun(run.info.runId);
    expect(stored.info).toMatchObject({ status: 'FINISHED', endTime: 1_700_000_000_000 });
    expect(Object.fromEntries(stored.data.params.map((param) => [param.key, param.value]))).toEqual({ lr: '0.01', epochs: '3', model: 'cnn' });
    expect(tagsOf(stored)).toMatchObject({ stage: 'dev', owner: 'me' });
    expect((await store.getMetricHistory(run.info.runId, 'loss')).map((point) => [point.step, point.value])).toEqual([[1, 0.5], [2, 0.25]]);
  });

  it('logs more than 1000 metrics at once in several all-or-nothing batches', async () => {
    const store = freshStore();
    const fluent = createFluentTracking({ store });
    const run = await fluent.startRun();
    await fluent.logMetrics(Object.fromEntries(Array.from({ length: 1500 }, (_, index) => [`m${index}`, index])));
    expect((await store.getRun(run.info.runId)).data.metrics).toHaveLength(1500);
  });

  it('starts a run when logging with none active, and endRun with none active does nothing', async () => {
    const store = freshStore();
    const fluent = createFluentTracking({ store });
    await fluent.endRun();
    await fluent.logMetric('m', 1);
    const active = fluent.activeRun();
    expect(active).not.toBeNull();
    expect((await store.getRun(active!.info.runId)).data.metrics.map((metric) => metric.key)).toEqual(['m']);
  });

  it('resumes an existing run by id, RUNNING again', async () => {
    const store = freshStore();
    const fluent = createFluentTracking({ store });
    const first = await fluent.startRun();
    await fluent.endRun('FAILED');
    const resumed = await fluent.startRun({ runId: first.info.runId });
    expect(resumed.info).toMatchObject({ runId: first.info.runId, status: 'RUNNING', endTime: null });
  });

  it('writes artifacts through the repository opened on the active run artifact URI', async () => {
    const logArtifact = vi.fn(async () => {});
    const opened: string[] = [];
    const fluent = createFluentTracking({
      store: freshStore(),
      artifactRepository: async (uri) => {
        opened.push(uri);
        return { logArtifact };
      },
    });
    const run = await fluent.startRun();
    const blob = new Blob(['hello']);
    await fluent.logArtifact(blob, 'notes/hello.txt');
    expect(opened).toEqual([run.info.artifactUri]);
    expect(logArtifact).toHaveBeenCalledWith(blob, 'notes/hello.txt');
  });

  it('stores an artifact in the IndexedDB artifact repository under the run, readable back', async () => {
    const fluent = createFluentTracking({ store: freshStore(), artifactRepository: (uri) => openArtifactRepository(uri) });
    const run = await fluent.startRun();
    await fluent.logArtifact(new Blob(['hello artifacts']), 'notes/hello.txt');
    const repository = await openArtifactRepository(run.info.artifactUri);
    expect(await (await repository.downloadArtifact('notes/hello.txt')).text()).toBe('hello artifacts');
    expect((await repository.listArtifacts('notes')).map((file) => file.path)).toEqual(['notes/hello.txt']);
  });

  it('refuses logArtifact without an artifact repository, saying how to give one', async () => {
    const fluent = createFluentTracking({ store: freshStore() });
    await fluent.startRun();
    await expect(fluent.logArtifact(new Blob(['x']), 'x.txt')).rejects.toMatchObject({ code: 'NO_ARTIFACT_REPOSITORY', hint: expect.stringContaining('artifactRepository') });
  });
});
