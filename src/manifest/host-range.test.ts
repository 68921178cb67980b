import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkHostRange, HOST_VERSION } from './host-range.ts';

const entry = (host?: string) => ({ group: 'codex_ml.metrics', name: 'f1', url: 'https://cdn.example/f1.js', ...(host === undefined ? {} : { host }) });

describe('checkHostRange', () => {
  it('is the version package.json gives', () => {
    expect(HOST_VERSION).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  });

  it('accepts an entry without a range, "*", and a range the version is in', () => {
    for (const host of [undefined, '*', '>=0.1 <0.3', '^0.1.0', '0.1.x', '>=0.5 || 0.1.0']) expect(() => checkHostRange(entry(host), '0.1.0')).not.toThrow();
  });

  it('refuses a range the version is outside of with INCOMPATIBLE_HOST naming both versions', () => {
    expect(() => checkHostRange(entry('>=0.2 <0.3'), '0.1.0')).toThrow(
      expect.objectContaining({ code: 'INCOMPATIBLE_HOST', stage: 'validate', group: 'codex_ml.metrics', plugin: 'f1', field: 'host', problem: 'the plugin works with Plugboard >=0.2 <0.3; this is Plugboard 0.1.0' }),
    );
  });

  it('refuses a range it cannot read with INVALID_HOST_RANGE', () => {
    expect(() => checkHostRange(entry('soon'), '0.1.0')).toThrow(expect.objectContaining({ code: 'INVALID_HOST_RANGE', field: 'host' }));
  });
});
