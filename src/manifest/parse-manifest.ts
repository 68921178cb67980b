import { PlugboardError, describeIssues, formatPath } from '../errors/index.ts';
import { ManifestSchema, type EntryPointSpec } from './manifest-schema.ts';
import { findProtoKeys } from './reserved-keys.ts';
import { isWellFormedManifest } from './well-formed.ts';

/** One entry point as discovered: everything needed to load it, and where it was declared. No plugin code has run. */
export interface EntryPoint {
  group: string;
  name: string;
  /** Absolute URL of the ES module. */
  url: string;
  /** The export to take from the module (`default` unless the manifest says otherwise). */
  export: string;
  api?: string;
  version?: string;
  description?: string;
  integrity?: string;
  /** The Plugboard versions it works with (`>=0.1 <0.3`); checked before it loads. */
  host?: string;
  /** URL of the manifest that declared it. */
  source: string;
  /** The modules it imports, pinned (URL → `sha384-…`) as an installed plugin records them; each is checked before the entry runs. */
  modules?: Record<string, string>;
}

/** A manifest after validation: absolute URLs, entry points flattened. */
export interface ParsedManifest {
  url: string;
  name?: string;
  /** Import-map entries with absolute URLs. */
  imports: Record<string, string>;
  entryPoints: EntryPoint[];
}

/** The outcome of checking a manifest: either a parsed manifest, or every problem found at once. */
export type ManifestCheck =
  | { ok: true; manifest: ParsedManifest }
  | { ok: false; problems: PlugboardError[] };

const MANIFEST_HINT = 'Fix the manifest at the path shown; its JSON Schema (plugins-manifest.schema.json) lists every field.';

/**
 * Validates a manifest's JSON and resolves its URLs against `manifestUrl`.
 * Never throws on bad input: every problem is returned, each naming the manifest URL and the JSON path.
 */
export function checkManifest(json: unknown, manifestUrl: string): ManifestCheck {
  const wellFormed = isWellFormedManifest(json);
  const result = wellFormed ? { success: true as const, data: json } : ManifestSchema.safeParse(json);
  // Only a manifest the quick check turned down can hold a `__proto__` key.
  const protoKeys = wellFormed ? [] : findProtoKeys(json);
  if (!result.success || protoKeys.length > 0) {
    const issues = [
      ...(result.success ? [] : describeIssues(result.error.issues, json)),
      ...protoKeys.map((path) => ({
        path,
        message: `"__proto__" cannot be ${protoKeyRole(path)}: JavaScript objects read that key as their prototype, so it would be lost`,
      })),
    ];
    const problems = issues.map((issue) => {
      const [, group, name] = issue.path;
      return new PlugboardError({
        code: 'INVALID_MANIFEST',
        stage: 'manifest',
        problem: `manifest: ${issue.message}`,
        field: formatPath(issue.path),
        url: manifestUrl,
        hint: MANIFEST_HINT,
        ...(issue.path[0] === 'groups' && typeof group === 'string' ? { group } : {}),
        ...(issue.path[0] === 'groups' && typeof name === 'string' ? { plugin: name } : {}),
      });
    });
    return { ok: false, problems };
  }

  const problems: PlugboardError[] = [];
  const base = new URL(manifestUrl); // parsed once, not once per entry
  // The JSON path is built only for a problem: this runs for every entry point of every manifest.
  const resolve = (ref: string, path: () => PropertyKey[], group?: string, plugin?: string): string | undefined => {
    try {
      return new URL(ref, base).href;
    } catch {
      problems.push(
        new PlugboardError({
          code: 'INVALID_MANIFEST',
          stage: 'manifest',
          problem: `manifest: ${JSON.stringify(ref)} is not a URL, nor a path relative to the manifest`,
          field: formatPath(path()),
          url: manifestUrl,
          hint: MANIFEST_HINT,
          ...(group ? { group } : {}),
          ...(plugin ? { plugin } : {}),
        }),
      );
      return undefined;
    }
  };

  const imports: Record<string, string> = {};
  for (const [specifier, target] of Object.entries(result.data.imports ?? {})) {
    const url = resolve(target, () => ['imports', specifier]);
    if (url) imports[specifier] = url;
  }

  const entryPoints: EntryPoint[] = [];
  for (const [group, entries] of Object.entries(result.data.groups)) {
    for (const [name, value] of Object.entries(entries)) {
      const spec: EntryPointSpec = typeof value === 'string' ? splitShorthand(value) : value;
      const url = resolve(spec.url, () => ['groups', group, name, ...(typeof value === 'string' ? [] : ['url'])], group, name);
      if (!url) continue;
      const entry: EntryPoint = { group, name, url, export: spec.export ?? 'default', source: manifestUrl };
      if (spec.api !== undefined) entry.api = spec.api;
      if (spec.version !== undefined) entry.version = spec.version;
      if (spec.description !== undefined) entry.description = spec.description;
      if (spec.integrity !== undefined) entry.integrity = spec.integrity;
      if (spec.host !== undefined) entry.host = spec.host;
      entryPoints.push(entry);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    manifest: { url: manifestUrl, imports, entryPoints, ...(result.data.name ? { name: result.data.name } : {}) },
  };
}

function protoKeyRole(path: readonly PropertyKey[]): string {
  if (path[0] === 'imports') return 'an import specifier';
  if (path.length === 2 && path[0] === 'groups') return 'a group name';
  if (path.length === 3) return 'an entry-point name';
  return 'a manifest key';
}

/** Parses a manifest or throws the first problem (all problems are listed in its text). */
export function parseManifest(json: unknown, manifestUrl: string): ParsedManifest {
  const check = checkManifest(json, manifestUrl);
  if (check.ok) return check.manifest;
  const [first, ...rest] = check.problems;
  if (rest.length === 0) throw first;
  throw new PlugboardError({
    code: 'INVALID_MANIFEST',
    stage: 'manifest',
    url: manifestUrl,
    problem: `manifest has ${check.problems.length} problems: ${check.problems.map((p) => `${p.problem} (at ${p.field})`).join('; ')}`,
    hint: MANIFEST_HINT,
  });
}

/** `"./bleu.js#bleu"` → `{ url: "./bleu.js", export: "bleu" }`; without `#` the export is `default`. */
function splitShorthand(value: string): EntryPointSpec {
  const hash = value.lastIndexOf('#');
  if (hash < 0) return { url: value };
  const exportName = value.slice(hash + 1);
  return exportName ? { url: value.slice(0, hash), export: exportName } : { url: value.slice(0, hash) };
}
