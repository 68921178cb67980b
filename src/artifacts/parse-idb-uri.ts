import { describeValue } from '../errors/index.ts';
import { DEFAULT_DB_NAME } from '../storage/index.ts';
import { TrackingError } from '../tracking/tracking-error.ts';

/** An `idb:` URI taken apart. */
export interface IdbLocation {
  /** The IndexedDB database: the URI's authority, or `plugboard` when it has none. */
  database: string;
  /** The path inside the database, without leading or trailing slashes (may be empty). */
  path: string;
  /** The canonical URI, `idb://<database>/<path>` (no trailing slash). */
  uri: string;
}

/**
 * Parses `idb://<database>/<path>`, `idb:/<path>`, `idb:<path>` or `idb:` (database `plugboard`) into its
 * database and path, collapsing repeated slashes. Any other scheme, a `..` segment or an empty database
 * name is INVALID_PARAMETER_VALUE.
 */
export function parseIdbUri(uri: unknown, field = 'uri'): IdbLocation {
  const hint = 'Use idb://<database>/<path>, for example idb://plugboard/0/<runId>/artifacts.';
  if (typeof uri !== 'string') throw new TrackingError('INVALID_PARAMETER_VALUE', `${field} must be a string, received ${describeValue(uri)}`, { field, hint });
  const match = /^idb:(\/\/([^/?#]*))?([^?#]*)$/i.exec(uri.trim());
  if (!match) throw new TrackingError('INVALID_PARAMETER_VALUE', `${field} "${uri}" is not an idb: URI`, { field, hint });
  let database = DEFAULT_DB_NAME;
  if (match[1] !== undefined) {
    try {
      database = decodeURIComponent(match[2]!);
    } catch {
      throw new TrackingError('INVALID_PARAMETER_VALUE', `${field} "${uri}" has a malformed %-escape in its database name`, { field, hint });
    }
  }
  if (database === '') throw new TrackingError('INVALID_PARAMETER_VALUE', `${field} "${uri}" names an empty database`, { field, hint });
  const segments = match[3]!.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw new TrackingError('INVALID_PARAMETER_VALUE', `${field} "${uri}" contains a ".." segment`, { field, hint });
  const path = segments.join('/');
  return { database, path, uri: `idb://${encodeURIComponent(database)}${path === '' ? '' : `/${path}`}` };
}
