import type { IDBPDatabase, IDBPTransaction } from 'idb';
import type { LegacyMetricRecord, MetricChunkRecord, MetricSeriesState, RunRecord } from './records.ts';

/** The most points one metric chunk record holds. */
export const METRIC_CHUNK_SIZE = 1000;

// The upgrade transaction is typed loosely on purpose: a step sees the layout of the version before it,
// which is not the current PlugboardSchema.
type UpgradeDB = IDBPDatabase<unknown>;
type UpgradeTransaction = IDBPTransaction<unknown, string[], 'versionchange'>;

/** One schema step: turns the layout of version `n - 1` into version `n`, data included. */
export type UpgradeStep = (db: UpgradeDB, transaction: UpgradeTransaction) => Promise<void> | void;

/** Version 1: every store, metric points one record each in `metrics`. */
function createVersion1(db: UpgradeDB): void {
  db.createObjectStore('meta', { keyPath: 'key' });
  const experiments = db.createObjectStore('experiments', { keyPath: 'experimentId' });
  experiments.createIndex('name', 'name', { unique: true });
  const runs = db.createObjectStore('runs', { keyPath: 'runId' });
  runs.createIndex('experimentId', 'experimentId');
  const metrics = db.createObjectStore('metrics', { autoIncrement: true });
  metrics.createIndex('runKey', ['runId', 'key']);
  const artifacts = db.createObjectStore('artifacts', { keyPath: ['root', 'path'] });
  artifacts.createIndex('root', 'root');
  db.createObjectStore('registeredModels', { keyPath: 'name' });
  const versions = db.createObjectStore('modelVersions', { keyPath: ['name', 'version'] });
  versions.createIndex('name', 'name');
  const aliases = db.createObjectStore('modelAliases', { keyPath: ['name', 'alias'] });
  aliases.createIndex('name', 'name');
}

/**
 * Version 2: metric history moves from one record per point (`metrics`) to chunks (`metricChunks`), and each
 * run record gains the chunk bookkeeping (`series`). Every version-1 point is carried over, in order. The
 * `runChanges` log starts here, and `meta.epoch` names this database so caches never mix two of them.
 */
async function chunkMetricHistory(db: UpgradeDB, transaction: UpgradeTransaction): Promise<void> {
  const chunks = db.createObjectStore('metricChunks', { keyPath: ['runId', 'key', 'chunkNo'] });
  chunks.createIndex('runId', 'runId');
  db.createObjectStore('runChanges', { keyPath: 'version', autoIncrement: true });
  // getRandomValues, unlike randomUUID, is there outside a secure context (a page on plain http from an intranet host).
  const epoch = Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
  await transaction.objectStore('meta').put({ key: 'epoch', value: epoch });
  const series = new Map<string, Map<string, MetricSeriesState>>();
  let pending: MetricChunkRecord | null = null;
  const flush = async (): Promise<void> => {
    if (!pending) return;
    await transaction.objectStore('metricChunks').put(pending);
    const perRun = series.get(pending.runId) ?? new Map<string, MetricSeriesState>();
    perRun.set(pending.key, { chunks: pending.chunkNo + 1, lastChunkSize: pending.steps.length });
    series.set(pending.runId, perRun);
    pending = null;
  };
  // The runKey index walks points grouped by (runId, key), in insertion order within a group.
  let cursor = await transaction.objectStore('metrics').index('runKey').openCursor();
  while (cursor) {
    const point = cursor.value as LegacyMetricRecord;
    if (pending && (pending.runId !== point.runId || pending.key !== point.key || pending.steps.length >= METRIC_CHUNK_SIZE)) {
      const next: number = pending.runId === point.runId && pending.key === point.key ? pending.chunkNo + 1 : 0;
      await flush();
      pending = { runId: point.runId, key: point.key, chunkNo: next, steps: [], timestamps: [], values: [] };
    }
    pending ??= { runId: point.runId, key: point.key, chunkNo: 0, steps: [], timestamps: [], values: [] };
    pending.steps.push(point.step);
    pending.timestamps.push(point.timestamp);
    pending.values.push(point.value);
    cursor = await cursor.continue();
  }
  await flush();
  let runCursor = await transaction.objectStore('runs').openCursor();
  while (runCursor) {
    const run = runCursor.value as RunRecord;
    await runCursor.update({ ...run, series: series.get(run.runId) ?? new Map() });
    runCursor = await runCursor.continue();
  }
  db.deleteObjectStore('metrics');
}

/** Version 3: the plugins a person installed, keyed by group and name; nothing earlier is touched. */
function addInstalledPlugins(db: UpgradeDB): void {
  db.createObjectStore('installedPlugins', { keyPath: ['group', 'name'] });
}

/** The schema steps in order: `UPGRADES[n - 1]` builds version `n` from version `n - 1`. */
export const UPGRADES: readonly UpgradeStep[] = [createVersion1, chunkMetricHistory, addInstalledPlugins];

/** Runs every step after `oldVersion` up to `newVersion` inside the one upgrade transaction. */
export async function applyUpgrades(
  db: UpgradeDB,
  oldVersion: number,
  newVersion: number,
  transaction: UpgradeTransaction,
): Promise<void> {
  for (let version = oldVersion + 1; version <= newVersion; version++) {
    const step = UPGRADES[version - 1];
    if (!step) throw new RangeError(`no schema step builds version ${version}`);
    await step(db, transaction);
  }
}
