import { compareVersions, validate } from 'compare-versions';
import { checkHostRange, HOST_VERSION } from '../manifest/index.ts';
import type { CatalogVersion } from './catalog-schema.ts';
import type { ParsedCatalog } from './read-catalog.ts';

/** A catalog plugin as search finds it: from the first catalog (by priority) that lists its group and name. */
export interface CatalogMatch {
  group: string;
  name: string;
  description?: string;
  /** The catalog's URL and name. */
  catalog: { url: string; name: string };
  /** Versions newest first, each with whether this host is in its range. */
  versions: Array<CatalogVersion & { compatible: boolean }>;
  /** The newest version this host is in the range of; undefined when none is. */
  latest?: CatalogVersion;
}

/**
 * Searches catalogs given in priority order: the same group and name in two catalogs is the first one's, as with
 * package indexes. `query` matches name, group and description, case-insensitively ('' lists everything).
 * Results are sorted by group and name.
 */
export function searchCatalogs(catalogs: readonly ParsedCatalog[], query = '', hostVersion: string = HOST_VERSION): CatalogMatch[] {
  const needle = query.trim().toLowerCase();
  const found = new Map<string, CatalogMatch>();
  for (const catalog of catalogs) {
    for (const plugin of catalog.plugins) {
      const key = `${plugin.group}\u0000${plugin.name}`;
      if (found.has(key)) continue;
      const text = `${plugin.group} ${plugin.name} ${plugin.description ?? ''}`.toLowerCase();
      if (needle && !text.includes(needle)) continue;
      const versions = [...plugin.versions].sort(newestFirst).map((version) => ({ ...version, compatible: fits(version, plugin, hostVersion) }));
      const latest = versions.find((version) => version.compatible);
      found.set(key, {
        group: plugin.group,
        name: plugin.name,
        ...(plugin.description !== undefined ? { description: plugin.description } : {}),
        catalog: { url: catalog.url, name: catalog.name },
        versions,
        ...(latest ? { latest: withoutFlag(latest) } : {}),
      });
    }
  }
  return [...found.values()].sort((a, b) => (a.group === b.group ? (a.name < b.name ? -1 : 1) : a.group < b.group ? -1 : 1));
}

function fits(version: CatalogVersion, plugin: { group: string; name: string }, hostVersion: string): boolean {
  try {
    checkHostRange({ group: plugin.group, name: plugin.name, url: version.url, ...(version.host ? { host: version.host } : {}) }, hostVersion);
    return true;
  } catch {
    return false;
  }
}

/** Semantic versions newest first; a version that is not semver sorts after them, by text. */
function newestFirst(a: CatalogVersion, b: CatalogVersion): number {
  const [validA, validB] = [validate(a.version), validate(b.version)];
  if (validA && validB) return compareVersions(b.version, a.version);
  if (validA !== validB) return validA ? -1 : 1;
  return a.version < b.version ? 1 : -1;
}

function withoutFlag(version: CatalogVersion & { compatible: boolean }): CatalogVersion {
  const { compatible: _compatible, ...rest } = version;
  return rest;
}
