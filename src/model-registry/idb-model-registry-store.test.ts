import 'fake-indexeddb/auto';
import { describe, expect, it, vi, afterEach } from 'vitest';
import { openPlugboardDB } from '../storage/index.ts';
import { describeModelRegistryConformance, runModelRegistryConformance } from '../testing/index.ts';
import { TrackingError } from '../store-kit/index.ts';
import { IdbModelRegistryStore, openModelRegistryStore } from './index.ts';

let counter = 0;
const freshStore = () => openModelRegistryStore(`idb://registry-test-${++counter}`);

afterEach(() => {
  vi.restoreAllMocks();
});

describeModelRegistryConformance(freshStore, { describe, it });

describe('IdbModelRegistryStore', () => {
  it('passes the model-registry contract when run without a test framework too', async () => {
    const results = await runModelRegistryConformance(freshStore);
    expect(results.length).toBeGreaterThanOrEqual(10);
    expect(results.filter((result) => !result.passed)).toEqual([]);
  });

  it("reads version 0 and -1 as whole numbers no version has, as MLflow's int(version), and refuses words and fractions", async () => {
    const store = await freshStore();
    await store.createRegisteredModel('zero');
    await store.createModelVersion('zero', 's3://bucket/zero/1');
    for (const absent of ['0', -1, ' 0 ']) await expect(store.getModelVersion('zero', absent)).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST', field: 'version' });
    for (const bad of ['abc', 1.5, '1.5', '']) await expect(store.getModelVersion('zero', bad)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'version' });
    expect((await store.getModelVersion('zero', '+1')).version).toBe('1');
  });

  it('opens the default database for idb: and for no URI, and picks the database from the authority', async () => {
    expect(((await openModelRegistryStore()) as IdbModelRegistryStore).database).toBe('plugboard');
    expect(((await openModelRegistryStore('idb:')) as IdbModelRegistryStore).database).toBe('plugboard');
    expect(((await openModelRegistryStore('idb://models/any/path')) as IdbModelRegistryStore).database).toBe('models');
  });

  it('refuses a URI of another scheme with INVALID_PARAMETER_VALUE', async () => {
    const failure = openModelRegistryStore('http://localhost:5000');
    await expect(failure).rejects.toBeInstanceOf(TrackingError);
    await expect(failure).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'uri' });
  });

  it('keeps two databases apart', async () => {
    const first = await freshStore();
    const second = await freshStore();
    await first.createRegisteredModel('only-here');
    await expect(second.getRegisteredModel('only-here')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('stores a version count that survives reopening the database', async () => {
    const uri = `idb://registry-test-${++counter}`;
    const store = await openModelRegistryStore(uri);
    await store.createRegisteredModel('m');
    await store.createModelVersion('m', 's3://1');
    await store.createModelVersion('m', 's3://2');
    await store.deleteModelVersion('m', 2);
    const reopened = await openModelRegistryStore(uri);
    expect((await reopened.createModelVersion('m', 's3://3')).version).toBe('3');
    const db = await openPlugboardDB(uri.slice('idb://'.length));
    expect((await db.getAll('modelVersions')).map((record) => record.version)).toEqual([1, 3]);
  });

  it('leaves a rename half-done nowhere when the transaction fails midway', async () => {
    const store = await freshStore();
    await store.createRegisteredModel('before');
    await store.createModelVersion('before', 's3://1');
    await store.createModelVersion('before', 's3://2');
    await store.setRegisteredModelAlias('before', 'champion', 2);
    const put = IDBObjectStore.prototype.put;
    let calls = 0;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      calls += 1;
      if (calls === 3) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.call(this, value, key);
    });
    await expect(store.renameRegisteredModel('before', 'after')).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    vi.restoreAllMocks();
    await expect(store.getRegisteredModel('after')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
    const model = await store.getRegisteredModel('before');
    expect(model.latestVersions.map((version) => version.version)).toEqual(['2']);
    expect(model.aliases).toEqual([{ alias: 'champion', version: '2' }]);
    expect((await store.getModelVersion('before', 1)).source).toBe('s3://1');
  });

  it('returns model versions in MLflow REST shape with string versions and protobuf string defaults', async () => {
    const store = await freshStore();
    await store.createRegisteredModel('shape');
    const version = await store.createModelVersion('shape', 's3://x');
    expect(version).toEqual({
      name: 'shape',
      version: '1',
      creationTimestamp: expect.any(Number),
      lastUpdatedTimestamp: version.creationTimestamp,
      userId: '',
      currentStage: 'None',
      description: '',
      source: 's3://x',
      runId: '',
      runLink: '',
      status: 'READY',
      statusMessage: '',
      tags: [],
      aliases: [],
    });
  });

  it('names the bad argument and says what to do', async () => {
    const store = await freshStore();
    await store.createRegisteredModel('m');
    await store.createModelVersion('m', 's3://1');
    const error = (await store.setRegisteredModelAlias('m', 'latest', 1).catch((thrown: unknown) => thrown)) as TrackingError;
    expect(error).toBeInstanceOf(TrackingError);
    expect([error.code, error.field]).toEqual(['INVALID_PARAMETER_VALUE', 'alias']);
    expect(error.problem).toContain('"latest" is reserved');
    expect(error.hint).toContain('champion');
    const missing = (await store.getRegisteredModel('ghost').catch((thrown: unknown) => thrown)) as TrackingError;
    expect([missing.code, missing.field]).toEqual(['RESOURCE_DOES_NOT_EXIST', 'name']);
    expect(missing.problem).toContain('"ghost"');
  });
});
