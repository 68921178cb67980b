import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PlugboardError } from '../errors/index.ts';
import { checkManifest } from '../manifest/index.ts';
import { packageManifest, readPluginField } from '../packages/index.ts';

/** An entry point's module in the folder. */
export interface FolderModule {
  group: string;
  name: string;
  /** The module's absolute path. */
  file: string;
  export: string;
  /** The JSON path of the entry in the manifest file. */
  field: string;
}

/** What a plugin folder declares, read and checked now: the manifest as served, and every problem found. */
export interface PluginFolder {
  /** The folder, absolute. */
  dir: string;
  /** The file the manifest comes from (`plugins-manifest.json`, or `package.json` with a `plugboard` field). */
  file: string;
  /** The manifest JSON the dev server serves: the file itself, or the manifest a package.json's field stands for. */
  manifest: unknown;
  /** How many entry points it declares (0 when it could not be read). */
  entryPoints: number;
  /** Each entry point whose module is a file in the folder: the file, the export it names, and where the manifest declares it. */
  modules: FolderModule[];
  /** Each problem, naming the file and the JSON path; empty when the folder is fine. */
  problems: PlugboardError[];
}

/**
 * Finds and checks a plugin folder's manifest: `plugins-manifest.json` (checked against the manifest schema), else
 * a `package.json` with a `plugboard` field (read as npm plugin packages are). Every entry point's module must be
 * a file inside the folder (or an http(s) URL). Throws DEV_FOLDER_MISSING or DEV_NO_MANIFEST when there is no
 * folder or no manifest in it; any other problem is returned, never thrown, so a dev server can keep watching.
 */
export function readPluginFolder(folder: string): PluginFolder {
  const dir = resolve(folder);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new PlugboardError({
      code: 'DEV_FOLDER_MISSING',
      url: pathToFileURL(dir).href,
      problem: `${dir} is not a folder`,
      hint: 'Give the folder that holds the plugin and its plugins-manifest.json (or package.json with a "plugboard" field).',
    });
  }
  const manifestFile = join(dir, 'plugins-manifest.json');
  if (existsSync(manifestFile)) return readManifestFile(dir, manifestFile);
  const packageFile = join(dir, 'package.json');
  const packageJson = existsSync(packageFile) ? readJson(packageFile) : undefined;
  if (packageJson && 'json' in packageJson && isRecord(packageJson.json) && 'plugboard' in packageJson.json) return readPackageFile(dir, packageFile, packageJson.json);
  if (packageJson && 'problem' in packageJson) return { dir, file: packageFile, manifest: undefined, entryPoints: 0, modules: [], problems: [packageJson.problem] };
  throw new PlugboardError({
    code: 'DEV_NO_MANIFEST',
    url: pathToFileURL(dir).href,
    problem: `${dir} holds neither a plugins-manifest.json nor a package.json with a "plugboard" field`,
    hint: 'Add a plugins-manifest.json ({ "manifestVersion": 1, "groups": { "codex_ml.metrics": { "my_metric": "./metric.js#myMetric" } } }), or a "plugboard" field in package.json.',
  });
}

function readManifestFile(dir: string, file: string): PluginFolder {
  const read = readJson(file);
  if ('problem' in read) return { dir, file, manifest: undefined, entryPoints: 0, modules: [], problems: [read.problem] };
  const url = pathToFileURL(file).href;
  const check = checkManifest(read.json, url);
  if (!check.ok) return { dir, file, manifest: read.json, entryPoints: 0, modules: [], problems: check.problems };
  const problems: PlugboardError[] = [];
  const modules: FolderModule[] = [];
  for (const entry of check.manifest.entryPoints) {
    const field = `groups[${JSON.stringify(entry.group)}][${JSON.stringify(entry.name)}]`;
    const where = { url, group: entry.group, plugin: entry.name, field, stage: 'manifest' as const };
    if (!entry.url.startsWith('file:')) continue; // an http(s) module is the browser's to fetch
    const path = fileURLToPath(entry.url.split('#')[0]!.split('?')[0]!);
    const inside = relative(dir, path);
    if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || resolve(dir, inside) !== path) {
      problems.push(new PlugboardError({ ...where, code: 'DEV_OUTSIDE_FOLDER', problem: `the module ${path} is outside the folder ${dir}, which is all the dev server serves`, hint: 'Move the module into the plugin folder, or give it as an http(s) URL.' }));
    } else if (!existsSync(path) || !statSync(path).isFile()) {
      problems.push(new PlugboardError({ ...where, code: 'DEV_MODULE_MISSING', problem: `the module ${inside.split(sep).join('/')} does not exist in ${dir}`, hint: 'Create the file, or fix the path in the manifest.' }));
    } else {
      modules.push({ group: entry.group, name: entry.name, file: path, export: entry.export, field });
    }
  }
  return { dir, file, manifest: read.json, entryPoints: check.manifest.entryPoints.length, modules, problems };
}

function readPackageFile(dir: string, file: string, json: Record<string, unknown>): PluginFolder {
  const name = typeof json['name'] === 'string' ? json['name'] : 'the plugin package';
  const read = readPluginField(name, dir, json['plugboard']);
  const version = typeof json['version'] === 'string' ? json['version'] : null;
  const manifest = packageManifest({ name, version, dir, entryPoints: read.entryPoints });
  const modules = read.entryPoints.map((entry) => ({
    group: entry.group,
    name: entry.name,
    file: join(dir, entry.path),
    export: entry.export,
    field: `plugboard[${JSON.stringify(entry.group)}][${JSON.stringify(entry.name)}]`,
  }));
  return { dir, file, manifest, entryPoints: read.entryPoints.length, modules, problems: read.errors };
}

function readJson(file: string): { json: unknown } | { problem: PlugboardError } {
  try {
    return { json: JSON.parse(readFileSync(file, 'utf8')) };
  } catch (cause) {
    return {
      problem: new PlugboardError({
        code: 'MANIFEST_NOT_JSON',
        stage: 'manifest',
        url: pathToFileURL(file).href,
        problem: `${file} is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`,
        hint: 'Fix the JSON syntax (a JSON linter shows the spot).',
        cause,
      }),
    };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
