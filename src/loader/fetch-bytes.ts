import { PlugboardError, messageOf } from '../errors/index.ts';
import { originOf } from './origin-of.ts';
import { platform } from './platform.ts';

/** Failures of `fetchBytes` where no server answered (offline, refused, unknown host). */
const unreachable = new WeakSet<object>();

/** Whether a `fetchBytes` failure means no server answered, as opposed to a server answering with an error status. */
export function isUnreachable(thrown: unknown): boolean {
  return typeof thrown === 'object' && thrown !== null && unreachable.has(thrown);
}

const FETCHED_SCHEMES = new Set(['http:', 'https:', 'data:', 'blob:']);

/** Options of `fetchBytes`. */
export interface FetchOptions {
  /** Whether the fetch is a page's, where another origin needs CORS (default true); the hints differ. */
  crossOrigin?: boolean;
  /** Aborts the request, the body included; a PlugboardError given as the reason is thrown as it is. */
  signal?: AbortSignal;
  /**
   * Origins the bytes may come from after redirects. A redirect to another origin fails with
   * ORIGIN_NOT_ALLOWED naming both URLs, and nothing of the body is read.
   */
  allowedOrigins?: ReadonlySet<string>;
  /** Told the URL the bytes came from when the server redirected (within the allowed origins) to another one. */
  onRedirect?: (responseUrl: string) => void;
}

/**
 * Fetches a module's bytes, turning network, CORS and HTTP failures into `fetch`-stage errors. Outside a page
 * (`crossOrigin: false`) there is no CORS, and the hint says what failed instead. A scheme fetch cannot read
 * (ftp:, a typo) fails with UNSUPPORTED_SCHEME before anything is asked. Uses the platform's fetch as it was
 * when the loader was imported.
 */
export async function fetchBytes(url: string, options: FetchOptions = {}): Promise<Uint8Array> {
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
  const { signal } = options;
  let response: Response;
  try {
    response = await platform.fetch!(url, { credentials: 'same-origin', ...(signal ? { signal } : {}) });
  } catch (cause) {
    if (signal?.aborted && signal.reason instanceof PlugboardError) throw signal.reason;
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
  const finalUrl = platform.responseUrl!(response) || url;
  const origin = originOf(finalUrl);
  if (options.allowedOrigins && origin !== originOf(url) && !options.allowedOrigins.has(origin)) {
    throw new PlugboardError({
      code: 'ORIGIN_NOT_ALLOWED',
      stage: 'origin',
      url,
      problem: `${url} redirected to ${finalUrl}, whose origin ${origin} is not in allowedOrigins (${[...options.allowedOrigins].join(', ')})`,
      hint: `Point the manifest at a URL of an allowed origin, or add "${origin}" to createHost({ allowedOrigins }) if you trust it.`,
    });
  }
  if (finalUrl !== url) options.onRedirect?.(finalUrl);
  if (!platform.responseOk!(response)) {
    const status = platform.responseStatus!(response);
    throw new PlugboardError({
      code: 'FETCH_FAILED',
      stage: 'fetch',
      url,
      problem: `the server answered ${status} ${platform.responseStatusText!(response)}`.trim(),
      hint: status === 404 ? 'Check the path in the manifest; it resolves against the manifest URL.' : 'Retry later or check the server.',
    });
  }
  try {
    return new Uint8Array(await platform.responseBytes!(response));
  } catch (cause) {
    if (signal?.aborted && signal.reason instanceof PlugboardError) throw signal.reason;
    throw new PlugboardError({
      code: 'FETCH_FAILED',
      stage: 'fetch',
      url,
      problem: `the module's body could not be read to its end (${describeFetchFailure(cause)})`,
      hint: 'The server broke off while sending the module: retry, or check the server.',
      cause,
    });
  }
}

/** Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND) is in its cause. */
function describeFetchFailure(thrown: unknown): string {
  const message = messageOf(thrown);
  const cause = (thrown as { cause?: unknown } | null)?.cause;
  if (cause === undefined) return message;
  return `${message}: ${messageOf(cause)}`;
}
