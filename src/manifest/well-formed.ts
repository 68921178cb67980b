import { PROTO_KEY as PROTO } from './reserved-keys.ts';
import { ENTRY_NAME, EntryPointSpecSchema, GROUP_NAME, INTEGRITY, ManifestSchema, type Manifest } from './manifest-schema.ts';

const MANIFEST_KEYS = new Set(Object.keys(ManifestSchema.def.shape));
const SPEC_KEYS = new Set(Object.keys(EntryPointSpecSchema.def.shape));

/**
 * The quick path of manifest checking: true only for a manifest the schema accepts as it is (a test holds
 * it to that on valid and broken manifests alike). False says nothing is wrong yet: the manifest then goes
 * through the schema, which names each problem. Discovery reads thousands of entry points at host start,
 * and the schema's general machinery costs more than the rest of discovery together.
 */
export function isWellFormedManifest(json: unknown): json is Manifest {
  if (!isPlainObject(json)) return false;
  for (const key in json) if (!MANIFEST_KEYS.has(key)) return false;
  const { manifestVersion, $schema, name, imports, groups } = json;
  if (manifestVersion !== 1 || !optionalString($schema) || (name !== undefined && !nonEmpty(name))) return false;
  if (imports !== undefined) {
    if (!isPlainObject(imports)) return false;
    for (const specifier in imports) if (specifier === '' || specifier === PROTO || !nonEmpty(imports[specifier])) return false;
  }
  if (!isPlainObject(groups)) return false;
  for (const group in groups) {
    const entries = groups[group];
    if (group === PROTO || !GROUP_NAME.test(group) || !isPlainObject(entries)) return false;
    for (const entryName in entries) {
      if (entryName === PROTO || !ENTRY_NAME.test(entryName) || !isWellFormedEntry(entries[entryName])) return false;
    }
  }
  return true;
}

function isWellFormedEntry(value: unknown): boolean {
  if (typeof value === 'string') return value !== '';
  if (!isPlainObject(value)) return false;
  for (const key in value) if (!SPEC_KEYS.has(key)) return false;
  const { url, export: exportName, api, version, integrity, description, host } = value;
  return (
    nonEmpty(url) &&
    (exportName === undefined || nonEmpty(exportName)) &&
    optionalString(api) &&
    optionalString(version) &&
    optionalString(description) &&
    (host === undefined || nonEmpty(host)) &&
    (integrity === undefined || (typeof integrity === 'string' && INTEGRITY.test(integrity)))
  );
}

/** An object as JSON makes it: no prototype of its own beyond Object's, no inherited or symbol keys in play. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && Object.getOwnPropertySymbols(value).length === 0;
}

const nonEmpty = (value: unknown): boolean => typeof value === 'string' && value !== '';
const optionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';
