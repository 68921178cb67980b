import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { closePlugboardDB, openPlugboardDB, SCHEMA_VERSION } from './index.ts';

let counter = 0;
const freshName = (): string => `open-${process.pid}-${++counter}`;

describe('openPlugboardDB', () => {
  it('shares one connection per database name', async () => {
    const name = freshName();
    const [first, second] = await Promise.all([openPlugboardDB(name), openPlugboardDB(name)]);
    expect(first).toBe(second);
    expect(await openPlugboardDB(freshName())).not.toBe(first);
  });

  it('closes an older connection when a newer version asks (versionchange) and opens the new one without deadlock', async () => {
    const name = freshName();
    const notices: string[] = [];
    const older = await openPlugboardDB(name, { version: 1, onNotice: (message) => notices.push(message) });
    const newer = await openPlugboardDB(name);
    expect(newer.version).toBe(SCHEMA_VERSION);
    expect(notices).toEqual([`Plugboard database "${name}" (version 1) closes so that version ${SCHEMA_VERSION} can open.`]);
    expect(() => older.transaction('meta')).toThrow(/closed|closing|InvalidState/i);
  });

  it('refuses to open a database already upgraded past the requested version, with INVALID_STATE', async () => {
    const name = freshName();
    await openPlugboardDB(name);
    await closePlugboardDB(name);
    await expect(openPlugboardDB(name, { version: 1 })).rejects.toMatchObject({ code: 'INVALID_STATE', problem: expect.stringContaining('upgraded past version 1') });
  });

  it('waits for a foreign older connection, fails with INVALID_STATE after the timeout, and opens once it closes', async () => {
    const name = freshName();
    await openPlugboardDB(name, { version: 1 });
    await closePlugboardDB(name);
    const foreign = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const notices: string[] = [];
    await expect(openPlugboardDB(name, { blockedTimeoutMs: 30, onNotice: (message) => notices.push(message) })).rejects.toMatchObject({
      code: 'INVALID_STATE',
      hint: expect.stringContaining('Close or reload the other tabs'),
    });
    expect(notices[0]).toContain('waiting for it to close');
    foreign.close();
    const db = await openPlugboardDB(name, { onNotice: () => {} });
    expect(db.version).toBe(SCHEMA_VERSION);
  });

  it('reopens after a connection closed for an upgrade elsewhere', async () => {
    const name = freshName();
    const first = await openPlugboardDB(name);
    // Another tab asks for a later version: the cached connection closes and is forgotten.
    const request = indexedDB.open(name, SCHEMA_VERSION + 1);
    await new Promise<void>((resolve, reject) => {
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
    });
    expect(() => first.transaction('meta')).toThrow();
    await expect(openPlugboardDB(name, { onNotice: () => {} })).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('fails the open and keeps the old version when an upgrade step fails', async () => {
    const name = freshName();
    // A version-1 database without its stores: the version-2 step cannot find the metrics to migrate.
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
    });
    await expect(openPlugboardDB(name)).rejects.toMatchObject({
      code: 'INTERNAL_ERROR',
      problem: expect.stringContaining(`could not be upgraded from version 1 to ${SCHEMA_VERSION}`),
    });
    const version = await new Promise<number>((resolve) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => {
        resolve(request.result.version);
        request.result.close();
      };
    });
    expect(version).toBe(1);
  });

  it('adds the installedPlugins store at version 3 and keeps what version 2 held', async () => {
    const name = freshName();
    const older = await openPlugboardDB(name, { version: 2 });
    await older.put('meta', { key: 'kept', value: 7 });
    expect(older.objectStoreNames.contains('installedPlugins')).toBe(false);
    await closePlugboardDB(name);
    const db = await openPlugboardDB(name, { version: 3 });
    expect(db.objectStoreNames.contains('installedPlugins')).toBe(true);
    expect(await db.get('meta', 'kept')).toEqual({ key: 'kept', value: 7 });
    await db.put('installedPlugins', { group: 'codex_ml.metrics', name: 'f1', url: 'https://cdn.example/f1.js' });
    expect(await db.get('installedPlugins', ['codex_ml.metrics', 'f1'])).toMatchObject({ url: 'https://cdn.example/f1.js' });
  });
});
