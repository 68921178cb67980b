import { describe, expect, it } from 'vitest';
import { checkManifest } from './index.ts';

const BASE = 'https://cdn.example/team/plugins-manifest.json';

/** JSON.parse makes `__proto__` an own key, as a manifest fetched from a server would have it. */
const parsed = (text: string): unknown => JSON.parse(text);

describe('a "__proto__" key in a manifest', () => {
  it('is refused as a group name with its JSON path, never dropped', () => {
    const check = checkManifest(parsed('{"manifestVersion":1,"groups":{"__proto__":{"a":"./a.js"},"g":{"ok":"./ok.js"}}}'), BASE);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.map((p) => ({ code: p.code, stage: p.stage, field: p.field, group: p.group, url: p.url }))).toEqual([
      { code: 'INVALID_MANIFEST', stage: 'manifest', field: 'groups.__proto__', group: '__proto__', url: BASE },
    ]);
    expect(check.problems[0]!.problem).toContain('"__proto__" cannot be a group name');
    expect(check.problems[0]!.hint).toContain('plugins-manifest.schema.json');
  });

  it('is refused as an entry-point name, with the group and the path', () => {
    const check = checkManifest(parsed('{"manifestVersion":1,"groups":{"g":{"__proto__":"./b.js","ok":"./c.js"}}}'), BASE);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.map((p) => [p.field, p.group, p.plugin])).toEqual([['groups.g.__proto__', 'g', '__proto__']]);
    expect(check.problems[0]!.problem).toContain('cannot be an entry-point name');
  });

  it('is refused as an import specifier and as a key inside an entry or at the top', () => {
    const check = checkManifest(
      parsed('{"manifestVersion":1,"__proto__":{},"imports":{"__proto__":"./x.js"},"groups":{"g":{"a":{"url":"./a.js","__proto__":{"export":"x"}}}}}'),
      BASE,
    );
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.map((p) => p.field).sort()).toEqual(['(root)', 'groups.g.a', 'imports.__proto__']);
    expect(check.problems.filter((p) => p.field !== 'imports.__proto__').map((p) => p.problem)).toEqual([
      expect.stringContaining('unknown key "__proto__"'),
      expect.stringContaining('unknown key "__proto__"'),
    ]);
    expect(check.problems.find((p) => p.field === 'imports.__proto__')!.problem).toContain('cannot be an import specifier');
  });

  it('is reported beside the schema’s own problems, all at once', () => {
    const check = checkManifest(parsed('{"manifestVersion":1,"groups":{"__proto__":{},"g":{"a":5}}}'), BASE);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.map((p) => p.field)).toEqual(['groups.g.a', 'groups.__proto__']);
  });
});
