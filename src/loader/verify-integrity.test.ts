import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyIntegrity } from './verify-integrity.ts';

const bytes = new TextEncoder().encode('export const a = 1;\n');
const digest = (algorithm: string, data: Uint8Array = bytes) => `${algorithm}-${createHash(algorithm).update(data).digest('base64')}`;

describe('verifyIntegrity', () => {
  it('accepts bytes that match a sha256, sha384 or sha512 digest', async () => {
    for (const algorithm of ['sha256', 'sha384', 'sha512']) await expect(verifyIntegrity(bytes, digest(algorithm), 'u')).resolves.toBeUndefined();
  });

  it('refuses bytes that do not match, naming the digest they have', async () => {
    const other = digest('sha384', new TextEncoder().encode('tampered'));
    await expect(verifyIntegrity(bytes, other, 'https://cdn.example/a.js')).rejects.toMatchObject({
      code: 'INTEGRITY_MISMATCH',
      stage: 'integrity',
      url: 'https://cdn.example/a.js',
      problem: expect.stringContaining(digest('sha384')),
    });
  });

  it('lets only the strongest algorithm count, as browsers do', async () => {
    const wrong512 = digest('sha512', new TextEncoder().encode('other'));
    await expect(verifyIntegrity(bytes, `${digest('sha256')} ${wrong512}`, 'u')).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH' });
    await expect(verifyIntegrity(bytes, `${wrong512} ${digest('sha512')}`, 'u')).resolves.toBeUndefined();
  });

  it('refuses a value that names no known digest', async () => {
    await expect(verifyIntegrity(bytes, 'md5-abc', 'u')).rejects.toMatchObject({ code: 'INTEGRITY_MALFORMED' });
  });
});
