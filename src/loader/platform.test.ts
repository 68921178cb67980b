import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestWithoutSubtle } from './platform.ts';

describe('digests outside a secure context', () => {
  const bytes = new TextEncoder().encode('export const metric = () => ({ score: 1 });\n'.repeat(100));
  for (const [algorithm, node] of [['SHA-256', 'sha256'], ['SHA-384', 'sha384'], ['SHA-512', 'sha512']] as const) {
    it(`computes ${algorithm} as crypto.subtle does, from bytes, a view into a larger buffer, or an ArrayBuffer`, async () => {
      const expected = createHash(node).update(bytes).digest('hex');
      const hex = (buffer: ArrayBuffer) => Buffer.from(buffer).toString('hex');
      expect(hex(await digestWithoutSubtle(algorithm, bytes))).toBe(expected);
      const padded = new Uint8Array(bytes.length + 8);
      padded.set(bytes, 4);
      expect(hex(await digestWithoutSubtle({ name: algorithm }, padded.subarray(4, 4 + bytes.length)))).toBe(expected);
      expect(hex(await digestWithoutSubtle(algorithm.toLowerCase(), bytes.slice().buffer))).toBe(expected);
    });
  }

  it('refuses an algorithm it does not have, naming it', async () => {
    await expect(digestWithoutSubtle('SHA-1', bytes)).rejects.toThrow(/SHA-1 is not one of SHA-256, SHA-384 and SHA-512/);
  });
});
