// MLflow's bulk/interval metric history read (`metrics/get-history-bulk-interval`, what its UI's charts use):
// the request rules of the server's handler and the SQL store's sampling, for stores that answer it themselves.
import { TrackingError, validateKey } from '../store-kit/index.ts';
import { comparableValue } from './run-rules.ts';
import type { Metric, MetricHistoryIntervalInput, MetricWithRunId, TrackingStore } from './types.ts';

/** The server's limits: at most 100 runs per request, and 1 to 2500 points per run (2500 when not given). */
export const HISTORY_INTERVAL_LIMITS = Object.freeze({ runIds: 100, maxResults: 2500 });

function invalid(problem: string, field: string, hint?: string): TrackingError {
  return new TrackingError('INVALID_PARAMETER_VALUE', problem, { field, ...(hint ? { hint } : {}) });
}

/** A request's arguments, checked as MLflow's handler checks them, with max results filled in. */
export interface CheckedHistoryInterval {
  runIds: string[];
  metricKey: string;
  maxResults: number;
  range: { start: number; end: number } | null;
}

/**
 * Checks a bulk/interval request as MLflow's handler does: 1 to 100 run ids, a metric key, max results an
 * integer from 1 to 2500, and start and end steps given together with start ≤ end. Throws INVALID_PARAMETER_VALUE.
 */
export function checkHistoryInterval(input: MetricHistoryIntervalInput): CheckedHistoryInterval {
  if (typeof input !== 'object' || input === null) throw invalid('getMetricHistoryBulkInterval needs { runIds, metricKey }', 'runIds');
  const { runIds, metricKey, startStep, endStep } = input;
  if (!Array.isArray(runIds) || runIds.length === 0) throw invalid("Missing value for required parameter 'run_ids'", 'runIds', 'Give the ids of the runs to read, 1 to 100 of them.');
  runIds.forEach((runId, index) => {
    if (typeof runId !== 'string') throw invalid(`runIds[${index}] must be a string, received ${typeof runId}`, `runIds[${index}]`);
  });
  if (runIds.length > HISTORY_INTERVAL_LIMITS.runIds) {
    throw invalid(
      `GetMetricHistoryBulkInterval request must specify at most ${HISTORY_INTERVAL_LIMITS.runIds} run_ids. Received ${runIds.length} run_ids.`,
      'runIds',
      `Read the runs ${HISTORY_INTERVAL_LIMITS.runIds} at a time.`,
    );
  }
  validateKey(metricKey, 'metricKey', 'metric key');
  const maxResults = input.maxResults ?? HISTORY_INTERVAL_LIMITS.maxResults;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > HISTORY_INTERVAL_LIMITS.maxResults) {
    throw invalid(`max_results must be between 1 and ${HISTORY_INTERVAL_LIMITS.maxResults}, received ${String(maxResults)}`, 'maxResults');
  }
  if ((startStep === undefined) !== (endStep === undefined)) {
    throw invalid('If either start step or end step are specified, both must be specified.', startStep === undefined ? 'startStep' : 'endStep');
  }
  if (startStep === undefined || endStep === undefined) return { runIds, metricKey, maxResults, range: null };
  for (const [value, field] of [[startStep, 'startStep'], [endStep, 'endStep']] as const) {
    if (!Number.isSafeInteger(value)) throw invalid(`${field} must be an integer, received ${String(value)}`, field);
  }
  if (startStep > endStep) {
    throw invalid(`end_step must be greater than start_step. Found start_step=${startStep} and end_step=${endStep}.`, 'endStep');
  }
  return { runIds, metricKey, maxResults, range: { start: startStep, end: endStep } };
}

/** Orders points by step, then timestamp, then value (NaN as 0, after a real 0), as the SQL store's sample does. */
function compareByStep(a: Metric, b: Metric): number {
  if (a.step !== b.step) return a.step - b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  const byValue = comparableValue(a.value) - comparableValue(b.value);
  if (byValue !== 0) return byValue;
  return Number(Number.isNaN(a.value)) - Number(Number.isNaN(b.value));
}

/**
 * Samples one run's history as MLflow's SQL store does: the points inside the step range (all when null),
 * ordered by step, timestamp and value, cut into `maxResults` buckets as SQL's NTILE cuts them (the first
 * `count % maxResults` buckets one point larger), the first point of each bucket kept, and the last point
 * always kept (it replaces the last sample when there is no room). Fewer points than `maxResults` come back whole.
 */
export function sampleHistory(history: readonly Metric[], maxResults: number, range: { start: number; end: number } | null = null): Metric[] {
  const points = history.filter((point) => range === null || (point.step >= range.start && point.step <= range.end)).sort(compareByStep);
  if (points.length <= maxResults) return points;
  const size = Math.floor(points.length / maxResults);
  const larger = points.length % maxResults;
  const sample: Metric[] = [];
  for (let bucket = 0; bucket < maxResults; bucket += 1) sample.push(points[bucket * size + Math.min(bucket, larger)]!);
  const last = points[points.length - 1]!;
  if (sample[sample.length - 1] !== last) sample[sample.length - 1] = last;
  return sample;
}

/**
 * Answers a bulk/interval request from each run's full history (`getMetricHistory`): the runs in the order
 * given (a repeated id answers twice), each sampled by `sampleHistory`; an unknown run adds nothing.
 */
export async function historyIntervalFromHistories(
  input: MetricHistoryIntervalInput,
  historyOf: (runId: string, key: string) => Promise<Metric[]>,
): Promise<MetricWithRunId[]> {
  const checked = checkHistoryInterval(input);
  const histories = await Promise.all(checked.runIds.map((runId) => historyOf(runId, checked.metricKey)));
  return histories.flatMap((history, index) =>
    sampleHistory(history, checked.maxResults, checked.range).map((point) => ({ ...point, runId: checked.runIds[index]! })),
  );
}

/**
 * Reads sampled histories of any number of runs from any store, 100 runs per request: through the store's
 * `getMetricHistoryBulkInterval` when it has one, else sampled here from `getMetricHistory`. Resolves with the
 * points of each run, by run id (a run without points maps to an empty list).
 */
export async function readSampledHistories(
  store: TrackingStore,
  runIds: readonly string[],
  metricKey: string,
  options: { maxResults?: number; startStep?: number; endStep?: number } = {},
): Promise<Map<string, Metric[]>> {
  const byRun = new Map<string, Metric[]>(runIds.map((runId) => [runId, []]));
  const unique = [...byRun.keys()];
  for (let start = 0; start < unique.length; start += HISTORY_INTERVAL_LIMITS.runIds) {
    const input: MetricHistoryIntervalInput = { ...options, runIds: unique.slice(start, start + HISTORY_INTERVAL_LIMITS.runIds), metricKey };
    const points = store.getMetricHistoryBulkInterval
      ? await store.getMetricHistoryBulkInterval(input)
      : await historyIntervalFromHistories(input, (runId, key) => store.getMetricHistory(runId, key));
    for (const { runId, ...point } of points) byRun.get(runId)?.push(point);
  }
  return byRun;
}
