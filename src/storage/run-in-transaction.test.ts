import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { TrackingError } from '../store-kit/index.ts';
import { openPlugboardDB, runInTransaction, storageError } from './index.ts';

let counter = 0;
const freshName = (): string => `transaction-${process.pid}-${++counter}`;
const originalPut = IDBObjectStore.prototype.put;

/** Makes the `nth` put of any store fail the way the browser would. */
function failPut(nth: number, failure: 'quota' | 'abort'): void {
  let calls = 0;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    calls += 1;
    if (calls !== nth) return originalPut.apply(this, args);
    if (failure === 'quota') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const request = originalPut.apply(this, args);
    this.transaction.abort();
    return request;
  } as IDBObjectStore['put'];
}

afterEach(() => {
  IDBObjectStore.prototype.put = originalPut;
});

describe('runInTransaction', () => {
  it('resolves with the result once the transaction has committed', async () => {
    const db = await openPlugboardDB(freshName());
    const result = await runInTransaction(db, ['meta'], 'readwrite', 'writing a counter', async (transaction) => {
      await transaction.objectStore('meta').put({ key: 'n', value: 1 });
      return 'done';
    });
    expect(result).toBe('done');
    expect(await db.get('meta', 'n')).toEqual({ key: 'n', value: 1 });
  });

  it('rethrows an error of the work unchanged and keeps nothing it wrote', async () => {
    const db = await openPlugboardDB(freshName());
    const refusal = new TrackingError('INVALID_PARAMETER_VALUE', 'no');
    await expect(
      runInTransaction(db, ['meta'], 'readwrite', 'writing', async (transaction) => {
        await transaction.objectStore('meta').put({ key: 'half', value: 1 });
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    expect(await db.get('meta', 'half')).toBeUndefined();
  });

  it('turns an exceeded quota into RESOURCE_EXHAUSTED and rolls back the earlier writes', async () => {
    const db = await openPlugboardDB(freshName());
    failPut(2, 'quota');
    const error = await runInTransaction(db, ['meta'], 'readwrite', 'writing two counters', async (transaction) => {
      await transaction.objectStore('meta').put({ key: 'first', value: 1 });
      await transaction.objectStore('meta').put({ key: 'second', value: 2 });
    }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TrackingError);
    expect(error).toMatchObject({ code: 'RESOURCE_EXHAUSTED', problem: expect.stringContaining('writing two counters failed') });
    expect((error as TrackingError).hint).toContain('navigator.storage.persist()');
    expect((error as TrackingError).hint).toContain('deleteArtifacts()');
    IDBObjectStore.prototype.put = originalPut;
    expect(await db.get('meta', 'first')).toBeUndefined();
  });

  it('commits a delete-only write after an exceeded quota, so the browser drops what the aborted write stored', async () => {
    const db = await openPlugboardDB(freshName());
    const originalDelete = IDBObjectStore.prototype.delete;
    const deletes: { store: string; key: unknown; mode: IDBTransactionMode }[] = [];
    IDBObjectStore.prototype.delete = function (this: IDBObjectStore, key: IDBValidKey | IDBKeyRange) {
      deletes.push({ store: this.name, key, mode: this.transaction.mode });
      return originalDelete.call(this, key);
    };
    try {
      failPut(1, 'quota');
      await expect(
        runInTransaction(db, ['meta', 'runs'], 'readwrite', 'writing', async (transaction) => {
          await transaction.objectStore('meta').put({ key: 'first', value: 1 });
        }),
      ).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
      expect(deletes).toEqual([{ store: 'meta', key: [], mode: 'readwrite' }]);
      IDBObjectStore.prototype.put = originalPut;
      await runInTransaction(db, ['meta'], 'readwrite', 'writing', (transaction) => transaction.objectStore('meta').put({ key: 'after', value: 2 }));
      expect(await db.get('meta', 'after')).toEqual({ key: 'after', value: 2 });
      expect(deletes).toHaveLength(1);
    } finally {
      IDBObjectStore.prototype.delete = originalDelete;
    }
  });

  it('turns an aborted transaction into ABORTED and rolls back the earlier writes', async () => {
    const db = await openPlugboardDB(freshName());
    failPut(2, 'abort');
    await expect(
      runInTransaction(db, ['meta'], 'readwrite', 'writing two counters', async (transaction) => {
        await transaction.objectStore('meta').put({ key: 'first', value: 1 });
        await transaction.objectStore('meta').put({ key: 'second', value: 2 });
      }),
    ).rejects.toMatchObject({ code: 'ABORTED', problem: expect.stringContaining('nothing was written') });
    IDBObjectStore.prototype.put = originalPut;
    expect(await db.get('meta', 'first')).toBeUndefined();
  });

  it('maps storage failures by name: quota, abort, closed connection, anything else', () => {
    expect(storageError(new DOMException('x', 'QuotaExceededError'), 'w').code).toBe('RESOURCE_EXHAUSTED');
    expect(storageError(new DOMException('x', 'AbortError'), 'w').code).toBe('ABORTED');
    expect(storageError(new DOMException('x', 'InvalidStateError'), 'w').code).toBe('ABORTED');
    const other = storageError(new DOMException('bad key', 'DataError'), 'writing x');
    expect(other).toMatchObject({ code: 'INTERNAL_ERROR', problem: 'writing x failed in IndexedDB: DataError: bad key; nothing was written' });
  });
});
