// Search: MLflow's filter grammar and order_by over runs and experiments, compiled once into predicates and comparisons (from the store kit's primitives).
export { parseRunFilter } from './parse-run-filter.ts';
export { compileOrderBy, compileRunSort } from './compile-order-by.ts';
export { parseExperimentFilter, compileExperimentOrderBy } from './experiment-search.ts';
export type { SearchableRun, SearchableExperiment, KeyValue, LatestMetric } from './searchable.ts';
export { SearchError } from '../../store-kit/index.ts';
export type { SearchErrorFields } from '../../store-kit/index.ts';
