import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { IdbTrackingStore } from './index.ts';

let counter = 0;
const freshName = (): string => `store-failure-${process.pid}-${++counter}`;
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

describe('IdbTrackingStore under storage failures', () => {
  it('leaves a run untouched when the quota runs out in the middle of a batch', async () => {
    const store = new IdbTrackingStore(freshName());
    const run = await store.createRun({ experimentId: '0', runName: 'r' });
    failPut(1, 'quota');
    const metrics = Array.from({ length: 999 }, (_, step) => ({ key: `m${step % 3}`, value: step, timestamp: 1, step }));
    await expect(store.logBatch(run.info.runId, { metrics, params: [{ key: 'p', value: '1' }] })).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    IDBObjectStore.prototype.put = originalPut;
    const after = await store.getRun(run.info.runId);
    expect(after.data).toEqual(run.data);
    expect(await store.getMetricHistory(run.info.runId, 'm0')).toEqual([]);
  });

  it('leaves a run untouched when the batch transaction is aborted', async () => {
    const store = new IdbTrackingStore(freshName());
    const run = await store.createRun({ experimentId: '0', runName: 'r' });
    failPut(2, 'abort');
    await expect(store.logBatch(run.info.runId, { metrics: [{ key: 'a', value: 1, timestamp: 1, step: 0 }, { key: 'b', value: 1, timestamp: 1, step: 0 }] })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    IDBObjectStore.prototype.put = originalPut;
    expect((await store.getRun(run.info.runId)).data.metrics).toEqual([]);
    expect(await store.getMetricHistory(run.info.runId, 'a')).toEqual([]);
  });
});
