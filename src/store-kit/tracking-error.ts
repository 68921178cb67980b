import { PlugboardError } from '../errors/index.ts';

/**
 * MLflow's error codes as the stores raise them. The first four are the store contract; the storage layer
 * adds RESOURCE_EXHAUSTED (quota), ABORTED (an aborted transaction) and INTERNAL_ERROR (a failed request).
 */
export type TrackingErrorCode =
  | 'RESOURCE_DOES_NOT_EXIST'
  | 'RESOURCE_ALREADY_EXISTS'
  | 'INVALID_PARAMETER_VALUE'
  | 'INVALID_STATE'
  | 'RESOURCE_EXHAUSTED'
  | 'ABORTED'
  | 'INTERNAL_ERROR'
  | RemoteErrorCode;

/** The further codes an MLflow server may answer with (`mlflow/protos/databricks.proto`). */
export type RemoteErrorCode =
  | 'BAD_REQUEST'
  | 'ENDPOINT_NOT_FOUND'
  | 'PERMISSION_DENIED'
  | 'UNAUTHENTICATED'
  | 'CUSTOMER_UNAUTHORIZED'
  | 'NOT_IMPLEMENTED'
  | 'TEMPORARILY_UNAVAILABLE'
  | 'REQUEST_LIMIT_EXCEEDED'
  | 'NOT_FOUND'
  | 'RESOURCE_CONFLICT'
  | 'ALREADY_EXISTS'
  | 'DATA_LOSS'
  | 'FEATURE_DISABLED';

/** The HTTP status MLflow's server sends for each code (`mlflow/exceptions.py`). */
export const HTTP_STATUS_OF: Readonly<Record<TrackingErrorCode, number>> = Object.freeze({
  BAD_REQUEST: 400,
  ENDPOINT_NOT_FOUND: 404,
  PERMISSION_DENIED: 403,
  UNAUTHENTICATED: 401,
  CUSTOMER_UNAUTHORIZED: 401,
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
  REQUEST_LIMIT_EXCEEDED: 429,
  NOT_FOUND: 404,
  RESOURCE_CONFLICT: 409,
  ALREADY_EXISTS: 409,
  DATA_LOSS: 500,
  FEATURE_DISABLED: 501,
  RESOURCE_DOES_NOT_EXIST: 404,
  RESOURCE_ALREADY_EXISTS: 400,
  INVALID_PARAMETER_VALUE: 400,
  INVALID_STATE: 500,
  RESOURCE_EXHAUSTED: 429,
  ABORTED: 409,
  INTERNAL_ERROR: 500,
});

/** The fields of a TrackingError besides its code and problem. */
export interface TrackingErrorDetails {
  hint?: string;
  /** The offending item or argument (`params[3].value`, `runId`). */
  field?: string;
  /** The URL of a remote store's request that failed. */
  url?: string;
  cause?: unknown;
}

/**
 * The one error class of the tracking store, artifact repository and model registry: `code` is MLflow's
 * error code string, so `error.code === 'RESOURCE_DOES_NOT_EXIST'` works as against an MLflow server.
 */
export class TrackingError extends PlugboardError {
  override name = 'TrackingError';
  declare code: TrackingErrorCode;

  constructor(code: TrackingErrorCode, problem: string, details: TrackingErrorDetails = {}) {
    super({ code, problem, ...details });
  }

  /** The error as MLflow's REST API serialises it: `{ error_code, message }`. */
  toJSON(): { error_code: TrackingErrorCode; message: string } {
    return { error_code: this.code, message: this.problem };
  }
}

/** Whether a thrown value carries one of MLflow's codes (any class: plugin stores may bring their own). */
export function hasTrackingCode(thrown: unknown, code: TrackingErrorCode): boolean {
  return typeof thrown === 'object' && thrown !== null && (thrown as { code?: unknown }).code === code;
}
