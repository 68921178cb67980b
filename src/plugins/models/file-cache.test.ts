import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sha256Hex } from './file-cache.ts';

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
