import { describeIssues, formatPath, messageOf, PlugboardError } from '../errors/index.ts';
import { CatalogSchema, type CatalogPlugin } from './catalog-schema.ts';

/** A catalog after validation: every version's URL absolute, and the catalog's own URL and name. */
export interface ParsedCatalog {
  url: string;
  name: string;
  plugins: CatalogPlugin[];
}

/** How a catalog is fetched (a loader environment provides it). */
export interface CatalogReader {
  baseUrl: string;
  readBytes(url: string): Promise<Uint8Array>;
}

const CATALOG_HINT = 'Fix the catalog at the path shown; its JSON Schema (plugins-catalog.schema.json) lists every field.';

/**
 * Reads and checks a catalog. Throws a PlugboardError (stage `manifest`) naming the catalog URL, and for a bad
 * field its JSON path and every problem at once; version URLs resolve against the catalog's URL.
 */
export async function readCatalog(url: string, reader: CatalogReader): Promise<ParsedCatalog> {
  const absolute = new URL(url, reader.baseUrl).href;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(await reader.readBytes(absolute)));
  } catch (thrown) {
    if (thrown instanceof PlugboardError) throw thrown;
    throw new PlugboardError({ code: 'CATALOG_NOT_JSON', stage: 'manifest', url: absolute, problem: `the catalog is not valid JSON: ${messageOf(thrown)}`, hint: CATALOG_HINT });
  }
  return parseCatalog(json, absolute);
}

/** Checks a catalog's JSON (see `readCatalog`); `url` is what its relative URLs resolve against. */
export function parseCatalog(json: unknown, url: string): ParsedCatalog {
  const parsed = CatalogSchema.safeParse(json);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error.issues, json);
    throw new PlugboardError({
      code: 'INVALID_CATALOG',
      stage: 'manifest',
      url,
      ...(issues[0] ? { field: formatPath(issues[0].path) } : {}),
      problem: `catalog: ${issues.map((issue) => `${issue.message} (at ${formatPath(issue.path)})`).join('; ')}`,
      hint: CATALOG_HINT,
    });
  }
  const base = new URL(url);
  const plugins = parsed.data.plugins.map((plugin) => ({
    ...plugin,
    versions: plugin.versions.map((version) => ({ ...version, url: new URL(version.url, base).href })),
  }));
  return { url, name: parsed.data.name ?? url, plugins };
}
