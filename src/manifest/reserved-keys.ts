/** The one key a JSON object can hold that a JavaScript object reads as its prototype instead. */
export const PROTO_KEY = '__proto__';

/**
 * Finds every `__proto__` key a manifest's maps hold as their own (JSON.parse makes it one): an import
 * specifier, a group, or an entry point. Returns their JSON paths. (The fixed-key objects, the manifest and an
 * entry's long form, report it as an unknown key through the schema.)
 *
 * Why: the schema's records cannot see such a key (zod skips it, as assigning it would replace the output's
 * prototype), so it would be dropped without a word. The host refuses it instead of carrying it through
 * null-prototype objects: every embedder and store that keeps names as object keys would have to as well.
 */
export function findProtoKeys(json: unknown): PropertyKey[][] {
  const found: PropertyKey[][] = [];
  const check = (value: unknown, path: PropertyKey[]) => {
    if (isObject(value) && Object.hasOwn(value, PROTO_KEY)) found.push([...path, PROTO_KEY]);
  };
  if (!isObject(json)) return found;
  check(json['imports'], ['imports']);
  const groups = json['groups'];
  check(groups, ['groups']);
  if (isObject(groups)) for (const [group, entries] of Object.entries(groups)) check(entries, ['groups', group]);
  return found;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
