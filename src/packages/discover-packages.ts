import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PlugboardError } from '../errors/index.ts';

/** One entry point a package declares in its package.json `plugboard` field. */
export interface PackageEntryPoint {
  group: string;
  name: string;
  /** The module's path inside the package, `/`-separated, without `./` (`dist/metric.js`). */
  path: string;
  /** The module's export; `default` when the value names none. */
  export: string;
}

/** A dependency of the app that declares Plugboard entry points. */
export interface PluginPackage {
  /** The package's name, from its package.json. */
  name: string;
  version: string | null;
  /** The package's folder on disk (symbolic links resolved). */
  dir: string;
  entryPoints: PackageEntryPoint[];
}

/** What discovery found: the plugin packages, sorted by name, and one error per bad declaration. */
export interface DiscoveredPackages {
  packages: PluginPackage[];
  errors: PlugboardError[];
}

const NAME = /^(?!__proto__$)[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;
const GROUP = /^(?!__proto__$)[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const SHAPE_HINT = 'Write the field as { "<group>": { "<name>": "./path/to/module.js#exportName" } }, for example { "codex_ml.metrics": { "my_metric": "./metric.js#myMetric" } }.';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The package.json of a dependency as Node resolves it from `appDir`, or undefined when it is not installed. */
function findPackageJson(appDir: string, name: string): string | undefined {
  const require = createRequire(join(appDir, 'package.json'));
  for (const base of require.resolve.paths(name) ?? []) {
    const file = join(base, name, 'package.json');
    if (existsSync(file)) return file;
  }
  return undefined;
}

/**
 * Reads a package's `plugboard` field: group → name → `"./path.js#export"`. Each bad value is one error naming
 * the package, the field path and what to do; a good value whose file is missing is an error too.
 */
export function readPluginField(packageName: string, dir: string, field: unknown): { entryPoints: PackageEntryPoint[]; errors: PlugboardError[] } {
  const entryPoints: PackageEntryPoint[] = [];
  const errors: PlugboardError[] = [];
  const fail = (fieldPath: string, problem: string, hint: string, group?: string, plugin?: string) =>
    errors.push(new PlugboardError({ code: 'BAD_PACKAGE_PLUGIN', field: fieldPath, problem: `package ${packageName}: ${problem}`, hint, url: pathToFileURL(join(dir, 'package.json')).href, ...(group ? { group } : {}), ...(plugin ? { plugin } : {}) }));
  if (!isRecord(field)) {
    fail('plugboard', `the "plugboard" field is ${Array.isArray(field) ? 'an array' : typeof field}, not an object of groups`, SHAPE_HINT);
    return { entryPoints, errors };
  }
  for (const [group, entries] of Object.entries(field)) {
    const groupPath = `plugboard[${JSON.stringify(group)}]`;
    if (!GROUP.test(group)) {
      fail(groupPath, `${JSON.stringify(group)} is not a group name`, 'A group name is letters, digits, "_", "-" and "." (for example "codex_ml.metrics").', group);
      continue;
    }
    if (!isRecord(entries)) {
      fail(groupPath, `the group holds ${Array.isArray(entries) ? 'an array' : typeof entries}, not an object of entry points`, SHAPE_HINT, group);
      continue;
    }
    for (const [name, value] of Object.entries(entries)) {
      const fieldPath = `${groupPath}[${JSON.stringify(name)}]`;
      if (!NAME.test(name)) {
        fail(fieldPath, `${JSON.stringify(name)} is not an entry-point name`, 'An entry-point name is letters, digits, "_", "-", "+" and "." (for example "bleu").', group, name);
        continue;
      }
      if (typeof value !== 'string') {
        fail(fieldPath, `the entry point is ${Array.isArray(value) ? 'an array' : typeof value}, not a "./path.js#export" string`, SHAPE_HINT, group, name);
        continue;
      }
      const [path = '', exportName, ...rest] = value.split('#');
      if (!path.startsWith('./') || path.split('/').includes('..') || rest.length > 0 || exportName === '') {
        fail(fieldPath, `${JSON.stringify(value)} is not a path inside the package`, 'Give a path that starts with "./" and stays inside the package, then optionally "#exportName" (for example "./dist/metric.js#myMetric").', group, name);
        continue;
      }
      if (!/\.(?:js|mjs)$/.test(path)) {
        fail(fieldPath, `${JSON.stringify(path)} is not a JavaScript module (.js or .mjs)`, 'Point the entry at the built ES module, not at its source or types.', group, name);
        continue;
      }
      const relativePath = path.slice(2);
      if (!existsSync(join(dir, relativePath))) {
        fail(fieldPath, `${JSON.stringify(path)} does not exist in ${dir}`, 'Build the package (or fix the path) so the file is there, then reinstall it.', group, name);
        continue;
      }
      entryPoints.push({ group, name, path: relativePath, export: exportName ?? 'default' });
    }
  }
  return { entryPoints, errors };
}

/**
 * Finds every dependency of the app in `appDir` (its package.json `dependencies`, `devDependencies` and
 * `optionalDependencies`, resolved as Node resolves them) whose package.json has a `plugboard` field. A
 * dependency that is not installed is skipped (npm reports that itself); a bad field or a missing app
 * package.json is an error, never a throw.
 */
export function discoverPackages(appDir: string): DiscoveredPackages {
  const appFile = join(appDir, 'package.json');
  const errors: PlugboardError[] = [];
  if (!existsSync(appFile)) return { packages: [], errors };
  let app: unknown;
  try {
    app = readJson(appFile);
  } catch (cause) {
    errors.push(new PlugboardError({ code: 'BAD_PACKAGE_JSON', problem: `the app's package.json is not valid JSON`, url: pathToFileURL(appFile).href, hint: 'Fix the JSON syntax of the file.', cause }));
    return { packages: [], errors };
  }
  const names = new Set<string>();
  for (const key of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    const section = isRecord(app) ? app[key] : undefined;
    if (isRecord(section)) for (const name of Object.keys(section)) names.add(name);
  }
  const packages: PluginPackage[] = [];
  for (const dependency of [...names].sort()) {
    const file = findPackageJson(appDir, dependency);
    if (file === undefined) continue;
    let json: unknown;
    try {
      json = readJson(file);
    } catch (cause) {
      errors.push(new PlugboardError({ code: 'BAD_PACKAGE_JSON', problem: `package ${dependency}: its package.json is not valid JSON`, url: pathToFileURL(file).href, hint: 'Reinstall the package.', cause }));
      continue;
    }
    if (!isRecord(json) || !('plugboard' in json)) continue;
    const dir = realpathSync(dirname(file));
    const name = typeof json['name'] === 'string' ? json['name'] : dependency;
    const read = readPluginField(name, dir, json['plugboard']);
    errors.push(...read.errors);
    if (read.entryPoints.length > 0) packages.push({ name, version: typeof json['version'] === 'string' ? json['version'] : null, dir, entryPoints: read.entryPoints });
  }
  return { packages, errors };
}

/**
 * A package's entry points as a plugins manifest (named after the package, each entry carrying its version)
 * whose module URLs are relative to `base`: `modulesPrefix` is put before each module's path inside the package.
 */
export function packageManifest(plugin: PluginPackage, modulesPrefix = './'): { manifestVersion: 1; name: string; groups: Record<string, Record<string, { url: string; export: string; version?: string; description: string }>> } {
  const groups: Record<string, Record<string, { url: string; export: string; version?: string; description: string }>> = {};
  for (const entry of plugin.entryPoints) {
    (groups[entry.group] ??= {})[entry.name] = {
      url: `${modulesPrefix}${entry.path.split(sep).join('/')}`,
      export: entry.export,
      ...(plugin.version === null ? {} : { version: plugin.version }),
      description: `from the npm package ${plugin.name}`,
    };
  }
  return { manifestVersion: 1, name: plugin.name, groups };
}

/** The manifests the host reads for the discovered packages in Node: each package's folder is its base URL. */
export function packageManifestSources(appDir: string): { sources: { url: string; json: unknown }[]; errors: PlugboardError[] } {
  const { packages, errors } = discoverPackages(appDir);
  return {
    sources: packages.map((plugin) => ({ url: pathToFileURL(join(plugin.dir, 'package.json')).href, json: packageManifest(plugin) })),
    errors,
  };
}
