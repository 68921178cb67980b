import { PlugboardError, messageOf } from '../errors/index.ts';

/** Failures of `fetchBytes` where no server answered (offline, refused, unknown host). */
const unreachable = new WeakSet<object>();

/** Whether a `fetchBytes` failure means no server answered, as opposed to a server answering with an error status. */
export function isUnreachable(thrown: unknown): boolean {
  return typeof thrown === 'object' && thrown !== null && unreachable.has(thrown);
}

const FETCHED_SCHEMES = new Set(['http:', 'https:', 'data:', 'blob:']);

/**
 * Fetches a module's bytes, turning network, CORS and HTTP failures into `fetch`-stage errors. Outside a page
 * (`crossOrigin: false`) there is no CORS, and the hint says what failed instead. A scheme fetch cannot read
 * (ftp:, a typo) fails with UNSUPPORTED_SCHEME before anything is asked.
 */
export async function fetchBytes(url: string, options: { crossOrigin?: boolean } = {}): Promise<Uint8Array> {
  const crossOrigin = options.crossOrigin ?? true;
  const scheme = new URL(url).protocol;
  if (!FETCHED_SCHEMES.has(scheme)) {
    throw new PlugboardError({
      code: 'UNSUPPORTED_SCHEME',
      stage: 'fetch',
      url,
      problem: `the URL's scheme ${scheme} is not one plugins load from (http:, https:${crossOrigin ? '' : ', file:'}, data:)`,
      hint: 'Point the manifest entry at an http(s) URL, or a path relative to the manifest.',
    });
  }
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (cause) {
    const error = new PlugboardError({
      code: 'FETCH_FAILED',
      stage: 'fetch',
      url,
      problem: `the module could not be fetched (${describeFetchFailure(cause)})`,
      hint: crossOrigin
        ? 'Check that the server is up and, for another origin, that it sends Access-Control-Allow-Origin.'
        : 'No server answered: check that it is up and the host name and port are right (CORS does not apply outside a page).',
      cause,
    });
    unreachable.add(error);
    throw error;
  }
  if (!response.ok) {
    throw new PlugboardError({
      code: 'FETCH_FAILED',
      stage: 'fetch',
      url,
      problem: `the server answered ${response.status} ${response.statusText}`.trim(),
      hint: response.status === 404 ? 'Check the path in the manifest; it resolves against the manifest URL.' : 'Retry later or check the server.',
    });
  }
  return new Uint8Array(await response.arrayBuffer());
}

/** Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND) is in its cause. */
function describeFetchFailure(thrown: unknown): string {
  const message = messageOf(thrown);
  const cause = (thrown as { cause?: unknown } | null)?.cause;
  if (cause === undefined) return message;
  return `${message}: ${messageOf(cause)}`;
}
