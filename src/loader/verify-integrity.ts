import { PlugboardError } from '../errors/index.ts';
import { platform } from './platform.ts';

const ALGORITHMS = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' } as const;
type Algorithm = keyof typeof ALGORITHMS;
const STRENGTH: Record<Algorithm, number> = { sha256: 1, sha384: 2, sha512: 3 };

/**
 * Checks bytes against a subresource-integrity value the way browsers do: only the strongest algorithm
 * named counts, and any one of its digests may match. Throws `INTEGRITY_MISMATCH` naming the digest the
 * bytes have, so the manifest author can see the difference.
 */
export async function verifyIntegrity(bytes: Uint8Array, integrity: string, url: string): Promise<void> {
  const tokens = integrity
    .trim()
    .split(/\s+/)
    .map((token) => /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})(?:\?.*)?$/.exec(token))
    .filter((match): match is RegExpExecArray => match !== null);
  if (tokens.length === 0) {
    throw new PlugboardError({
      code: 'INTEGRITY_MALFORMED',
      stage: 'integrity',
      url,
      problem: `integrity ${JSON.stringify(integrity)} names no sha256, sha384 or sha512 digest`,
      hint: 'Write it as "sha384-<base64 digest>" (for example: openssl dgst -sha384 -binary FILE | openssl base64 -A).',
    });
  }
  const strongest = tokens.reduce((best, token) =>
    STRENGTH[token[1] as Algorithm] > STRENGTH[best[1] as Algorithm] ? token : best,
  )[1] as Algorithm;
  const expected = tokens.filter((token) => token[1] === strongest).map((token) => token[2]!);
  // The digest function as it was before any plugin ran: a plugin cannot make other bytes pass.
  const digest = new Uint8Array(await platform.digest!(ALGORITHMS[strongest], bytes as BufferSource));
  const actual = toBase64(digest);
  if (!expected.includes(actual)) {
    throw new PlugboardError({
      code: 'INTEGRITY_MISMATCH',
      stage: 'integrity',
      url,
      problem: `the module's ${strongest} digest is ${strongest}-${actual}, the manifest expects ${expected.map((e) => `${strongest}-${e}`).join(' or ')}`,
      hint: 'The file changed since the manifest was written: refuse it, or update the integrity value if the new file is trusted.',
    });
  }
}

/**
 * Checks the bytes of a module a plugin imports against the pin recorded for it at install, in a page and in a
 * Worker alike: throws INTEGRITY_MISMATCH (stage `integrity`) naming the module's URL and saying how to move the pin.
 */
export async function verifyImportedModule(bytes: Uint8Array, pin: string, url: string): Promise<void> {
  try {
    await verifyIntegrity(bytes, pin, url);
  } catch (thrown) {
    if (!(thrown instanceof PlugboardError)) throw thrown;
    throw new PlugboardError({
      code: thrown.code,
      stage: 'integrity',
      url,
      problem: `a module the plugin imports is not the one pinned at install: ${thrown.problem}`,
      hint: 'The server now serves other bytes for a module this plugin imports: refuse them, or upgrade the plugin to trust the new bytes.',
      cause: thrown,
    });
  }
}

/** Base64 of bytes, as SRI digests are written. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += platform.fromCharCode(byte);
  return platform.toBase64!(binary);
}
