import { searchError } from './search-error.ts';

const TOKEN_VERSION = 1;

/** A short, stable hash of a query's fingerprint (FNV-1a, 32 bits, hex), so tokens stay small. */
function hashFingerprint(fingerprint: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < fingerprint.length; index += 1) {
    hash ^= fingerprint.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * Encodes the offset of the next page and the query it belongs to into an opaque, URL-safe token. The
 * fingerprint is any string that identifies the query (filter, order, experiments, view type).
 */
export function encodePageToken(offset: number, fingerprint: string): string {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw searchError({ problem: `a page offset must be a whole number ≥ 0, received ${offset}`, field: 'pageToken' });
  }
  const json = JSON.stringify({ v: TOKEN_VERSION, o: offset, q: hashFingerprint(fingerprint) });
  return btoa(json).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Decodes a page token made by encodePageToken for the same fingerprint and returns its offset; an absent
 * or empty token gives 0. A garbled token, or one made for another query, throws a SearchError with code
 * INVALID_PARAMETER_VALUE ("Invalid page token").
 */
export function decodePageToken(token: string | undefined | null, fingerprint: string): number {
  if (token === undefined || token === null || token === '') return 0;
  const invalid = (problem: string, hint: string): never => {
    throw searchError({ problem: `Invalid page token "${token.length > 40 ? `${token.slice(0, 40)}…` : token}": ${problem}`, field: 'pageToken', hint });
  };
  let parsed: unknown;
  try {
    const base64 = token.replace(/-/g, '+').replace(/_/g, '/');
    parsed = JSON.parse(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)));
  } catch {
    return invalid('it is not a token this store made', 'Pass back the nextPageToken of the previous page unchanged, or omit it for the first page.');
  }
  const record = parsed as { v?: unknown; o?: unknown; q?: unknown } | null;
  if (typeof record !== 'object' || record === null || record.v !== TOKEN_VERSION || !Number.isSafeInteger(record.o) || (record.o as number) < 0) {
    return invalid('it is not a token this store made', 'Pass back the nextPageToken of the previous page unchanged, or omit it for the first page.');
  }
  if (record.q !== hashFingerprint(fingerprint)) {
    return invalid('it belongs to a different query', 'Repeat the same filter, order, experiments and view type as the page it came from, or start again without a token.');
  }
  return record.o as number;
}
