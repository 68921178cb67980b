import { describeValue } from '../errors/index.ts';
import { KEY_LENGTH_LIMIT, TrackingError, validateKey } from '../store-kit/index.ts';
import { RUN_STATUSES, type LogBatchInput, type Metric, type MetricInput, type Param, type RunStatus, type RunTag } from './types.ts';

/** MLflow's limits (`mlflow/utils/validation.py`, current master). */
export const LIMITS = Object.freeze({
  keyLength: KEY_LENGTH_LIMIT,
  paramValueLength: 6000,
  runTagValueLength: 8000,
  experimentNameLength: 500,
  experimentTagValueLength: 5000,
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

/** Checks an experiment tag: key at most 250, value at most 5000 characters. */
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

/** A batch after validation: metrics with their defaults filled. */
export interface ValidatedBatch {
  metrics: Metric[];
  params: Param[];
  tags: RunTag[];
}

/**
 * Checks a whole batch before anything is written: the counts (1000 metrics, 100 params, 100 tags, 1000 in
 * all), every item, and that no param key appears twice. The error names the offending item
 * (`params[3].value`).
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
  const checkedMetrics = metrics.map((metric, index) => validateMetric(metric, `metrics[${index}]`, now));
  const seen = new Map<string, number>();
  params.forEach((param, index) => {
    validateParam(param, `params[${index}]`);
    const first = seen.get(param.key);
    if (first !== undefined) {
      throw invalid(`param "${param.key}" appears twice in one batch (params[${first}] and params[${index}])`, `params[${index}].key`, 'Log each param once per batch.');
    }
    seen.set(param.key, index);
  });
  tags.forEach((tag, index) => validateRunTag(tag, `tags[${index}]`));
  return { metrics: checkedMetrics, params: params.map(({ key, value }) => ({ key, value })), tags: tags.map(({ key, value }) => ({ key, value })) };
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
