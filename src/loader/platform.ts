// What the loader relies on from the platform, taken once when the loader is first imported — before any plugin
// code can run — so a plugin that replaces `globalThis.fetch`, patches `SubtleCrypto.prototype.digest` or
// redefines a Response getter cannot change what later loads read, check or run. (The lexer is an ES module
// binding no plugin can reach; it is compiled at the first load, also before any plugin runs.)

/** Turns a method into a function taking its receiver first, bound now so later patches do not reach it. */
const uncurry = <T, A extends unknown[], R>(method: (this: T, ...args: A) => R): ((self: T, ...args: A) => R) =>
  Function.prototype.call.bind(method) as unknown as (self: T, ...args: A) => R;

const getter = <T, R>(prototype: T, name: string): ((self: T) => R) =>
  uncurry(Object.getOwnPropertyDescriptor(prototype, name)!.get as (this: T) => R);

const hasFetch = typeof fetch === 'function' && typeof Response === 'function';
const subtle = globalThis.crypto?.subtle;
const decoder = new TextDecoder();

/**
 * SHA-256/384/512 where there is no `crypto.subtle`: a page served over plain http from a host other than
 * localhost (an intranet server) is not a secure context, and browsers give it no SubtleCrypto. The hashes
 * come from @noble/hashes, fetched only then.
 */
export async function digestWithoutSubtle(algorithm: AlgorithmIdentifier, data: BufferSource): Promise<ArrayBuffer> {
  const name = (typeof algorithm === 'string' ? algorithm : algorithm.name).toUpperCase();
  const { sha256, sha384, sha512 } = await import('@noble/hashes/sha2.js');
  const hash = ({ 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 } as const)[name as 'SHA-256'];
  if (!hash) throw new TypeError(`digest: ${name} is not one of SHA-256, SHA-384 and SHA-512`);
  const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
  return hash(bytes).slice().buffer;
}

/** The platform's own functions as they were when the loader was imported. */
export const platform = Object.freeze({
  /** `fetch`, bound to the global object. */
  fetch: hasFetch ? fetch.bind(globalThis) : undefined,
  /** A Response's body as bytes; rejects when the request's signal aborts while the body is still arriving. */
  responseBytes: hasFetch ? uncurry(Response.prototype.arrayBuffer) : undefined,
  responseOk: hasFetch ? getter<Response, boolean>(Response.prototype, 'ok') : undefined,
  responseStatus: hasFetch ? getter<Response, number>(Response.prototype, 'status') : undefined,
  responseStatusText: hasFetch ? getter<Response, string>(Response.prototype, 'statusText') : undefined,
  /** The URL the body came from, after redirects. */
  responseUrl: hasFetch ? getter<Response, string>(Response.prototype, 'url') : undefined,
  /** `crypto.subtle.digest`, bound to its receiver; outside a secure context, the same digests computed in JavaScript. */
  digest: (subtle ? subtle.digest.bind(subtle) : digestWithoutSubtle) as (algorithm: AlgorithmIdentifier, data: BufferSource) => Promise<ArrayBuffer>,
  /** UTF-8 decoding of a module's bytes. */
  decodeUtf8: decoder.decode.bind(decoder) as (bytes: Uint8Array) => string,
  toBase64: typeof btoa === 'function' ? btoa.bind(globalThis) : undefined,
  fromCharCode: String.fromCharCode,
  setTimeout: setTimeout.bind(globalThis) as typeof setTimeout,
  clearTimeout: clearTimeout.bind(globalThis) as typeof clearTimeout,
});

/** SHA-256/384/512 of bytes as the loader computes them: `crypto.subtle.digest`, or the same in JavaScript outside a secure context. */
export const digest = platform.digest;
