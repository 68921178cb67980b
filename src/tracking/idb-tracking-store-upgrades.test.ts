import 'fake-indexeddb/auto';
import type { IDBPDatabase } from 'idb';
import { describe, expect, it } from 'vitest';
import { IdbTrackingStore } from './index.ts';
import { closePlugboardDB, METRIC_CHUNK_SIZE, openPlugboardDB, SCHEMA_VERSION, type LegacyMetricRecord } from '../storage/index.ts';

const T0 = 1_700_000_000_000;
let counter = 0;
const freshName = (): string => `upgrade-${process.pid}-${++counter}`;

/** Writes a version-1 database the way version 1 laid it out: one record per metric point. */
async function writeVersion1(name: string, points: LegacyMetricRecord[], runIds: string[]): Promise<void> {
  const db = (await openPlugboardDB(name, { version: 1, onNotice: () => {} })) as unknown as IDBPDatabase;
  const transaction = db.transaction(['experiments', 'runs', 'metrics', 'meta'], 'readwrite');
  await transaction.objectStore('meta').put({ key: 'nextExperimentId', value: 1 });
  await transaction.objectStore('experiments').put({
    experimentId: '0', name: 'Default', artifactLocation: `idb://${name}/0`, lifecycleStage: 'active',
    creationTime: T0, lastUpdateTime: T0, tags: [], deletedTime: null,
  });
  for (const runId of runIds) {
    const latest = new Map<string, LegacyMetricRecord>();
    for (const point of points) if (point.runId === runId) latest.set(point.key, point);
    await transaction.objectStore('runs').put({
      runId, experimentId: '0', deletedTime: null,
      info: { runId, runName: `run-${runId.slice(0, 4)}`, experimentId: '0', userId: '', status: 'RUNNING', startTime: T0, endTime: null, lifecycleStage: 'active', artifactUri: `idb://${name}/0/${runId}/artifacts` },
      data: { metrics: [...latest.values()].map(({ key, value, timestamp, step }) => ({ key, value, timestamp, step })), params: [], tags: [{ key: 'mlflow.runName', value: `run-${runId.slice(0, 4)}` }] },
    });
  }
  for (const point of points) await transaction.objectStore('metrics').add(point);
  await transaction.done;
}

describe('schema upgrades', () => {
  it('builds the current version on an empty origin, with the Default experiment', async () => {
    const name = freshName();
    const store = new IdbTrackingStore(name);
    expect((await store.getExperiment('0')).name).toBe('Default');
    const db = await openPlugboardDB(name);
    expect(db.version).toBe(SCHEMA_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(
      ['artifacts', 'experiments', 'installedPlugins', 'meta', 'metricChunks', 'modelAliases', 'modelVersions', 'registeredModels', 'runChanges', 'runs'].sort(),
    );
  });

  it('moves version-1 metric points into chunks, keeping every point, and drops the old store', { timeout: 60_000 }, async () => {
    const name = freshName();
    const runA = 'a'.repeat(32);
    const runB = 'b'.repeat(32);
    const loss = Array.from({ length: 2 * METRIC_CHUNK_SIZE + 500 }, (_, step) => ({ runId: runA, key: 'loss', value: 1 / (step + 1), timestamp: T0 + step, step }));
    const accuracy = [3, 1, 2].map((step) => ({ runId: runA, key: 'acc', value: step / 10, timestamp: T0, step }));
    const other = [{ runId: runB, key: 'loss', value: Number.NaN, timestamp: T0, step: 0 }];
    await writeVersion1(name, [...accuracy, ...loss, ...other], [runA, runB]);

    const store = new IdbTrackingStore(name, { onNotice: () => {} });
    const history = await store.getMetricHistory(runA, 'loss');
    expect(history).toHaveLength(loss.length);
    expect(history.map((point) => point.step)).toEqual(loss.map((point) => point.step));
    expect((await store.getMetricHistory(runA, 'acc')).map((point) => point.step)).toEqual([1, 2, 3]);
    expect((await store.getMetricHistory(runB, 'loss'))[0]?.value).toBeNaN();

    const db = await openPlugboardDB(name);
    expect(db.version).toBe(SCHEMA_VERSION);
    expect(db.objectStoreNames.contains('metrics' as never)).toBe(false);
    const chunks = await db.getAllFromIndex('metricChunks', 'runId', runA);
    expect(chunks.filter((chunk) => chunk.key === 'loss').map((chunk) => chunk.steps.length)).toEqual([METRIC_CHUNK_SIZE, METRIC_CHUNK_SIZE, 500]);
    const record = await db.get('runs', runA);
    expect(record?.series.get('loss')).toEqual({ chunks: 3, lastChunkSize: 500 });
    expect((await db.get('runs', runB))?.series.get('loss')).toEqual({ chunks: 1, lastChunkSize: 1 });
  });

  it('keeps appending to a migrated history: the last chunk is topped up, then new chunks follow', async () => {
    const name = freshName();
    const runId = 'c'.repeat(32);
    await writeVersion1(name, Array.from({ length: 10 }, (_, step) => ({ runId, key: 'm', value: step, timestamp: T0, step })), [runId]);
    const store = new IdbTrackingStore(name, { onNotice: () => {} });
    const more = Array.from({ length: METRIC_CHUNK_SIZE }, (_, index) => ({ key: 'm', value: 10 + index, timestamp: T0, step: 10 + index }));
    await store.logBatch(runId, { metrics: more });
    const db = await openPlugboardDB(name);
    const chunks = await db.getAllFromIndex('metricChunks', 'runId', runId);
    expect(chunks.map((chunk) => chunk.steps.length)).toEqual([METRIC_CHUNK_SIZE, 10]);
    const history = await store.getMetricHistory(runId, 'm');
    expect(history.map((point) => point.step)).toEqual(Array.from({ length: 10 + METRIC_CHUNK_SIZE }, (_, step) => step));
    expect((await store.getRun(runId)).data.metrics).toEqual([{ key: 'm', value: 1009, timestamp: T0, step: 1009 }]);
    await closePlugboardDB(name);
  });
});
