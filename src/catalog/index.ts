// Catalogs: JSON indexes of installable plugins, with versions, digests and host ranges, searched by priority.
export { CatalogSchema, CatalogPluginSchema, CatalogVersionSchema } from './catalog-schema.ts';
export type { Catalog, CatalogPlugin, CatalogVersion } from './catalog-schema.ts';
export { readCatalog, parseCatalog } from './read-catalog.ts';
export type { ParsedCatalog, CatalogReader } from './read-catalog.ts';
export { searchCatalogs } from './search-catalogs.ts';
export type { CatalogMatch } from './search-catalogs.ts';
