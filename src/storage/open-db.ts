import { openDB, type IDBPDatabase } from 'idb';
import { TrackingError } from '../store-kit/index.ts';
import { applyUpgrades } from './upgrades.ts';
import { DEFAULT_DB_NAME, SCHEMA_VERSION, type PlugboardSchema } from './schema.ts';

/** Options of `openPlugboardDB`. */
export interface OpenOptions {
  /** The schema version to open; tests open older versions to exercise upgrades. Default `SCHEMA_VERSION`. */
  version?: number;
  /** How long to wait for other tabs holding an older version to close before failing. Default 10 s. */
  blockedTimeoutMs?: number;
  /** Receives a message when this connection closes for a newer version or waits on an older one. */
  onNotice?: (message: string) => void;
}

const connections = new Map<string, Promise<IDBPDatabase<PlugboardSchema>>>();

function cacheKey(name: string, version: number): string {
  return `${version}\u0000${name}`;
}

/**
 * Opens (or reuses) the one connection to Plugboard's database `name`, upgrading the schema step by step
 * from whatever version is on disk. The connection closes itself when another tab asks for a newer
 * version (`versionchange`), so it never blocks an upgrade; the next call opens a fresh one. When other
 * tabs keep an older version open, it waits up to `blockedTimeoutMs` and then rejects with INVALID_STATE.
 * A database already upgraded past this code's version rejects with INVALID_STATE too.
 */
export function openPlugboardDB(name: string = DEFAULT_DB_NAME, options: OpenOptions = {}): Promise<IDBPDatabase<PlugboardSchema>> {
  const version = options.version ?? SCHEMA_VERSION;
  const key = cacheKey(name, version);
  const cached = connections.get(key);
  if (cached) return cached;
  const opening = openFresh(name, version, options, () => {
    if (connections.get(key) === opening) connections.delete(key);
  });
  connections.set(key, opening);
  opening.catch(() => {
    if (connections.get(key) === opening) connections.delete(key);
  });
  return opening;
}

/** Closes every cached connection to `name` (all versions) and forgets them; the next open starts afresh. */
export async function closePlugboardDB(name: string = DEFAULT_DB_NAME): Promise<void> {
  const suffix = `\u0000${name}`;
  for (const [key, opening] of [...connections]) {
    if (!key.endsWith(suffix)) continue;
    connections.delete(key);
    try {
      (await opening).close();
    } catch {
      // A connection that never opened has nothing to close.
    }
  }
}

function openFresh(
  name: string,
  version: number,
  options: OpenOptions,
  forget: () => void,
): Promise<IDBPDatabase<PlugboardSchema>> {
  const notice = options.onNotice ?? ((message: string) => console.warn(message));
  const timeoutMs = options.blockedTimeoutMs ?? 10_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let gaveUp = false;
  let upgradeFailure: { from: number; cause: unknown } | undefined;
  const opened = openDB<PlugboardSchema>(name, version, {
    upgrade(db, oldVersion, newVersion, transaction) {
      // The open request reports the failure; the transaction's own promise needs no second reporter.
      transaction.done.catch(() => {});
      // A failing step aborts the upgrade transaction, which fails the open: nothing half-upgraded stays.
      void applyUpgrades(db as unknown as IDBPDatabase<unknown>, oldVersion, newVersion ?? version, transaction as never).catch((cause: unknown) => {
        upgradeFailure = { from: oldVersion, cause };
        try {
          transaction.abort();
        } catch {
          // Already aborted by the failed request itself.
        }
      });
    },
    blocked(currentVersion) {
      notice(
        `Plugboard database "${name}" is open at version ${currentVersion} in another tab; waiting for it to close before upgrading to version ${version}.`,
      );
      timer = setTimeout(() => {
        gaveUp = true;
        rejectBlocked(
          new TrackingError(
            'INVALID_STATE',
            `database "${name}" stays open at version ${currentVersion} elsewhere, so it cannot be upgraded to version ${version}`,
            { hint: 'Close or reload the other tabs of this app, then try again.' },
          ),
        );
      }, timeoutMs);
    },
    blocking(currentVersion, blockedVersion, event) {
      notice(`Plugboard database "${name}" (version ${currentVersion}) closes so that version ${blockedVersion ?? '?'} can open.`);
      forget();
      (event.target as IDBDatabase).close();
    },
    terminated() {
      forget();
    },
  });
  let rejectBlocked: (error: TrackingError) => void = () => {};
  const blockedFailure = new Promise<never>((_, reject) => {
    rejectBlocked = reject;
  });
  const connection = opened.then(
    (db) => {
      clearTimeout(timer);
      if (gaveUp) db.close();
      return db;
    },
    (cause: unknown) => {
      clearTimeout(timer);
      if (upgradeFailure) {
        throw new TrackingError(
          'INTERNAL_ERROR',
          `database "${name}" could not be upgraded from version ${upgradeFailure.from} to ${version}: ${String(upgradeFailure.cause)}; it stays at version ${upgradeFailure.from}`,
          { hint: 'Reload the page to retry; if it fails again, export your runs from another tab and clear the site data.', cause: upgradeFailure.cause },
        );
      }
      throw openFailure(name, version, cause);
    },
  );
  return Promise.race([connection, blockedFailure]);
}

function openFailure(name: string, version: number, cause: unknown): TrackingError {
  const kind = cause instanceof Error ? cause.name : '';
  if (kind === 'VersionError') {
    return new TrackingError('INVALID_STATE', `database "${name}" was upgraded past version ${version} by a newer Plugboard`, {
      hint: 'Reload the page to load the newer Plugboard.',
      cause,
    });
  }
  return new TrackingError('INTERNAL_ERROR', `database "${name}" could not be opened at version ${version}: ${String(cause)}`, {
    hint: 'IndexedDB may be disabled (private mode, storage settings); check the browser storage settings.',
    cause,
  });
}
