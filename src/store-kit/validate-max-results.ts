import { TrackingError } from './tracking-error.ts';

/** Checks paging arguments of a search: 1 ≤ maxResults ≤ `max` (50000 for runs). */
export function validateMaxResults(maxResults: unknown, max: number, field = 'maxResults'): asserts maxResults is number {
  if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > max) {
    throw new TrackingError('INVALID_PARAMETER_VALUE', `maxResults must be an integer between 1 and ${max}, received ${String(maxResults)}`, { field });
  }
}
