// One HTTP exchange with an MLflow tracking server: URL building, request headers, and every failure turned
// into a TrackingError that names the URL and the status.
import { TrackingError, type TrackingErrorCode } from '../tracking/index.ts';
import { trimSlashes } from './trim-slashes.ts';

/** Extra headers for each request (a bearer token, basic auth), asked for anew before every request. */
export type RequestHeaders = () => Record<string, string> | Promise<Record<string, string>>;

/** How a client talks to the server. */
export interface RestClientOptions {
  /** Headers added to every request; none by default. */
  headers?: RequestHeaders;
  /** The fetch to use (the global one by default). */
  fetch?: typeof fetch;
  /** How many requests may be in flight at once (6, a browser's per-host limit, by default). */
  maxConcurrentRequests?: number;
}

/** The codes MLflow's server sends (`mlflow/protos/databricks.proto`); any other string is kept as INTERNAL_ERROR. */
const KNOWN_CODES = new Set<string>([
  'RESOURCE_DOES_NOT_EXIST', 'RESOURCE_ALREADY_EXISTS', 'INVALID_PARAMETER_VALUE', 'INVALID_STATE', 'RESOURCE_EXHAUSTED',
  'ABORTED', 'INTERNAL_ERROR', 'BAD_REQUEST', 'ENDPOINT_NOT_FOUND', 'PERMISSION_DENIED', 'UNAUTHENTICATED',
  'NOT_IMPLEMENTED', 'TEMPORARILY_UNAVAILABLE', 'REQUEST_LIMIT_EXCEEDED', 'NOT_FOUND', 'RESOURCE_CONFLICT',
  'ALREADY_EXISTS', 'CUSTOMER_UNAUTHORIZED', 'DATA_LOSS', 'FEATURE_DISABLED',
]);

/** The code MLflow's Python client gives an answer without error JSON, by HTTP status (`mlflow/utils/rest_utils.py`). */
export function codeOfStatus(status: number): TrackingErrorCode {
  switch (status) {
    case 400: return 'BAD_REQUEST';
    case 401: return 'UNAUTHENTICATED';
    case 403: return 'PERMISSION_DENIED';
    case 404: return 'ENDPOINT_NOT_FOUND';
    case 409: return 'RESOURCE_CONFLICT';
    case 429: return 'REQUEST_LIMIT_EXCEEDED';
    case 501: return 'NOT_IMPLEMENTED';
    case 503: return 'TEMPORARILY_UNAVAILABLE';
    default: return 'INTERNAL_ERROR';
  }
}

/** The page's origin, in a browser; undefined in Node. */
const pageOrigin = (): string | undefined => (globalThis as { location?: { origin?: string } }).location?.origin;

function hintFor(code: TrackingErrorCode, body: string): string | undefined {
  if (/Cross-origin request blocked/i.test(body)) {
    return `The server refused this page's origin: start it with --cors-allowed-origins ${pageOrigin() ?? "naming this page's origin"} (MLflow 3.5 or later).`;
  }
  if (/Invalid Host header/i.test(body)) return 'Start the server with --allowed-hosts naming the host this page reaches it by.';
  if (code === 'UNAUTHENTICATED' || code === 'PERMISSION_DENIED') {
    return 'Add credentials with an mlflow.request_header_provider plugin (a bearer token or basic auth).';
  }
  if (code === 'ENDPOINT_NOT_FOUND') return 'Check that the tracking URI points at an MLflow server (version 3.5 or later).';
  return undefined;
}

/** Reads an error answer: MLflow's `{ error_code, message }`, or the status and the start of a non-JSON body. */
function errorOfAnswer(url: string, status: number, body: string): TrackingError {
  let parsed: { error_code?: unknown; message?: unknown } | undefined;
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  if (parsed && typeof parsed.error_code === 'string') {
    const code = (KNOWN_CODES.has(parsed.error_code) ? parsed.error_code : 'INTERNAL_ERROR') as TrackingErrorCode;
    const message = typeof parsed.message === 'string' ? parsed.message : body;
    const hint = hintFor(code, message);
    return new TrackingError(code, message, { url, ...(hint ? { hint } : {}) });
  }
  const code = codeOfStatus(status);
  const excerpt = body.trim().slice(0, 200);
  const hint = hintFor(code, body);
  const origin = pageOrigin();
  const refused = /Cross-origin request blocked/i.test(body) && origin ? ` (it refused this page's origin, ${origin})` : '';
  return new TrackingError(code, `the MLflow server answered HTTP ${status}${excerpt ? `: ${excerpt}` : ' with an empty body'}${refused}`, {
    url,
    ...(hint ? { hint } : {}),
  });
}

/** Whether the page runs in a browser, where a refused cross-origin answer looks like a network failure. */
const inBrowser = (): boolean => typeof (globalThis as { document?: unknown }).document !== 'undefined';

