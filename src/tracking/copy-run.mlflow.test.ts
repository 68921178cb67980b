import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createHost } from '../host/index.ts';
import { sourceEnvironment } from '../host/source-environment.test-helpers.ts';
import { testMlflowServer } from '../mlflow-server/test-server.test-helpers.ts';
import type { Run, TrackingStore } from './index.ts';

const server = testMlflowServer();
const byKey = <T extends { key: string }>(list: T[]): T[] => [...list].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/** A run as a copy must keep it: everything but its ID, experiment and artifact location. */
function essence(run: Run) {
  const { runName, userId, status, startTime, endTime, lifecycleStage } = run.info;
  return { runName, userId, status, startTime, endTime, lifecycleStage, params: byKey(run.data.params), tags: byKey(run.data.tags), metrics: byKey(run.data.metrics) };
}

async function histories(store: TrackingStore, run: Run) {
  return Object.fromEntries(await Promise.all(run.data.metrics.map(async (metric) => [metric.key, await store.getMetricHistory(run.info.runId, metric.key)] as const)));
}

describe('copyRun', () => {
  it('copies a run browser → MLflow server → browser with params, tags, every metric history and artifacts intact', async () => {
    const host = await createHost({ environment: sourceEnvironment(), onWarning: () => {} });
    const local = `idb://copy-source-${Date.now()}`;
    const tracking = host.tracking({ uri: local });
    const started = await tracking.startRun({ runName: 'to-copy', tags: { team: 'nlp' } });
    await tracking.logParams({ lr: 0.01, layers: 4 });
    const store = await host.trackingStore(local);
    const points = Array.from({ length: 2500 }, (_, step) => ({ key: 'loss', value: step === 7 ? Number.NaN : 1 / (step + 1), step, timestamp: 1_700_000_000_000 + step }));
    for (let start = 0; start < points.length; start += 1000) await store.logBatch(started.info.runId, { metrics: points.slice(start, start + 1000) });
    await tracking.logMetrics({ accuracy: 0.9, peak: Infinity }, 3);
    await tracking.logArtifact(new Blob(['{"vocab": 32000}']), 'config/model.json');
    await tracking.logArtifact(new Blob([new Uint8Array(50_000).map((_, i) => i % 256)]), 'weights.bin');
    await tracking.endRun('FINISHED');
    const source = await store.getRun(started.info.runId);

    const up = await host.copyRun({ runId: source.info.runId, from: local, to: server.url });
    const remote = await host.trackingStore(server.url);
    expect(up.metricPoints).toBe(2502);
    expect(up.artifacts.sort()).toEqual(['config/model.json', 'weights.bin']);
    expect(essence(up.run)).toEqual(essence(source));
    expect(await histories(remote, up.run)).toEqual(await histories(store, source));

    const back = `idb://copy-back-${Date.now()}`;
    const down = await host.copyRun({ runId: up.run.info.runId, from: server.url, to: back });
    expect(essence(down.run)).toEqual(essence(source));
    expect(await histories(await host.trackingStore(back), down.run)).toEqual(await histories(store, source));
    const artifacts = await host.artifactRepository(down.run.info.artifactUri);
    expect(await (await artifacts.downloadArtifact('config/model.json')).text()).toBe('{"vocab": 32000}');
    expect(new Uint8Array(await (await artifacts.downloadArtifact('weights.bin')).arrayBuffer())).toEqual(new Uint8Array(50_000).map((_, i) => i % 256));
  });

  it('copies dataset inputs between stores that keep them', async () => {
    const host = await createHost({ environment: sourceEnvironment(), onWarning: () => {} });
    const remote = (await host.trackingStore(server.url)) as TrackingStore & { logInputs: Function; getDatasetInputs: (id: string) => Promise<unknown[]> };
    const run = await remote.createRun({ experimentId: '0', runName: 'with-inputs' });
    const input = { dataset: { name: 'squad', digest: 'sha256:abc', sourceType: 'upload', source: '{"name":"squad.jsonl"}' }, tags: [{ key: 'mlflow.data.context', value: 'eval' }] };
    await remote.logInputs(run.info.runId, [input]);
    const copy = await host.copyRun({ runId: run.info.runId, from: server.url, to: server.url });
    expect(copy.datasetInputs).toBe(1);
    expect(await remote.getDatasetInputs(copy.run.info.runId)).toEqual([input]);
  });
});
