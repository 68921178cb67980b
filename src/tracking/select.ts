// Search over lists already in memory: view type, filter, order, page. Shared by every store that can list
// its runs or experiments in one pass.
import { compileExperimentOrderBy, compileOrderBy, parseExperimentFilter, parseRunFilter } from './search/index.ts';
import { decodePageToken, encodePageToken, TrackingError, validateMaxResults } from '../store-kit/index.ts';
import type { Experiment, ExperimentsPage, LifecycleStage, Run, RunsPage, SearchExperimentsInput, SearchRunsInput, ViewType } from './types.ts';

/** Default page size of searches (MLflow's SEARCH_MAX_RESULTS_DEFAULT). */
export const SEARCH_MAX_RESULTS_DEFAULT = 1000;
/** Largest page of a run search (MLflow's SEARCH_MAX_RESULTS_THRESHOLD). */
export const SEARCH_MAX_RESULTS_THRESHOLD = 50_000;

const VIEW_TYPES: readonly ViewType[] = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'];

/** Returns a test of lifecycle stage for a view type; an unknown view type is INVALID_PARAMETER_VALUE. */
export function viewTypeTest(viewType: unknown = 'ACTIVE_ONLY', field = 'runViewType'): (stage: LifecycleStage) => boolean {
  switch (viewType) {
    case 'ACTIVE_ONLY':
      return (stage) => stage === 'active';
    case 'DELETED_ONLY':
      return (stage) => stage === 'deleted';
    case 'ALL':
      return () => true;
    default:
      throw new TrackingError('INVALID_PARAMETER_VALUE', `view type ${JSON.stringify(viewType)} is unknown`, {
        field,
        hint: `Use one of ${VIEW_TYPES.join(', ')}.`,
      });
  }
}

/** A run search compiled once: the parts that need no data, checked before any read. */
export interface CompiledRunSearch {
  experimentIds: Set<string>;
  matches: (run: Run) => boolean;
  compare: (a: Run, b: Run) => number;
  offset: number;
  maxResults: number;
  fingerprint: string;
}

/**
 * Checks and compiles a run search: experiment ids, view type, filter, order_by, max results (1–50000,
 * default 1000) and page token. Every malformed part throws INVALID_PARAMETER_VALUE before any data is read.
 */
export function compileRunSearch(input: SearchRunsInput): CompiledRunSearch {
  if (typeof input !== 'object' || input === null || !Array.isArray(input.experimentIds)) {
    throw new TrackingError('INVALID_PARAMETER_VALUE', 'searchRuns needs { experimentIds: string[] }', { field: 'experimentIds' });
  }
  const maxResults = input.maxResults ?? SEARCH_MAX_RESULTS_DEFAULT;
  validateMaxResults(maxResults, SEARCH_MAX_RESULTS_THRESHOLD);
  const inView = viewTypeTest(input.runViewType ?? 'ACTIVE_ONLY');
  const filter = parseRunFilter(input.filter ?? '');
  const compare = compileOrderBy(input.orderBy ?? []);
  const experimentIds = new Set(input.experimentIds.map(String));
  const fingerprint = JSON.stringify([[...experimentIds].sort(), input.filter ?? '', input.orderBy ?? [], input.runViewType ?? 'ACTIVE_ONLY']);
  const offset = decodePageToken(input.pageToken, fingerprint);
  return {
    experimentIds,
    matches: (run) => inView(run.info.lifecycleStage) && experimentIds.has(run.info.experimentId) && filter(run),
    compare,
    offset,
    maxResults,
    fingerprint,
  };
}

/** Filters, sorts and pages runs for a compiled search; a next token is given only when more runs follow. */
export function pageRuns(runs: Iterable<Run>, search: CompiledRunSearch): RunsPage {
  const matching: Run[] = [];
  for (const run of runs) if (search.matches(run)) matching.push(run);
  matching.sort(search.compare);
  const end = search.offset + search.maxResults;
  return {
    runs: matching.slice(search.offset, end),
    nextPageToken: end < matching.length ? encodePageToken(end, search.fingerprint) : null,
  };
}

/** Searches runs held in memory, as `TrackingStore.searchRuns` does. */
export function selectRuns(runs: Iterable<Run>, input: SearchRunsInput): RunsPage {
  return pageRuns(runs, compileRunSearch(input));
}

/**
 * Searches experiments held in memory, as `TrackingStore.searchExperiments` does: view type (default active
 * only), filter, order (default creation_time DESC, then experiment_id ASC), max results (default 1000) and page token.
 */
export function selectExperiments(experiments: Iterable<Experiment>, input: SearchExperimentsInput = {}): ExperimentsPage {
  const maxResults = input.maxResults ?? SEARCH_MAX_RESULTS_DEFAULT;
  validateMaxResults(maxResults, SEARCH_MAX_RESULTS_THRESHOLD);
  const inView = viewTypeTest(input.viewType ?? 'ACTIVE_ONLY', 'viewType');
  const filter = parseExperimentFilter(input.filter ?? '');
  const compare = compileExperimentOrderBy(input.orderBy ?? []);
  const fingerprint = JSON.stringify([input.filter ?? '', input.orderBy ?? [], input.viewType ?? 'ACTIVE_ONLY']);
  const offset = decodePageToken(input.pageToken, fingerprint);
  const matching = [...experiments].filter((experiment) => inView(experiment.lifecycleStage) && filter(experiment));
  matching.sort(compare);
  const end = offset + maxResults;
  return {
    experiments: matching.slice(offset, end),
    nextPageToken: end < matching.length ? encodePageToken(end, fingerprint) : null,
  };
}
