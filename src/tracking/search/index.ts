// Search: MLflow's filter grammar and order_by, compiled once into predicates and comparisons over runs and experiments, plus opaque page tokens.
export { parseRunFilter } from './parse-run-filter.ts';
export { compileOrderBy, compileRunSort } from './compile-order-by.ts';
export { encodePageToken, decodePageToken } from './page-token.ts';
export { parseExperimentFilter, compileExperimentOrderBy } from './experiment-search.ts';
export { SearchError } from './search-error.ts';
export type { SearchErrorFields } from './search-error.ts';
export type { SearchableRun, SearchableExperiment, KeyValue, LatestMetric } from './searchable.ts';

// Building blocks for other searchable stores (the model registry uses them).
export { parseFilterClauses, clauseError } from './parse-filter-clauses.ts';
export type { FilterClause, Comparator, ClauseValue, ClauseErrorContext } from './parse-filter-clauses.ts';
export { parseOrderByTerm, compareByValue, compareValues, chainComparisons } from './order-by.ts';
export type { OrderByTerm } from './order-by.ts';
export { compileStringComparison, compileNumberComparison } from './compile-comparison.ts';
export { compileLikePattern } from './like-pattern.ts';
export { findValue } from './searchable.ts';
