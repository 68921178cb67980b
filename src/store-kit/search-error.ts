import { TrackingError } from './tracking-error.ts';

/** The fields a search error carries besides MLflow's code. */
export interface SearchErrorFields {
  /** What went wrong, naming the bad text and what was expected. */
  problem: string;
  /** 1-based column in the filter or order_by text where parsing failed. */
  column?: number;
  /** What to do about it. */
  hint?: string;
  /** Which input was wrong: `filter`, `orderBy[1]`, `pageToken`. */
  field?: string;
}

/**
 * A malformed filter, order_by or page token: a TrackingError with code INVALID_PARAMETER_VALUE and, when
 * the error is about a text, the 1-based `column` where parsing failed.
 */
export class SearchError extends TrackingError {
  /** 1-based column of the character where parsing failed, when the error is about a text. */
  column?: number;

  constructor(fields: SearchErrorFields) {
    super('INVALID_PARAMETER_VALUE', fields.problem, {
      ...(fields.hint === undefined ? {} : { hint: fields.hint }),
      ...(fields.field === undefined ? {} : { field: fields.field }),
    });
    if (fields.column !== undefined) this.column = fields.column;
  }
}

/** Builds the error for malformed search input; the one place search errors are made. */
export function searchError(fields: SearchErrorFields): SearchError {
  return new SearchError(fields);
}
