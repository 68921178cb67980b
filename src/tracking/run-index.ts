// A page's in-memory index of every run of a database, so a search filters objects already in memory
// instead of deserialising every run record. It catches up with writes from any tab through the
// `runChanges` log: each write appends the ids it touched, and a search re-reads only those runs.
import type { IDBPTransaction } from 'idb';
import type { PlugboardSchema, RunRecord } from '../storage/index.ts';
import type { Run } from './types.ts';

/** How many change records stay in the log; a page further behind reloads the whole index. */
export const RETAINED_RUN_CHANGES = 4096;

interface RunIndex {
  epoch: string;
  version: number;
  runs: Map<string, Run>;
}

const indexes = new Map<string, RunIndex>();
const locks = new Map<string, Promise<unknown>>();

/** Turns a stored run record into the Run the API returns (the record itself, without bookkeeping). */
export function toRun(record: RunRecord): Run {
  // Records written before dataset inputs were kept have none.
  return { info: record.info, data: record.data, inputs: { datasetInputs: record.inputs?.datasetInputs ?? [] } };
}

/** Which logged write a commit was, so the page's own index can take it in without reading. */
export interface RunChange {
  epoch: string;
  version: number;
  records: RunRecord[];
}

/**
 * Appends one entry to the change log inside a write `transaction` (so it commits or vanishes with the
 * write), now and then trims entries older than RETAINED_RUN_CHANGES, and resolves with the change for
 * `applyRunChange` once the transaction has committed. No records: nothing is logged.
 */
export async function recordRunChange(
  transaction: IDBPTransaction<PlugboardSchema, ('runChanges' | 'runs' | 'metricChunks' | 'experiments' | 'meta')[], 'readwrite'>,
  records: readonly RunRecord[],
): Promise<RunChange | null> {
  if (records.length === 0) return null;
  const store = transaction.objectStore('runChanges');
  const version = await store.add({ runIds: records.map((record) => record.runId) });
  const epoch = String((await transaction.objectStore('meta').get('epoch'))?.value ?? '');
  if (version % 256 === 0 && version > RETAINED_RUN_CHANGES) await store.delete(IDBKeyRange.upperBound(version - RETAINED_RUN_CHANGES));
  return { epoch, version, records: [...records] };
}

/**
 * Takes a committed change of this page into the index of `dbName` without reading, when the index stands
 * right before it; otherwise leaves the index for the next search to catch up through the log.
 */
export function applyRunChange(dbName: string, change: RunChange | null): void {
  const index = indexes.get(dbName);
  if (!change || !index || index.epoch !== change.epoch || index.version !== change.version - 1) return;
  for (const record of change.records) index.runs.set(record.runId, toRun(record));
  index.version = change.version;
}

type ReadTransaction = IDBPTransaction<PlugboardSchema, ['meta', 'runs', 'runChanges'], 'readonly'>;

/**
 * Brings the index of database `dbName` up to date inside a readonly `transaction` and resolves with its
 * runs. Up to date already: no run is read. Behind by logged changes: only the changed runs are read.
 * Otherwise (first use, trimmed log, another database under the same name): every run is read once.
 * The runs are shared — callers copy what they hand out. Refreshes of one database run one at a time.
 */
export function currentRuns(dbName: string, open: (work: (transaction: ReadTransaction) => Promise<Map<string, Run>>) => Promise<Map<string, Run>>): Promise<Map<string, Run>> {
  const previous = locks.get(dbName) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => open((transaction) => refresh(dbName, transaction)));
  locks.set(dbName, next);
  void next.finally(() => {
    if (locks.get(dbName) === next) locks.delete(dbName);
  }).catch(() => undefined);
  return next;
}

async function refresh(dbName: string, transaction: ReadTransaction): Promise<Map<string, Run>> {
  const epoch = String((await transaction.objectStore('meta').get('epoch'))?.value ?? '');
  const cursor = await transaction.objectStore('runChanges').openKeyCursor(null, 'prev');
  const latest = cursor ? Number(cursor.key) : 0;
  const index = indexes.get(dbName);
  if (index && index.epoch === epoch && index.version === latest) return index.runs;
  if (index && index.epoch === epoch && index.version < latest) {
    const changes = await transaction.objectStore('runChanges').getAll(IDBKeyRange.lowerBound(index.version, true));
    // Contiguous versions mean nothing was trimmed between the index and now.
    if (changes.length === latest - index.version) {
      const ids = [...new Set(changes.flatMap((change) => change.runIds))];
      const records = await Promise.all(ids.map((id) => transaction.objectStore('runs').get(id)));
      ids.forEach((id, position) => {
        const record = records[position];
        if (record) index.runs.set(id, toRun(record));
        else index.runs.delete(id);
      });
      index.version = latest;
      return index.runs;
    }
  }
  const records = await transaction.objectStore('runs').getAll();
  const fresh: RunIndex = { epoch, version: latest, runs: new Map(records.map((record) => [record.runId, toRun(record)])) };
  indexes.set(dbName, fresh);
  return fresh.runs;
}
