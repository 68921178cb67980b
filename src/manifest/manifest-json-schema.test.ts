import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManifestSchema } from './index.ts';

const FILE = new URL('../../plugins-manifest.schema.json', import.meta.url);

/** The JSON Schema editors read for plugins-manifest.json, made from ManifestSchema (the single source of truth). */
function generate(): string {
  const schema = z.toJSONSchema(ManifestSchema, { target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, title: 'Plugboard plugins manifest', $id: 'plugins-manifest.schema.json' }, null, 2)}\n`;
}

describe('plugins-manifest.schema.json', () => {
  it('matches ManifestSchema (regenerate with UPDATE_SCHEMA=1 npx vitest run src/manifest)', () => {
    if (process.env['UPDATE_SCHEMA']) writeFileSync(FILE, generate());
    expect(readFileSync(FILE, 'utf8')).toBe(generate());
  });

  it('validates the built-in manifest against its own schema', () => {
    const builtin = JSON.parse(readFileSync(new URL('../../plugins-manifest.json', import.meta.url), 'utf8'));
    expect(ManifestSchema.safeParse(builtin).success).toBe(true);
    expect(builtin.$schema).toBe('./plugins-manifest.schema.json');
  });
});
