import { describe, expect, it } from 'vitest';
import { ManifestSchema } from './manifest-schema.ts';
import { seededRandom } from '../testing/seeded-random.test-helpers.ts';
import { isWellFormedManifest } from './well-formed.ts';

const ODD_VALUES: unknown[] = [undefined, null, '', 'x', 0, 1, 2, true, [], {}, ['a'], 'sha384-abc', 'sha384-', 'md5-abc', ' sha256-AAAA ', 'bad name', 'ok.name'];
const ODD_KEYS = ['', '__proto__', 'bad name', 'ok-name', 'url', 'export', 'extra', '9lives', '.dot', 'a+b'];

function validManifest(next: () => number): Record<string, unknown> {
  const groups: Record<string, Record<string, unknown>> = {};
  for (let g = 0; g < 1 + Math.floor(next() * 3); g += 1) {
    const entries: Record<string, unknown> = {};
    for (let e = 0; e < 1 + Math.floor(next() * 4); e += 1) {
      entries[`entry_${e}`] =
        next() < 0.5
          ? `./p${e}.js#x`
          : { url: `https://cdn.example/p${e}.js`, export: 'x', api: 'v1', version: '1.0.0', description: 'd', integrity: 'sha384-AbC+/=' };
    }
    groups[`group.${g}`] = entries;
  }
  return { $schema: './plugins-manifest.schema.json', manifestVersion: 1, name: 'm', imports: { lib: 'https://cdn.example/lib.js' }, groups };
}

/** Picks a random object inside the manifest and sets, deletes or adds one key on it. */
function mutate(manifest: Record<string, unknown>, next: () => number): void {
  const objects: Array<Record<string, unknown>> = [];
  const walk = (value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    objects.push(value as Record<string, unknown>);
    for (const child of Object.values(value)) walk(child);
  };
  walk(manifest);
  const target = objects[Math.floor(next() * objects.length)]!;
  const keys = Object.keys(target);
  const pick = <T,>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const odd = () => structuredClone(pick(ODD_VALUES)); // a fresh copy: a shared object could end up inside itself
  const roll = next();
  if (roll < 0.45 && keys.length > 0) target[pick(keys)] = odd();
  else if (roll < 0.6 && keys.length > 0) delete target[pick(keys)];
  else Object.defineProperty(target, pick(ODD_KEYS), { value: odd(), enumerable: true, configurable: true, writable: true });
}

describe('isWellFormedManifest', () => {
  it('accepts only what the schema accepts unchanged, over thousands of valid and broken manifests', () => {
    let accepted = 0;
    let declined = 0;
    for (let seed = 1; seed <= 4000; seed += 1) {
      const next = seededRandom(seed);
      const manifest = validManifest(next);
      const mutations = seed % 4; // a quarter stay valid
      for (let i = 0; i < mutations; i += 1) mutate(manifest, next);
      const schema = ManifestSchema.safeParse(manifest);
      if (isWellFormedManifest(manifest)) {
        accepted += 1;
        expect(schema.success, `seed ${seed}`).toBe(true);
        expect(schema.data, `seed ${seed}`).toEqual(manifest);
      } else {
        declined += 1;
      }
      if (mutations === 0) expect(isWellFormedManifest(manifest), `seed ${seed} is valid as generated`).toBe(true);
    }
    expect(accepted).toBeGreaterThan(1000);
    expect(declined).toBeGreaterThan(1000);
  });

  it('leaves objects that are not plain JSON to the schema', () => {
    const manifest = { manifestVersion: 1, groups: {} };
    expect(isWellFormedManifest(manifest)).toBe(true);
    expect(isWellFormedManifest(Object.assign(Object.create({ inherited: 1 }), manifest))).toBe(false);
    expect(isWellFormedManifest({ ...manifest, [Symbol('s')]: 1 })).toBe(false);
    expect(isWellFormedManifest(JSON.parse('{"manifestVersion":1,"groups":{"__proto__":{}}}'))).toBe(false);
  });
});
