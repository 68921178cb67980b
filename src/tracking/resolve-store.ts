import { PlugboardError } from '../errors/index.ts';
import { DEFAULT_DB_NAME } from '../storage/index.ts';
import { IdbTrackingStore } from './idb-tracking-store.ts';
import type { TrackingStore } from './types.ts';

/** The scheme of Plugboard's built-in stores, and the URI used when none is given. */
export const IDB_SCHEME = 'idb';
/** The store URI used when none is given: the IndexedDB database `plugboard`. */
export const DEFAULT_STORE_URI = 'idb:';

/** What scheme resolution needs of a group's registry; the host's `Registry` fits as it is. */
export interface StoreRegistry {
  has(name: string): boolean;
  names(): string[];
  /** Calls the scheme's factory with the URI and checks what it returns against the group's contract. */
  resolveAndInstantiate(name: string, uri: never): Promise<unknown>;
}

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
  if (schemeOf(uri) !== IDB_SCHEME || (rest !== '' && !rest.startsWith('//'))) {
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

/** How `resolveStoreUri` builds a store of one group. */
export interface StoreResolution<S> {
  /** The group whose registry holds the schemes (`mlflow.tracking_store`). */
  group: string;
  /** Builds the built-in `idb:` store when the registry has no `idb` entry (the registry's entry wins). */
  builtin: (uri: string) => S;
}

/**
 * Resolves a store URI to a store, as MLflow picks a store by scheme: no URI means `idb:`; a scheme the
 * registry holds is built by its factory (so a plugin may replace `idb` too); `idb` falls back to the
 * built-in store. An unknown scheme throws UNKNOWN_STORE_SCHEME listing the known ones.
 */
export async function resolveStoreUri<S>(uri: string | undefined, registry: StoreRegistry, resolution: StoreResolution<S>): Promise<S> {
  const target = uri === undefined || uri === '' ? DEFAULT_STORE_URI : uri;
  const scheme = schemeOf(target, resolution.group);
  if (registry.has(scheme)) return (await registry.resolveAndInstantiate(scheme, target as never)) as S;
  if (scheme === IDB_SCHEME) return resolution.builtin(target);
  const known = [...new Set([IDB_SCHEME, ...registry.names()])].sort();
  throw new PlugboardError({
    code: 'UNKNOWN_STORE_SCHEME',
    group: resolution.group,
    plugin: scheme,
    field: 'uri',
    problem: `no store is registered for scheme "${scheme}:" (URI "${target}")`,
    hint: `Known schemes: ${known.map((name) => `${name}:`).join(', ')}. Add a plugin for "${scheme}" to the ${resolution.group} group of a manifest.`,
  });
}

/** Resolves a tracking-store URI (`idb:`, `idb://name`, or a plugin's scheme) to a TrackingStore. */
export function resolveTrackingStore(uri: string | undefined, registry: StoreRegistry): Promise<TrackingStore> {
  return resolveStoreUri<TrackingStore>(uri, registry, {
    group: 'mlflow.tracking_store',
    builtin: (target) => new IdbTrackingStore(idbDatabaseOf(target)),
  });
}
