import { describeValue } from '../errors/index.ts';
import { KEY_LENGTH_LIMIT, RUN_TAG_VALUE_LIMIT, TrackingError, validateKey } from '../store-kit/index.ts';
import { RUN_STATUSES, type LogBatchInput, type Metric, type MetricInput, type Param, type RunStatus, type RunTag } from './types.ts';

/** MLflow's limits (`mlflow/utils/validation.py`, current master). */
export const LIMITS = Object.freeze({
  keyLength: KEY_LENGTH_LIMIT,
  paramValueLength: 6000,
  runTagValueLength: RUN_TAG_VALUE_LIMIT,
  experimentNameLength: 500,
  experimentTagValueLength: 20000,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchTotal: 1000,
});

const RUN_ID_PATTERN = /^[a-zA-Z0-9][\w-]{0,255}$/;
const EXPERIMENT_ID_PATTERN = /^[a-zA-Z0-9][\w-]{0,63}$/;

function invalid(problem: string, field: string, hint?: string): TrackingError {
  return new TrackingError('INVALID_PARAMETER_VALUE', problem, hint === undefined ? { field } : { field, hint });
}

/** Checks a string value against a length limit; null, undefined and non-strings are INVALID_PARAMETER_VALUE. */
function validateText(value: unknown, limit: number, field: string, what: string): asserts value is string {
  if (typeof value !== 'string') throw invalid(`${what} must be a string, received ${describeValue(value)}`, field);
  if (value.length > limit) throw invalid(`${what} is ${value.length} characters long; the limit is ${limit}`, field);
}

/** A param or tag value cut to MLflow's length limit (MLflow truncates such values by default, with a warning). */
export interface TruncatedValue {
  /** Where the value was (`params[3].value`). */
  field: string;
  key: string;
  /** The length it had. */
  length: number;
  /** The length it was cut to. */
  limit: number;
}

/** Checks a param: a valid key and a string value of at most 6000 characters (the empty string is legal). */
export function validateParam(param: Param, field = 'param'): void {
  if (typeof param !== 'object' || param === null) throw invalid(`a param must be { key, value }, received ${describeValue(param)}`, field);
  validateKey(param.key, `${field}.key`, 'param key');
  validateText(param.value, LIMITS.paramValueLength, `${field}.value`, `param "${param.key}" value`);
}

/** Checks a run tag: a valid key and a string value of at most 8000 characters. */
export function validateRunTag(tag: RunTag, field = 'tag'): void {
  if (typeof tag !== 'object' || tag === null) throw invalid(`a tag must be { key, value }, received ${describeValue(tag)}`, field);
  validateKey(tag.key, `${field}.key`, 'tag key');
  validateText(tag.value, LIMITS.runTagValueLength, `${field}.value`, `tag "${tag.key}" value`);
}

/** Checks an experiment tag: key at most 250, value at most 20000 characters. */
export function validateExperimentTag(tag: RunTag, field = 'tag'): void {
  if (typeof tag !== 'object' || tag === null) throw invalid(`a tag must be { key, value }, received ${describeValue(tag)}`, field);
  validateKey(tag.key, `${field}.key`, 'experiment tag key');
  validateText(tag.value, LIMITS.experimentTagValueLength, `${field}.value`, `experiment tag "${tag.key}" value`);
}

/**
 * Checks a metric point and fills the defaults (timestamp now, step 0): the value must be a number (NaN and
 * ±Infinity allowed, booleans refused), the timestamp an integer ≥ 0, the step an integer.
 */
export function validateMetric(metric: MetricInput, field = 'metric', now = Date.now()): Metric {
  if (typeof metric !== 'object' || metric === null) throw invalid(`a metric must be { key, value, timestamp, step }, received ${describeValue(metric)}`, field);
  validateKey(metric.key, `${field}.key`, 'metric key');
  if (typeof metric.value !== 'number') {
    throw invalid(`metric "${metric.key}" value must be a number, received ${describeValue(metric.value)}`, `${field}.value`);
  }
  const timestamp = metric.timestamp ?? now;
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw invalid(`metric "${metric.key}" timestamp must be an integer ≥ 0 (ms since the epoch), received ${String(timestamp)}`, `${field}.timestamp`);
  }
  const step = metric.step ?? 0;
  if (typeof step !== 'number' || !Number.isSafeInteger(step)) {
    throw invalid(`metric "${metric.key}" step must be an integer, received ${String(step)}`, `${field}.step`);
  }
  return { key: metric.key, value: metric.value, timestamp, step };
}

/** A batch after validation: metrics with their defaults filled, values as MLflow's SQL store keeps them. */
export interface ValidatedBatch {
  metrics: Metric[];
  params: Param[];
  tags: RunTag[];
  /** The param and tag values cut to their limits. */
  truncated: TruncatedValue[];
}

/** A metric value as MLflow's SQL store reads it back: ±Infinity as ±Number.MAX_VALUE, -0 as 0, NaN kept. */
export function storedMetricValue(value: number): number {
  if (value === Infinity) return Number.MAX_VALUE;
  if (value === -Infinity) return -Number.MAX_VALUE;
  return value === 0 ? 0 : value;
}

function truncateValue(item: { key: string; value: string }, limit: number, field: string, truncated: TruncatedValue[]): { key: string; value: string } {
  if (item.value.length <= limit) return { key: item.key, value: item.value };
  truncated.push({ field, key: item.key, length: item.value.length, limit });
  return { key: item.key, value: item.value.slice(0, limit) };
}

