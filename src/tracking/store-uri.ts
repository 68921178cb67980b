// Store URIs: the scheme that picks a store, as MLflow picks one, and the IndexedDB database an idb: URI names.
import { PlugboardError } from '../errors/index.ts';
import { DEFAULT_DB_NAME } from '../storage/index.ts';

/** The store URI used when none is given: the IndexedDB database `plugboard`. */
export const DEFAULT_STORE_URI = 'idb:';

/** Returns the scheme of a URI, lower-cased (`IDB://x` → `idb`); a URI without one is INVALID_URI. */
export function schemeOf(uri: string, group?: string): string {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri);
  if (!match) {
    throw new PlugboardError({
      code: 'INVALID_URI',
      ...(group === undefined ? {} : { group }),
      field: 'uri',
      problem: `store URI "${uri}" has no scheme`,
      hint: 'Write the URI with its scheme, for example idb: or idb://my-database.',
    });
  }
  return match[1]!.toLowerCase();
}

/**
 * Returns the IndexedDB database an `idb:` URI names: `idb:` → `plugboard`, `idb://name` and
 * `idb://name/any/path` → `name`. Any other form (`idb:name`) is INVALID_URI.
 */
export function idbDatabaseOf(uri: string): string {
  const rest = uri.slice(uri.indexOf(':') + 1);
  if (schemeOf(uri) !== 'idb' || (rest !== '' && !rest.startsWith('//'))) {
    throw new PlugboardError({
      code: 'INVALID_URI',
      field: 'uri',
      problem: `"${uri}" is not an IndexedDB store URI`,
      hint: 'Use idb: for the default database, or idb://<database>[/path].',
    });
  }
  const name = decodeURIComponent(rest.slice(2).split('/')[0] ?? '');
  return name === '' ? DEFAULT_DB_NAME : name;
}
