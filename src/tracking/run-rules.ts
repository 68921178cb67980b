// The write rules of a run, as pure functions over its REST-shaped data: any store can apply them.
import { TrackingError } from '../store-kit/index.ts';
import type { Metric, RunData, RunInfo, RunTag } from './types.ts';
import type { ValidatedBatch } from './validation.ts';

/** The tag that mirrors a run's name. */
export const RUN_NAME_TAG = 'mlflow.runName';
/** The tag that names a nested run's parent. */
export const PARENT_RUN_ID_TAG = 'mlflow.parentRunId';

const MAX_DOUBLE = 1.7976931348623157e308;

/** The value MLflow's SQL store compares: 0 for NaN and ±max double for ±Infinity. */
export function comparableValue(value: number): number {
  if (Number.isNaN(value)) return 0;
  if (value === Infinity) return MAX_DOUBLE;
  if (value === -Infinity) return -MAX_DOUBLE;
  return value;
}

/**
 * Whether `candidate` replaces `current` as a run's latest value: it must be strictly greater by
 * (step, timestamp, value), where NaN counts as 0 and ±Infinity as ±max double, as MLflow's stores compare.
 */
export function isNewerMetric(candidate: Metric, current: Metric): boolean {
  if (candidate.step !== current.step) return candidate.step > current.step;
  if (candidate.timestamp !== current.timestamp) return candidate.timestamp > current.timestamp;
  return comparableValue(candidate.value) > comparableValue(current.value);
}

/** Whether two points are the same point (NaN equals NaN), so history keeps it once. */
export function isSamePoint(a: Metric, b: Metric): boolean {
  return a.step === b.step && a.timestamp === b.timestamp && (a.value === b.value || (Number.isNaN(a.value) && Number.isNaN(b.value)));
}

/**
 * Orders history points as MLflow's SQL store does: by timestamp, then step, then value (NaN as 0, and after
 * a real 0); a total order, so equal points end up next to each other.
 */
export function compareHistoryPoints(a: Metric, b: Metric): number {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  if (a.step !== b.step) return a.step - b.step;
  const byStored = comparableValue(a.value) - comparableValue(b.value);
  if (byStored !== 0) return byStored;
  const aNaN = Number.isNaN(a.value);
  const bNaN = Number.isNaN(b.value);
  if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/** Sorts points in history order and drops exact duplicates; returns a new list. */
export function orderHistory(points: Metric[]): Metric[] {
  const sorted = [...points].sort(compareHistoryPoints);
  const unique: Metric[] = [];
  for (const point of sorted) {
    const last = unique[unique.length - 1];
    if (!last || !isSamePoint(last, point)) unique.push(point);
  }
  return unique;
}

function changingParam(runId: string, key: string, old: string, value: string, field: string): TrackingError {
  return new TrackingError(
    'INVALID_PARAMETER_VALUE',
    `Changing param values is not allowed. Param with key='${key}' was already logged with value='${old}' for run ID='${runId}'. Attempted logging new value '${value}'.`,
    { field, hint: 'Params are immutable: log the new value under another key, or start a new run.' },
  );
}

/**
 * Applies a validated batch to a run's info and data and returns new objects (the inputs stay untouched).
 * Params: the same value again is a no-op, another value throws INVALID_PARAMETER_VALUE before anything
 * changes. Tags: the last write wins, and `mlflow.runName` renames the run. Metrics: the latest value per key
 * follows `isNewerMetric`.
 */
export function applyBatch(runId: string, info: RunInfo, data: RunData, batch: Omit<ValidatedBatch, 'truncated'>): { info: RunInfo; data: RunData } {
  const params = new Map(data.params.map((param) => [param.key, param.value]));
  batch.params.forEach((param, index) => {
    const old = params.get(param.key);
    if (old !== undefined && old !== param.value) throw changingParam(runId, param.key, old, param.value, `params[${index}].value`);
    params.set(param.key, param.value);
  });
  const tags = new Map(data.tags.map((tag) => [tag.key, tag.value]));
  for (const tag of batch.tags) tags.set(tag.key, tag.value);
  const latest = new Map(data.metrics.map((metric) => [metric.key, metric]));
  for (const metric of batch.metrics) {
    const current = latest.get(metric.key);
    if (!current || isNewerMetric(metric, current)) latest.set(metric.key, metric);
  }
  const runName = tags.get(RUN_NAME_TAG) ?? info.runName;
  return {
    info: { ...info, runName },
    data: {
      metrics: [...latest.values()].map((metric) => ({ ...metric })),
      params: [...params].map(([key, value]) => ({ key, value })),
      tags: toTagList(tags),
    },
  };
}

/** Turns a key → value map into MLflow's `[{ key, value }]` list, in insertion order. */
export function toTagList(tags: Map<string, string>): RunTag[] {
  return [...tags].map(([key, value]) => ({ key, value }));
}

/**
 * Resolves a new run's name and tags as MLflow's `create_run` does: a `runName` and a differing
 * `mlflow.runName` tag throw INVALID_PARAMETER_VALUE; with neither (or ""), `generate()` names the run; the
 * `mlflow.runName` tag is always written. Later duplicates of a tag key win.
 */
export function resolveRunName(runName: string | undefined, tags: RunTag[], generate: () => string): { runName: string; tags: RunTag[] } {
  const map = new Map(tags.map((tag) => [tag.key, tag.value]));
  const tagged = map.get(RUN_NAME_TAG);
  if (runName && tagged !== undefined && tagged !== '' && tagged !== runName) {
    throw new TrackingError(
      'INVALID_PARAMETER_VALUE',
      `both a run name ("${runName}") and a different ${RUN_NAME_TAG} tag ("${tagged}") were given`,
      { field: 'runName', hint: `Pass the name once, as runName or as the ${RUN_NAME_TAG} tag.` },
    );
  }
  const name = runName || tagged || generate();
  map.set(RUN_NAME_TAG, name);
  return { runName: name, tags: toTagList(map) };
}