/**
 * A JSON client of one MLflow server's REST API. Every failure rejects with a TrackingError: MLflow's error JSON
 * keeps its code; an answer that is not JSON gets the code MLflow's Python client gives its status; a server
 * that cannot be reached is TEMPORARILY_UNAVAILABLE, and PERMISSION_DENIED when it is up but refuses the page's
 * origin (CORS).
 */
export class RestClient {
  /** The server's base URL, without a trailing slash (`http://127.0.0.1:5000`). */
  readonly baseUrl: string;
  #headers: RequestHeaders | undefined;
  #fetch: typeof fetch;
  #slots: number;
  #waiting: (() => void)[] = [];

  constructor(baseUrl: string, options: RestClientOptions = {}) {
    this.baseUrl = trimSlashes(baseUrl);
    this.#headers = options.headers;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#slots = options.maxConcurrentRequests ?? 6;
  }

  // A server on SQLite answers a burst of concurrent writes with pool timeouts; Node's fetch has no per-host
  // limit as browsers do, so the client queues beyond a few requests in flight.
  /** Replaces the header function (an app's credentials, from its request header providers). */
  useRequestHeaders(headers: RequestHeaders | undefined): void {
    this.#headers = headers;
  }

  async #acquire(): Promise<void> {
    if (this.#slots > 0) {
      this.#slots--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#slots++;
  }

  /** Sends a GET with the query's fields (lists repeat the key) and resolves with the JSON answer. */
  get<T>(path: string, query: Record<string, string | number | boolean | readonly string[] | undefined> = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value as readonly string[]) params.append(key, item);
      else params.append(key, String(value));
    }
    const search = params.toString();
    return this.json<T>('GET', `${path}${search ? `?${search}` : ''}`);
  }

  /** Sends a JSON body with `method` (POST by default) and resolves with the JSON answer. */
  send<T>(path: string, body: unknown, method: 'POST' | 'PATCH' | 'DELETE' = 'POST'): Promise<T> {
    return this.json<T>(method, path, JSON.stringify(body));
  }

  /** Sends one request of any kind and resolves with the raw response once its status is a success. */
  async request(method: string, path: string, init: { body?: BodyInit | null; headers?: Record<string, string>; duplex?: 'half' } = {}): Promise<Response> {
    const url = `${this.baseUrl}/${path.replace(/^\/+/, '')}`;
    const headers = { ...(this.#headers ? await this.#headers() : {}), ...init.headers };
    let response: Response;
    await this.#acquire();
    try {
      response = await this.#fetch(url, { method, headers, ...(init.body !== undefined ? { body: init.body } : {}), ...(init.duplex ? { duplex: init.duplex } : {}) } as RequestInit);
    } catch (error) {
      throw await this.#unreachable(url, error);
    } finally {
      this.#release();
    }
    if (!response.ok) throw errorOfAnswer(url, response.status, await response.text().catch(() => ''));
    return response;
  }

  async json<T>(method: string, path: string, body?: string): Promise<T> {
    const response = await this.request(method, path, body === undefined ? {} : { body, headers: { 'Content-Type': 'application/json' } });
    const text = await response.text();
    if (text.trim() === '') return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new TrackingError('INTERNAL_ERROR', `the answer (HTTP ${response.status}) is not JSON: ${text.trim().slice(0, 120)}`, {
        url: response.url || `${this.baseUrl}/${path}`,
        hint: 'Check that the tracking URI points at an MLflow server and not at another web page.',
        cause: error,
      });
    }
  }

  // A browser reports a refused cross-origin answer and a server that is down alike, as a TypeError; an
  // opaque no-cors probe of /health tells them apart (it succeeds only when something answers).
  async #unreachable(url: string, error: unknown): Promise<TrackingError> {
    if (inBrowser()) {
      const answered = await this.#fetch(`${this.baseUrl}/health`, { mode: 'no-cors' }).then(() => true, () => false);
      if (answered) {
        return new TrackingError('PERMISSION_DENIED', `the MLflow server at ${this.baseUrl} answered, but the browser refused to let this page (origin ${pageOrigin()}) read it (CORS)`, {
          url,
          // Any server without CORS headers looks the same from here, so the hint covers a URL that is not MLflow's too.
          hint: `Start the server with --cors-allowed-origins ${pageOrigin()} (MLflow 3.5 or later), or serve the page from an allowed origin. If ${this.baseUrl} is not an MLflow server, correct the URL: it is the address \`mlflow server\` listens on (http://127.0.0.1:5000 by default).`,
          cause: error,
        });
      }
    }
    return new TrackingError('TEMPORARILY_UNAVAILABLE', `could not reach the MLflow server at ${this.baseUrl} (${error instanceof Error ? error.message : String(error)})`, {
      url,
      hint: 'Check that the server is running and the tracking URI (scheme, host, port) is right.',
      cause: error,
    });
  }
}
