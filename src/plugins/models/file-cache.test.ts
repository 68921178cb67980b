import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sha256Hex, sha384Integrity } from './file-cache.ts';

describe('sha256Hex', () => {
  afterEach(() => vi.unstubAllGlobals());
  const bytes = new TextEncoder().encode('{"model_type":"gpt2"}'.repeat(50));
  const expected = createHash('sha256').update(bytes).digest('hex');

  it('digests with crypto.subtle', async () => {
    expect(await sha256Hex(bytes)).toBe(expected);
  });

  it('gives the same digest where there is no crypto.subtle, as in a page outside a secure context', async () => {
    vi.stubGlobal('crypto', { getRandomValues: crypto.getRandomValues.bind(crypto) });
    expect(globalThis.crypto.subtle).toBeUndefined();
    expect(await sha256Hex(bytes)).toBe(expected);
  });
});

describe('sha384Integrity', () => {
  afterEach(() => vi.unstubAllGlobals());
  const bytes = new TextEncoder().encode('{"model_type":"bert"}'.repeat(50));
  const expected = `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

  it('gives the SHA-384 as sha384-<base64>, the form plugin modules’ digests take', async () => {
    expect(await sha384Integrity(bytes)).toBe(expected);
  });

  it('gives the same digest where there is no crypto.subtle', async () => {
    vi.stubGlobal('crypto', { getRandomValues: crypto.getRandomValues.bind(crypto) });
    expect(await sha384Integrity(bytes)).toBe(expected);
  });
});
