// Store kit: what every store is built from — MLflow's entities and error codes, key checks, and the search primitives (filter tokens, clauses, comparisons, LIKE, order_by terms, page tokens). It imports from no store.
export type * from './entities.ts';
export { RUN_STATUSES } from './entities.ts';
export { TrackingError, hasTrackingCode, HTTP_STATUS_OF } from './tracking-error.ts';
export type { TrackingErrorCode, TrackingErrorDetails } from './tracking-error.ts';
export { KEY_LENGTH_LIMIT, validateKey, normalizePosixPath } from './validate-key.ts';
export { validateMaxResults } from './validate-max-results.ts';
export { findValue } from './find-value.ts';
export { SearchError, searchError } from './search-error.ts';
export type { SearchErrorFields } from './search-error.ts';
export { tokenizeFilter, describeToken } from './tokenize-filter.ts';
export type { Token } from './tokenize-filter.ts';
export { parseFilterClauses, clauseError } from './parse-filter-clauses.ts';
export type { FilterClause, Comparator, ClauseValue, ClauseErrorContext } from './parse-filter-clauses.ts';
export { parseOrderByTerm, compareByValue, compareValues, chainComparisons } from './order-by.ts';
export type { OrderByTerm } from './order-by.ts';
export { compileStringComparison, compileNumberComparison } from './compile-comparison.ts';
export { compileLikePattern } from './like-pattern.ts';
export { encodePageToken, decodePageToken } from './page-token.ts';
