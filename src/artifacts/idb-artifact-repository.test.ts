import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openPlugboardDB } from '../storage/index.ts';
import { describeChecks } from '../testing/check.ts';
import { artifactRepositoryChecks } from '../testing/artifact-repository-checks.ts';
import { TrackingError } from '../store-kit/index.ts';
import { IdbArtifactRepository, openArtifactRepository } from './index.ts';

let counter = 0;
const freshUri = (database = 'artifacts-test') => `idb://${database}/0/run${++counter}/artifacts`;

afterEach(() => {
  vi.restoreAllMocks();
});

describeChecks('IndexedDB artifact repository (Blob slices of 1 MiB)', artifactRepositoryChecks, () => openArtifactRepository(freshUri(), { chunkSize: 1024 * 1024 }), { describe, it });
describeChecks('IndexedDB artifact repository (ArrayBuffer slices of 256 KiB)', artifactRepositoryChecks, () => openArtifactRepository(freshUri(), { chunkSize: 256 * 1024, bytes: 'arrayBuffer' }), { describe, it });
describeChecks('IndexedDB artifact repository (Blob slices of 3 bytes)', artifactRepositoryChecks.filter((check) => !check.name.includes('multi-megabyte')), () => openArtifactRepository(freshUri(), { chunkSize: 3 }), { describe, it });

async function recordsOf(uri: string, database = 'artifacts-test') {
  const db = await openPlugboardDB(database);
  const all = await db.getAll('artifacts');
  return all.filter((record) => record.root === uri);
}

describe('IdbArtifactRepository', () => {
  it('splits a file into chunk-size slices stored in separate records', async () => {
    const repository = await openArtifactRepository(freshUri(), { chunkSize: 4 });
    await repository.logArtifact('0123456789', 'ten.txt');
    const records = await recordsOf(repository.artifactUri);
    const chunks = records.filter((record) => record['kind'] === 'chunk');
    expect(chunks).toHaveLength(3);
    expect(chunks.every((chunk) => chunk['bytes'] instanceof Blob)).toBe(true);
    expect(await (await repository.downloadArtifact('ten.txt')).text()).toBe('0123456789');
    await repository.logArtifact('ab', 'ten.txt');
    expect((await recordsOf(repository.artifactUri)).filter((record) => record['kind'] === 'chunk')).toHaveLength(1);
  });

  it('stores ArrayBuffers when asked to and reads them back as a Blob', async () => {
    const repository = await openArtifactRepository(freshUri(), { chunkSize: 3, bytes: 'arrayBuffer' });
    await repository.logArtifact(new Blob(['abcdefg'], { type: 'text/x-test' }), 'f.txt');
    const chunks = (await recordsOf(repository.artifactUri)).filter((record) => record['kind'] === 'chunk');
    expect(chunks.map((chunk) => chunk['bytes'] instanceof ArrayBuffer)).toEqual([true, true, true]);
    const blob = await repository.downloadArtifact('f.txt');
    expect([await blob.text(), blob.type]).toEqual(['abcdefg', 'text/x-test']);
  });

  it('falls back to ArrayBuffers when IndexedDB cannot clone a Blob', async () => {
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if ((value as { bytes?: unknown }).bytes instanceof Blob) throw new DOMException('Blobs are not supported here.', 'DataCloneError');
      return put.call(this, value, key);
    });
    const repository = await openArtifactRepository(freshUri(), { chunkSize: 2 });
    await repository.logArtifact('hello', 'h.txt');
    expect(await (await repository.downloadArtifact('h.txt')).text()).toBe('hello');
    const chunks = (await recordsOf(repository.artifactUri)).filter((record) => record['kind'] === 'chunk');
    expect(chunks.map((chunk) => chunk['bytes'] instanceof ArrayBuffer)).toEqual([true, true, true]);
  });

  it('leaves nothing half-written when the quota runs out in the middle of a batch', async () => {
    const repository = await openArtifactRepository(freshUri(), { chunkSize: 2 });
    await repository.logArtifact('old content', 'keep.txt');
    const put = IDBObjectStore.prototype.put;
    let calls = 0;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      calls += 1;
      if (calls === 5) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.call(this, value, key);
    });
    const failure = repository.logArtifacts({ 'keep.txt': 'new content', 'other.txt': 'more bytes here' });
    await expect(failure).rejects.toBeInstanceOf(TrackingError);
    await expect(failure).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    vi.restoreAllMocks();
    expect(calls).toBeGreaterThanOrEqual(5);
    expect(await (await repository.downloadArtifact('keep.txt')).text()).toBe('old content');
    expect(await repository.listArtifacts()).toEqual([{ path: 'keep.txt', isDir: false, fileSize: 11 }]);
  });

  it('keeps repositories on different roots apart, even when one root is a prefix of the other', async () => {
    const uri = freshUri();
    const first = await openArtifactRepository(uri);
    const nested = await openArtifactRepository(`${uri}/sub`);
    await first.logArtifact('1', 'x.txt');
    await nested.logArtifact('2', 'x.txt');
    await first.deleteArtifacts();
    expect(await first.listArtifacts()).toEqual([]);
    expect(await (await nested.downloadArtifact('x.txt')).text()).toBe('2');
  });

  it('treats equivalent idb URIs as one root and picks the database from the authority', async () => {
    const a = await openArtifactRepository('idb://other-db//exp/run/artifacts/');
    const b = await openArtifactRepository('idb://other-db/exp/run/artifacts');
    expect(a.artifactUri).toBe('idb://other-db/exp/run/artifacts');
    await a.logArtifact('shared', 's.txt');
    expect(await (await b.downloadArtifact('s.txt')).text()).toBe('shared');
    expect(await recordsOf(a.artifactUri, 'other-db')).toHaveLength(2);
    expect(new IdbArtifactRepository('idb:').artifactUri).toBe('idb://plugboard');
    expect(() => new IdbArtifactRepository('idb:exp/run')).toThrow(TrackingError);
  });

  it('refuses a URI of another scheme with INVALID_PARAMETER_VALUE naming the URI', async () => {
    const failure = openArtifactRepository('s3://bucket/path');
    await expect(failure).rejects.toBeInstanceOf(TrackingError);
    await expect(failure).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'artifactUri' });
    await expect(openArtifactRepository('s3://bucket/path')).rejects.toThrow(/s3:\/\/bucket\/path/);
    await expect(openArtifactRepository('idb://db/a/../b')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
  });

  it('refuses bytes that are not bytes and a chunk size below one byte', async () => {
    const repository = await openArtifactRepository(freshUri());
    await expect(repository.logArtifact(42 as never, 'n.txt')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'bytes' });
    await expect(repository.logArtifacts(null as never)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'files' });
    expect(() => new IdbArtifactRepository(freshUri(), { chunkSize: 0 })).toThrow(TrackingError);
  });

  it('names the offending path and says what to do', async () => {
    const repository = await openArtifactRepository(freshUri());
    const error = (await repository.logArtifact('x', 'a/../../etc/passwd').catch((thrown: unknown) => thrown)) as TrackingError;
    expect(error).toBeInstanceOf(TrackingError);
    expect(error.problem).toContain('a/../../etc/passwd');
    expect(error.hint).toContain('relative POSIX path');
    expect(error.field).toBe('path');
  });
});
