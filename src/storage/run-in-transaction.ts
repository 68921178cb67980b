import type { IDBPDatabase, IDBPTransaction } from 'idb';
import { PlugboardError } from '../errors/index.ts';
import { TrackingError } from '../store-kit/index.ts';
import type { PlugboardSchema, PlugboardStoreName } from './schema.ts';

/** A transaction over some of Plugboard's stores. */
export type PlugboardTransaction<Stores extends PlugboardStoreName[], Mode extends IDBTransactionMode> = IDBPTransaction<
  PlugboardSchema,
  Stores,
  Mode
>;

/**
 * Runs `work` in one transaction over `stores` and resolves with its result once the transaction has
 * committed. If `work` throws, the transaction is aborted and the error is rethrown as it is (so a
 * validation error keeps its code), and nothing `work` wrote stays. A storage failure — quota exceeded,
 * an abort, a failed request — rejects with a TrackingError (RESOURCE_EXHAUSTED, ABORTED, INTERNAL_ERROR)
 * naming `what`; after an exceeded quota it first lets the browser release what the aborted write had stored
 * (see releaseAbortedWrite), so the next write that fits succeeds. `work` must only await requests of this
 * transaction, or the transaction commits early.
 */
export async function runInTransaction<Stores extends PlugboardStoreName[], Mode extends IDBTransactionMode, T>(
  db: IDBPDatabase<PlugboardSchema>,
  stores: Stores,
  mode: Mode,
  what: string,
  work: (transaction: PlugboardTransaction<Stores, Mode>) => Promise<T>,
): Promise<T> {
  let transaction: PlugboardTransaction<Stores, Mode>;
  try {
    transaction = db.transaction(stores, mode);
  } catch (cause) {
    throw storageError(cause, what);
  }
  // Observed at once so an abort never surfaces as an unhandled rejection.
  const done = transaction.done.then(
    () => undefined,
    (cause: unknown) => cause ?? transaction.error ?? new DOMException('The transaction was aborted.', 'AbortError'),
  );
  let result: T;
  try {
    result = await work(transaction);
  } catch (thrown) {
    try {
      transaction.abort();
    } catch {
      // Already finished or aborting: the abort below reports what happened.
    }
    const failure = await done;
    if (thrown instanceof PlugboardError) throw thrown;
    // A request fails with AbortError when the quota aborted its transaction: the quota is the cause.
    throw await failedWrite(db, stores, mode, isQuotaExceeded(failure) ? failure : thrown, what);
  }
  const failure = await done;
  if (failure !== undefined) throw await failedWrite(db, stores, mode, failure, what);
  return result;
}

/** The error of a failed transaction, once the browser has released what an over-quota write left. */
async function failedWrite(db: IDBPDatabase<PlugboardSchema>, stores: PlugboardStoreName[], mode: IDBTransactionMode, cause: unknown, what: string): Promise<PlugboardError> {
  if (mode === 'readwrite' && isQuotaExceeded(cause)) await releaseAbortedWrite(db, stores[0]!);
  return storageError(cause, what);
}

function isQuotaExceeded(cause: unknown): boolean {
  return typeof cause === 'object' && cause !== null && (cause as { name?: unknown }).name === 'QuotaExceededError';
}

/** A key no record has: every store's keys are strings or non-empty arrays. */
const NO_RECORD: IDBValidKey = [];

/**
 * Commits a write that only deletes a key no record has. Chromium keeps the Blob files an over-quota write
 * had already stored, and counts them against the quota, until some write commits; meanwhile it refuses
 * every write that adds bytes — so one artifact too big for the quota left every later write failing, in
 * every page of the origin. A delete adds no bytes, so it commits, and its commit drops those files.
 * Best effort: a failure here changes nothing the caller is told.
 */
async function releaseAbortedWrite(db: IDBPDatabase<PlugboardSchema>, store: PlugboardStoreName): Promise<void> {
  try {
    const transaction = db.transaction(store, 'readwrite');
    await Promise.all([transaction.objectStore(store).delete(NO_RECORD as never), transaction.done]);
  } catch {
    // The database closed or refused even a delete: the next failed write tries again.
  }
}

/**
 * Turns what IndexedDB throws into a TrackingError: QuotaExceededError → RESOURCE_EXHAUSTED, AbortError →
 * ABORTED, anything else → INTERNAL_ERROR. A PlugboardError passes through unchanged.
 */
export function storageError(cause: unknown, what: string): PlugboardError {
  if (cause instanceof PlugboardError) return cause;
  const name = typeof cause === 'object' && cause !== null && 'name' in cause ? String((cause as { name: unknown }).name) : '';
  const detail = cause instanceof Error || cause instanceof DOMException ? cause.message : String(cause);
  if (name === 'QuotaExceededError') {
    return new TrackingError('RESOURCE_EXHAUSTED', `${what} failed: the browser's storage quota is exhausted; nothing was written`, {
      hint:
        'Write less at once, or free space with deleteArtifacts() on an artifact repository (host.artifactRepository(run.info.artifactUri)): ' +
        'it removes the stored bytes, while deleteRun only marks a run deleted. Or ask the browser for persistent storage (navigator.storage.persist()).',
      cause,
    });
  }
  if (name === 'AbortError') {
    return new TrackingError('ABORTED', `${what} was aborted before it committed; nothing was written`, {
      hint: 'Retry the operation; if it keeps failing, another tab may be upgrading the database.',
      cause,
    });
  }
  if (name === 'InvalidStateError') {
    return new TrackingError('ABORTED', `${what} failed: the database connection closed (${detail}); nothing was written`, {
      hint: 'Retry the operation: the next call reopens the database.',
      cause,
    });
  }
  return new TrackingError('INTERNAL_ERROR', `${what} failed in IndexedDB: ${name ? `${name}: ` : ''}${detail}; nothing was written`, {
    hint: 'Retry the operation; if it keeps failing, check the browser storage settings.',
    cause,
  });
}
