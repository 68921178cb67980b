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
 * naming `what`. `work` must only await requests of this transaction, or the transaction commits early.
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
    await done;
    if (thrown instanceof PlugboardError) throw thrown;
    throw storageError(thrown, what);
  }
  const failure = await done;
  if (failure !== undefined) throw storageError(failure, what);
  return result;
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
      hint: 'Free space by deleting old runs or artifacts, or ask the browser for persistent storage (navigator.storage.persist()).',
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