/**
 * Checks a whole batch before anything is written: the counts (1000 metrics, 100 params, 100 tags, 1000 in
 * all), every item, and that no param key appears twice. The error names the offending item
 * (`params[3].value`). As MLflow does by default (`MLFLOW_TRUNCATE_LONG_VALUES`), a param value over 6000 and a
 * tag value over 8000 characters are cut to the limit and listed in `truncated`; metric values become what
 * MLflow's SQL store reads back (`storedMetricValue`).
 */
export function validateBatch(batch: LogBatchInput, now = Date.now()): ValidatedBatch {
  if (typeof batch !== 'object' || batch === null) throw invalid(`a batch must be { metrics, params, tags }, received ${describeValue(batch)}`, 'batch');
  const metrics = batch.metrics ?? [];
  const params = batch.params ?? [];
  const tags = batch.tags ?? [];
  for (const [name, list] of [['metrics', metrics], ['params', params], ['tags', tags]] as const) {
    if (!Array.isArray(list)) throw invalid(`batch ${name} must be a list, received ${describeValue(list)}`, name);
  }
  const counts = [
    ['metrics', metrics.length, LIMITS.batchMetrics],
    ['params', params.length, LIMITS.batchParams],
    ['tags', tags.length, LIMITS.batchTags],
  ] as const;
  for (const [name, count, limit] of counts) {
    if (count > limit) {
      throw invalid(`a batch holds ${count} ${name}; the limit is ${limit}`, `${name}[${limit}]`, 'Split the batch into several logBatch calls.');
    }
  }
  const total = metrics.length + params.length + tags.length;
  if (total > LIMITS.batchTotal) {
    throw invalid(`a batch holds ${total} items in all; the limit is ${LIMITS.batchTotal}`, 'batch', 'Split the batch into several logBatch calls.');
  }
  const checkedMetrics = metrics.map((metric, index) => {
    const checked = validateMetric(metric, `metrics[${index}]`, now);
    return { ...checked, value: storedMetricValue(checked.value) };
  });
  const seen = new Map<string, number>();
  const truncated: TruncatedValue[] = [];
  const longParam = (param: Param): Param => (param.value.length > LIMITS.paramValueLength ? { key: param.key, value: '' } : param);
  const longTag = (tag: RunTag): RunTag => (tag.value.length > LIMITS.runTagValueLength ? { key: tag.key, value: '' } : tag);
  params.forEach((param, index) => {
    validateParam(typeof param === 'object' && param !== null && typeof param.value === 'string' ? longParam(param) : param, `params[${index}]`);
    const first = seen.get(param.key);
    if (first !== undefined) {
      throw invalid(`param "${param.key}" appears twice in one batch (params[${first}] and params[${index}])`, `params[${index}].key`, 'Log each param once per batch.');
    }
    seen.set(param.key, index);
  });
  tags.forEach((tag, index) => validateRunTag(typeof tag === 'object' && tag !== null && typeof tag.value === 'string' ? longTag(tag) : tag, `tags[${index}]`));
  return {
    metrics: checkedMetrics,
    params: params.map((param, index) => truncateValue(param, LIMITS.paramValueLength, `params[${index}].value`, truncated)),
    tags: tags.map((tag, index) => truncateValue(tag, LIMITS.runTagValueLength, `tags[${index}].value`, truncated)),
    truncated,
  };
}

/** Checks a run id's form (`^[a-zA-Z0-9][\w-]{0,255}$`); a malformed id is INVALID_PARAMETER_VALUE. */
export function validateRunId(runId: unknown, field = 'runId'): asserts runId is string {
  if (typeof runId !== 'string' || !RUN_ID_PATTERN.test(runId)) {
    throw invalid(`run id ${JSON.stringify(runId)} is malformed; expected letters, digits, _ and - (32 lowercase hex digits for Plugboard runs)`, field);
  }
}

/** Checks an experiment id's form (`^[a-zA-Z0-9][\w-]{0,63}$`); a malformed id is INVALID_PARAMETER_VALUE. */
export function validateExperimentId(experimentId: unknown, field = 'experimentId'): asserts experimentId is string {
  if (typeof experimentId !== 'string' || !EXPERIMENT_ID_PATTERN.test(experimentId)) {
    throw invalid(`experiment id ${JSON.stringify(experimentId)} is malformed; expected a string such as "0" or "12"`, field);
  }
}

/** Checks an experiment name: a non-empty string of at most 500 characters. */
export function validateExperimentName(name: unknown, field = 'name'): asserts name is string {
  if (typeof name !== 'string' || name.trim() === '') throw invalid(`an experiment name must be a non-empty string, received ${JSON.stringify(name)}`, field);
  if (name.length > LIMITS.experimentNameLength) {
    throw invalid(`experiment name is ${name.length} characters long; the limit is ${LIMITS.experimentNameLength}`, field);
  }
}

/** Checks a run status against RUNNING, SCHEDULED, FINISHED, FAILED, KILLED. */
export function validateRunStatus(status: unknown, field = 'status'): asserts status is RunStatus {
  if (!RUN_STATUSES.includes(status as RunStatus)) {
    throw invalid(`run status ${JSON.stringify(status)} is unknown`, field, `Use one of ${RUN_STATUSES.join(', ')}.`);
  }
}

/** Checks an artifact location: a string that does not start with `runs:` (MLflow forbids it). */
export function validateArtifactLocation(location: unknown, field = 'artifactLocation'): asserts location is string {
  if (typeof location !== 'string' || location === '') throw invalid(`artifactLocation must be a non-empty string, received ${describeValue(location)}`, field);
  if (location.startsWith('runs:')) {
    throw invalid(`artifactLocation "${location}" may not start with "runs:"`, field, 'Give a URI such as idb://plugboard/my-experiment.');
  }
}
