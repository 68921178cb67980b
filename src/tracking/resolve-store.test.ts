import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { memoryTrackingStore } from '../../examples/memory-store/memory-store.ts';
import { validatePlugin } from '../adapters/index.ts';
import { idbTrackingStore } from '../plugins/stores/idb.ts';
import { Registry } from '../registry/index.ts';
import { IdbTrackingStore, idbDatabaseOf, resolveTrackingStore, schemeOf } from './index.ts';

describe('resolveTrackingStore', () => {
  it('opens the IndexedDB database "plugboard" when no URI is given, and idb://name picks another', async () => {
    const registry = new Registry('mlflow.tracking_store');
    const store = await resolveTrackingStore(undefined, registry);
    expect(store).toBeInstanceOf(IdbTrackingStore);
    expect((store as IdbTrackingStore).dbName).toBe('plugboard');
    expect(((await resolveTrackingStore('idb://lab', registry)) as IdbTrackingStore).dbName).toBe('lab');
  });

  it('builds a store of another scheme through the group registry, with the URI', async () => {
    const registry = new Registry('mlflow.tracking_store');
    registry.register('memory', memoryTrackingStore);
    const first = await resolveTrackingStore('memory://resolve-test', registry);
    const run = await first.createRun({ experimentId: '0' });
    const again = await resolveTrackingStore('MEMORY://resolve-test', registry);
    expect((await again.getRun(run.info.runId)).info.runId).toBe(run.info.runId);
  });

  it('lets a registered idb plugin replace the built-in idb store', async () => {
    const registry = new Registry('mlflow.tracking_store');
    registry.register('idb', memoryTrackingStore);
    expect(await resolveTrackingStore('idb:', registry)).not.toBeInstanceOf(IdbTrackingStore);
  });

  it('refuses an unknown scheme with UNKNOWN_STORE_SCHEME listing the known schemes', async () => {
    const registry = new Registry('mlflow.tracking_store');
    registry.register('memory', memoryTrackingStore);
    await expect(resolveTrackingStore('http://mlflow.example', registry)).rejects.toMatchObject({
      code: 'UNKNOWN_STORE_SCHEME',
      group: 'mlflow.tracking_store',
      plugin: 'http',
      field: 'uri',
      hint: expect.stringContaining('Known schemes: idb:, memory:.'),
    });
  });

  it('refuses a URI without a scheme with INVALID_URI', async () => {
    await expect(resolveTrackingStore('just-a-name', new Registry('mlflow.tracking_store'))).rejects.toMatchObject({ code: 'INVALID_URI', field: 'uri' });
  });
});

describe('store URIs', () => {
  it('reads the scheme lower-cased and the IndexedDB database from the authority', () => {
    expect(schemeOf('IDB://x')).toBe('idb');
    expect(idbDatabaseOf('idb:')).toBe('plugboard');
    expect(idbDatabaseOf('idb://')).toBe('plugboard');
    expect(idbDatabaseOf('idb://lab/0/abc/artifacts')).toBe('lab');
    expect(idbDatabaseOf('idb://my%20lab')).toBe('my lab');
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
