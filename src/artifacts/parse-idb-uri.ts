import { describeValue } from '../errors/index.ts';
import { DEFAULT_DB_NAME } from '../storage/index.ts';
import { TrackingError } from '../store-kit/index.ts';

/** An `idb:` URI taken apart. */
export interface IdbLocation {
  /** The IndexedDB database: the URI's authority, or `plugboard` when it is empty or absent. */
  database: string;
  /** The path inside the database, without leading or trailing slashes (may be empty). */
  path: string;
  /** The canonical URI, `idb://<database>/<path>` (no trailing slash). */
  uri: string;
}

/**
 * Parses `idb://<database>[/<path>]`, or `idb:` alone (database `plugboard`, empty path) — the forms the
 * tracking store accepts too — into its database and path, collapsing repeated slashes. Any other scheme
 * or form (`idb:name`) or a `..` segment is INVALID_PARAMETER_VALUE; `idb:///path` means the default database.
 */
export function parseIdbUri(uri: unknown, field = 'uri'): IdbLocation {
  const hint = 'Use idb: or idb://<database>[/<path>], for example idb://plugboard/0/<runId>/artifacts.';
  if (typeof uri !== 'string') throw new TrackingError('INVALID_PARAMETER_VALUE', `${field} must be a string, received ${describeValue(uri)}`, { field, hint });
  // The path group starts at a slash the authority cannot hold, so the match goes one way only (linear time on
  // any input: with two groups that could both take the same characters, a long URI ending in "?" took seconds).
  const match = /^idb:(?:$|\/\/([^/?#]*)((?:\/[^?#]*)?)$)/i.exec(uri.trim());
  if (!match) throw new TrackingError('INVALID_PARAMETER_VALUE', `${field} "${uri}" is not an idb: URI`, { field, hint });
  let database = DEFAULT_DB_NAME;
  if (match[1] !== undefined) {
    try {
      database = decodeURIComponent(match[1]);
    } catch {
      throw new TrackingError('INVALID_PARAMETER_VALUE', `${field} "${uri}" has a malformed %-escape in its database name`, { field, hint });
    }
  }
  if (database === '') database = DEFAULT_DB_NAME;
  const segments = (match[2] ?? '').split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw new TrackingError('INVALID_PARAMETER_VALUE', `${field} "${uri}" contains a ".." segment`, { field, hint });
  const path = segments.join('/');
  return { database, path, uri: `idb://${encodeURIComponent(database)}${path === '' ? '' : `/${path}`}` };
}
