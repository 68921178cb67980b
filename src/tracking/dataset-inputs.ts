// Dataset inputs of runs as MLflow's SQL store keeps them: the checks of `_validate_dataset_inputs` and the
// de-duplication of `log_inputs`, for stores that keep inputs themselves.
import { describeValue } from '../errors/index.ts';
import { TrackingError } from '../store-kit/index.ts';
import type { Dataset, DatasetInput } from './types.ts';

/** MLflow's limits on datasets and input tags (`mlflow/utils/validation.py`). */
export const DATASET_LIMITS = Object.freeze({
  name: 500,
  digest: 36,
  source: 65535,
  schema: 1048575,
  profile: 16777215,
  tagKey: 255,
  tagValue: 500,
});

function checkText(value: unknown, limit: number, field: string, what: string, optional = false): void {
  if (optional && value === undefined) return;
  if (typeof value !== 'string') {
    throw new TrackingError('INVALID_PARAMETER_VALUE', `${what} must be a string, received ${describeValue(value)}`, { field });
  }
  if (value.length > limit) {
    throw new TrackingError('INVALID_PARAMETER_VALUE', `'${field.split('.').pop()}' exceeds the maximum length of ${limit} characters (${what} at ${field} has ${value.length})`, {
      field,
      hint: 'Shorten it; a long description of a dataset belongs in an artifact.',
    });
  }
}

/**
 * Checks datasets before anything is written and returns clean copies: name, digest, source type and source
 * must be strings (schema and profile optional), input tags `{ key, value }` strings, all within MLflow's
 * limits (digest 36, name 500, tag value 500 …). Throws INVALID_PARAMETER_VALUE naming the field (`datasets[1].dataset.digest`).
 */
export function validateDatasetInputs(datasets: unknown): DatasetInput[] {
  if (!Array.isArray(datasets)) {
    throw new TrackingError('INVALID_PARAMETER_VALUE', `datasets must be a list of { dataset, tags }, received ${describeValue(datasets)}`, { field: 'datasets' });
  }
  return datasets.map((input: unknown, index) => {
    const field = `datasets[${index}]`;
    const { dataset, tags = [] } = (input ?? {}) as { dataset?: Partial<Dataset>; tags?: unknown };
    if (typeof dataset !== 'object' || dataset === null) {
      throw new TrackingError('INVALID_PARAMETER_VALUE', `Dataset cannot be None: ${field}.dataset is ${describeValue(dataset)}`, { field: `${field}.dataset` });
    }
    checkText(dataset.name, DATASET_LIMITS.name, `${field}.dataset.name`, 'dataset name');
    checkText(dataset.digest, DATASET_LIMITS.digest, `${field}.dataset.digest`, 'dataset digest');
    checkText(dataset.sourceType, Number.MAX_SAFE_INTEGER, `${field}.dataset.sourceType`, 'dataset source type');
    checkText(dataset.source, DATASET_LIMITS.source, `${field}.dataset.source`, 'dataset source');
    checkText(dataset.schema, DATASET_LIMITS.schema, `${field}.dataset.schema`, 'dataset schema', true);
    checkText(dataset.profile, DATASET_LIMITS.profile, `${field}.dataset.profile`, 'dataset profile', true);
    if (!Array.isArray(tags)) {
      throw new TrackingError('INVALID_PARAMETER_VALUE', `${field}.tags must be a list of { key, value }, received ${describeValue(tags)}`, { field: `${field}.tags` });
    }
    const cleanTags = tags.map((tag: unknown, tagIndex) => {
      const { key, value } = (tag ?? {}) as { key?: unknown; value?: unknown };
      checkText(key, DATASET_LIMITS.tagKey, `${field}.tags[${tagIndex}].key`, 'input tag key');
      checkText(value, DATASET_LIMITS.tagValue, `${field}.tags[${tagIndex}].value`, 'input tag value');
      return { key: key as string, value: value as string };
    });
    const clean: Dataset = { name: dataset.name!, digest: dataset.digest!, sourceType: dataset.sourceType!, source: dataset.source! };
    if (dataset.schema !== undefined) clean.schema = dataset.schema;
    if (dataset.profile !== undefined) clean.profile = dataset.profile;
    return { dataset: clean, tags: cleanTags };
  });
}

const identity = (dataset: Dataset): string => JSON.stringify([dataset.name, dataset.digest]);

/**
 * A run's inputs after logging `logged` (already checked), as MLflow's SQL store writes them: within the call the
 * first of each name and digest wins; an input the run already has is left as it was (its first tags); a new
 * input takes the dataset as `known` holds it (the experiment's copy, first logged) or as given, with its tags
 * ordered by key (the order MLflow reads them back in). Returns null when nothing changes.
 */
export function mergeDatasetInputs(
  current: readonly DatasetInput[],
  logged: readonly DatasetInput[],
  known: (name: string, digest: string) => Dataset | undefined,
): DatasetInput[] | null {
  const have = new Set(current.map((input) => identity(input.dataset)));
  const added: DatasetInput[] = [];
  for (const input of logged) {
    const id = identity(input.dataset);
    if (have.has(id)) continue;
    have.add(id);
    const byKey = new Map<string, string>();
    for (const tag of input.tags) if (!byKey.has(tag.key)) byKey.set(tag.key, tag.value);
    const tags = [...byKey].map(([key, value]) => ({ key, value })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    added.push({ dataset: { ...(known(input.dataset.name, input.dataset.digest) ?? input.dataset) }, tags });
  }
  return added.length ? [...current, ...added] : null;
}
