import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { closePlugboardDB, openPlugboardDB } from '../storage/index.ts';
import { IdbTrackingStore } from './index.ts';

let counter = 0;
const freshName = (): string => `run-index-${process.pid}-${++counter}`;
const names = async (store: IdbTrackingStore, filter = ''): Promise<string[]> =>
  (await store.searchRuns({ experimentIds: ['0'], filter, orderBy: ['attributes.run_name'] })).runs.map((run) => run.info.runName);

describe('the run index behind searchRuns', () => {
  it('sees writes made through another store on the same database after its first search', async () => {
    const name = freshName();
    const reader = new IdbTrackingStore(name);
    const writer = new IdbTrackingStore(name);
    await writer.createRun({ experimentId: '0', runName: 'a' });
    expect(await names(reader)).toEqual(['a']);
    const b = await writer.createRun({ experimentId: '0', runName: 'b' });
    await writer.logMetric(b.info.runId, { key: 'm', value: 1, timestamp: 1, step: 0 });
    expect(await names(reader, 'metrics.m = 1')).toEqual(['b']);
    await writer.deleteRun(b.info.runId);
    expect(await names(reader)).toEqual(['a']);
  });

  it('reads every run again when the change log no longer reaches back to the index', async () => {
    const name = freshName();
    const store = new IdbTrackingStore(name);
    await store.createRun({ experimentId: '0', runName: 'a' });
    expect(await names(store)).toEqual(['a']);
    await store.createRun({ experimentId: '0', runName: 'b' });
    await store.createRun({ experimentId: '0', runName: 'c' });
    const db = await openPlugboardDB(name);
    const versions = await db.getAllKeys('runChanges');
    await db.delete('runChanges', versions[versions.length - 2]!);
    expect(await names(store)).toEqual(['a', 'b', 'c']);
  });

  it('never mixes a deleted database with a new one of the same name', async () => {
    const name = freshName();
    const first = new IdbTrackingStore(name);
    await first.createRun({ experimentId: '0', runName: 'old' });
    expect(await names(first)).toEqual(['old']);
    await closePlugboardDB(name);
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
    const second = new IdbTrackingStore(name);
    await second.createRun({ experimentId: '0', runName: 'new' });
    expect(await names(second)).toEqual(['new']);
  });

  it('hands out copies: changing a found run changes neither the store nor later searches', async () => {
    const store = new IdbTrackingStore(freshName());
    await store.createRun({ experimentId: '0', runName: 'kept' });
    const [found] = (await store.searchRuns({ experimentIds: ['0'] })).runs;
    found!.info.runName = 'changed';
    expect(await names(store)).toEqual(['kept']);
  });

  it('answers concurrent searches consistently while writes go on', async () => {
    const store = new IdbTrackingStore(freshName());
    await store.createRun({ experimentId: '0', runName: 'r0' });
    await names(store);
    const writes = Array.from({ length: 10 }, (_, index) => store.createRun({ experimentId: '0', runName: `w${index}` }));
    const searches = Array.from({ length: 5 }, () => names(store));
    await Promise.all([...writes, ...searches]);
    expect(await names(store)).toHaveLength(11);
  });
});
