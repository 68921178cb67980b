import { describe, expect, it } from 'vitest';
import { readManifest } from './index.ts';

const reader = (files: Record<string, string>) => ({
  baseUrl: 'https://app.example/',
  readBytes: async (url: string) => {
    if (!(url in files)) throw new Error(`404 for ${url}`);
    return new TextEncoder().encode(files[url]);
  },
});

describe('readManifest', () => {
  it('reads, parses and checks a manifest, resolving its URL against the base', async () => {
    const outcome = await readManifest('m.json', reader({ 'https://app.example/m.json': '{"manifestVersion":1,"groups":{"g":{"a":"./a.js#a"}}}' }));
    expect(outcome).toMatchObject({ manifest: { url: 'https://app.example/m.json' } });
  });

  it('returns an unreadable file, bad JSON and a schema problem as problems at the manifest stage, never throwing', async () => {
    const files = reader({ 'https://app.example/bad.json': '{nope', 'https://app.example/wrong.json': '{"manifestVersion":1,"groups":{"g":{"a":5}}}' });
    const codes = await Promise.all(
      ['gone.json', 'bad.json', 'wrong.json'].map(async (name) => {
        const outcome = await readManifest(name, files);
        if (!('problems' in outcome)) throw new Error(`${name} was read`);
        return outcome.problems.map((problem) => [problem.code, problem.stage, problem.url, problem.field]);
      }),
    );
    expect(codes).toEqual([
      [['MANIFEST_UNREADABLE', 'manifest', 'https://app.example/gone.json', undefined]],
      [['MANIFEST_NOT_JSON', 'manifest', 'https://app.example/bad.json', undefined]],
      [['INVALID_MANIFEST', 'manifest', 'https://app.example/wrong.json', 'groups.g.a']],
    ]);
  });
});
