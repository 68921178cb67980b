// package-lock.json in step with package.json, so `npm install` on a fresh clone leaves the lock as it is.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (file: string) => JSON.parse(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const manifest = read('package.json');
const lock = read('package-lock.json') as { name: string; version: string; lockfileVersion: number; packages: Record<string, Record<string, unknown>> };

/** The fields npm copies from package.json into the lock's root entry (it rewrites the lock when they differ). */
const ROOT_FIELDS = ['name', 'version', 'license', 'bin', 'engines', 'dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

describe('package-lock.json', () => {
  it('repeats the name, version, bin, engines and dependency ranges of package.json in its root entry', () => {
    const root = lock.packages['']!;
    for (const field of ROOT_FIELDS) expect({ field, value: root[field] }).toEqual({ field, value: manifest[field] });
    expect({ name: lock.name, version: lock.version, lockfileVersion: lock.lockfileVersion }).toEqual({ name: manifest['name'], version: manifest['version'], lockfileVersion: 3 });
  });

  it('locks a version of every dependency package.json names', () => {
    const declared = { ...(manifest['dependencies'] as object), ...(manifest['devDependencies'] as object) };
    const missing = Object.keys(declared).filter((name) => typeof lock.packages[`node_modules/${name}`]?.['version'] !== 'string');
    expect(missing).toEqual([]);
  });
});
