// Metric history in chunks: appending points inside a caller's transaction, reading a key's history back.
import type { IDBPTransaction } from 'idb';
import { METRIC_CHUNK_SIZE, type MetricChunkRecord, type MetricSeriesState, type PlugboardSchema } from '../storage/index.ts';
import type { Metric } from './types.ts';

type ChunkTransaction = IDBPTransaction<PlugboardSchema, ('runs' | 'metricChunks' | 'runChanges' | 'meta')[], 'readwrite'>;

/**
 * Appends points to their keys' histories inside `transaction`: the last chunk of a key is topped up to
 * METRIC_CHUNK_SIZE points, then new chunks follow. Resolves with the updated chunk bookkeeping; `series` is
 * not modified. Writes are issued together and all awaited, so one failed write fails the whole call.
 */
export async function appendMetricPoints(
  transaction: ChunkTransaction,
  runId: string,
  series: ReadonlyMap<string, MetricSeriesState>,
  points: readonly Metric[],
): Promise<Map<string, MetricSeriesState>> {
  const byKey = new Map<string, Metric[]>();
  for (const point of points) {
    const list = byKey.get(point.key);
    if (list) list.push(point);
    else byKey.set(point.key, [point]);
  }
  const store = transaction.objectStore('metricChunks');
  const next = new Map(series);
  const writes: Promise<unknown>[] = [];
  const lastChunks = await Promise.all(
    [...byKey.keys()].map(async (key) => {
      const state = series.get(key);
      if (!state || state.lastChunkSize >= METRIC_CHUNK_SIZE) return undefined;
      return store.get([runId, key, state.chunks - 1]);
    }),
  );
  [...byKey].forEach(([key, list], index) => {
    const state = series.get(key) ?? { chunks: 0, lastChunkSize: 0 };
    let chunk: MetricChunkRecord | undefined = lastChunks[index];
    let chunks = state.chunks;
    for (const point of list) {
      if (!chunk || chunk.steps.length >= METRIC_CHUNK_SIZE) {
        if (chunk) writes.push(store.put(chunk));
        chunk = { runId, key, chunkNo: chunks, steps: [], timestamps: [], values: [] };
        chunks += 1;
      }
      chunk.steps.push(point.step);
      chunk.timestamps.push(point.timestamp);
      chunk.values.push(point.value);
    }
    if (chunk) writes.push(store.put(chunk));
    next.set(key, { chunks, lastChunkSize: chunk ? chunk.steps.length : 0 });
  });
  await Promise.all(writes);
  return next;
}

/** Turns chunk records into points, in chunk order (unsorted, duplicates kept). */
export function pointsOfChunks(key: string, chunks: readonly MetricChunkRecord[]): Metric[] {
  const points: Metric[] = [];
  for (const chunk of chunks) {
    for (let index = 0; index < chunk.steps.length; index++) {
      points.push({ key, value: chunk.values[index]!, timestamp: chunk.timestamps[index]!, step: chunk.steps[index]! });
    }
  }
  return points;
}

/** The key range holding every chunk of one run's metric key. */
export function chunkRange(runId: string, key: string): IDBKeyRange {
  return IDBKeyRange.bound([runId, key, 0], [runId, key, Infinity]);
}
