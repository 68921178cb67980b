import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { validatePlugin } from '../adapters/index.ts';
import { idbTrackingStore } from '../plugins/stores/idb.ts';
import { IdbTrackingStore, idbDatabaseOf, schemeOf } from './index.ts';

describe('store URIs', () => {
  it('reads the scheme lower-cased and the IndexedDB database from the authority', () => {
    expect(schemeOf('IDB://x')).toBe('idb');
    expect(idbDatabaseOf('idb:')).toBe('plugboard');
    expect(idbDatabaseOf('idb://')).toBe('plugboard');
    expect(idbDatabaseOf('idb://lab/0/abc/artifacts')).toBe('lab');
    expect(idbDatabaseOf('idb://my%20lab')).toBe('my lab');
    expect(() => schemeOf('just-a-name')).toThrow(expect.objectContaining({ code: 'INVALID_URI', field: 'uri' }));
    expect(() => idbDatabaseOf('idb:lab')).toThrow(expect.objectContaining({ code: 'INVALID_URI' }));
    expect(() => idbDatabaseOf('memory://lab')).toThrow(expect.objectContaining({ code: 'INVALID_URI' }));
  });
});

describe('built-in idb tracking store plugin', () => {
  it('is a valid mlflow.tracking_store factory that opens the database the URI names', async () => {
    expect(validatePlugin(idbTrackingStore, { group: 'mlflow.tracking_store', name: 'idb' })).toEqual([]);
    const store = (await idbTrackingStore('idb://plugin-db')) as IdbTrackingStore;
    expect(store.dbName).toBe('plugin-db');
    expect((await store.getExperiment('0')).artifactLocation).toBe('idb://plugin-db/0');
  });
});
