import { describeValue } from '../errors/index.ts';
import { TrackingError, validateKey, validateMaxResults } from '../store-kit/index.ts';
import { MODEL_VERSION_STAGES, type ModelVersionStage, type RegistryTag } from './types.ts';

/** MLflow's registry limits (`mlflow/utils/validation.py`, `mlflow/store/model_registry/__init__.py`). */
export const REGISTRY_LIMITS = Object.freeze({
  tagValueLength: 100_000,
  aliasLength: 255,
  registeredModelsDefault: 100,
  registeredModelsMax: 1000,
  modelVersionsDefault: 10_000,
  modelVersionsMax: 200_000,
});

function invalid(problem: string, field: string, hint?: string): TrackingError {
  return new TrackingError('INVALID_PARAMETER_VALUE', problem, hint === undefined ? { field } : { field, hint });
}

/** Checks a registered model name: a non-empty string. */
export function validateModelName(name: unknown, field = 'name'): asserts name is string {
  if (typeof name !== 'string') throw invalid(`a registered model name must be a string, received ${describeValue(name)}`, field);
  if (name === '') throw invalid('a registered model name cannot be empty', field, 'Give the model a name, for example "sentiment-classifier".');
}

/**
 * Reads a version number given as `3` or `"3"`, as MLflow's `int(version)`: any whole number passes (0 and -1
 * name versions that never exist, so reading them is RESOURCE_DOES_NOT_EXIST); anything else is
 * INVALID_PARAMETER_VALUE.
 */
export function parseVersion(version: unknown, field = 'version'): number {
  const number = typeof version === 'number' ? version : typeof version === 'string' && /^\s*[+-]?\d+\s*$/.test(version) ? Number(version.trim()) : Number.NaN;
  if (!Number.isSafeInteger(number)) {
    throw invalid(`a model version must be a whole number, received ${typeof version === 'string' ? `"${version}"` : String(version)}`, field);
  }
  return number;
}

/** Checks a registry tag: a valid key (as run tag keys) and a string value of at most 100,000 characters (MLflow 3). */
export function validateRegistryTag(tag: unknown, field = 'tag'): asserts tag is RegistryTag {
  if (typeof tag !== 'object' || tag === null) throw invalid(`a tag must be { key, value }, received ${describeValue(tag)}`, field);
  const { key, value } = tag as { key?: unknown; value?: unknown };
  validateKey(key, `${field}.key`, 'tag key');
  if (typeof value !== 'string') throw invalid(`tag "${key}" value must be a string, received ${describeValue(value)}`, `${field}.value`);
  if (value.length > REGISTRY_LIMITS.tagValueLength) {
    throw invalid(`tag "${key}" value is ${value.length} characters long; the limit is ${REGISTRY_LIMITS.tagValueLength}`, `${field}.value`);
  }
}

/** Checks a list of tags (or undefined); the last occurrence of a key wins, as in MLflow. */
export function validateRegistryTags(tags: unknown, field = 'tags'): RegistryTag[] {
  if (tags === undefined || tags === null) return [];
  if (!Array.isArray(tags)) throw invalid(`tags must be a list of { key, value }, received ${describeValue(tags)}`, field);
  tags.forEach((tag, index) => validateRegistryTag(tag, `${field}[${index}]`));
  return mergeTags([], tags as RegistryTag[]);
}

/** Returns `existing` with `updates` applied by key (last write wins), sorted by key. */
export function mergeTags(existing: readonly RegistryTag[], updates: readonly RegistryTag[]): RegistryTag[] {
  const byKey = new Map(existing.map((tag) => [tag.key, tag.value]));
  for (const { key, value } of updates) byKey.set(key, value);
  return [...byKey].map(([key, value]) => ({ key, value })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Checks an alias name as MLflow does: 1–255 word characters or dashes; `latest` and `v<digits>` (any case)
 * are reserved because model URIs already use them.
 */
export function validateAlias(alias: unknown, field = 'alias'): asserts alias is string {
  const hint = 'Use letters, digits, _ and -, such as "champion"; "latest" and "v<number>" are reserved.';
  if (typeof alias !== 'string') throw invalid(`an alias must be a string, received ${describeValue(alias)}`, field, hint);
  if (alias === '') throw invalid('an alias cannot be empty', field, hint);
  if (alias.length > REGISTRY_LIMITS.aliasLength) throw invalid(`alias "${alias.slice(0, 40)}…" is longer than ${REGISTRY_LIMITS.aliasLength} characters`, field, hint);
  if (!/^[\p{L}\p{N}_-]+$/u.test(alias)) throw invalid(`alias "${alias}" has characters other than letters, digits, _ and -`, field, hint);
  if (alias.toLowerCase() === 'latest') throw invalid(`alias "${alias}" is reserved`, field, hint);
  if (/^v\d+$/i.test(alias)) throw invalid(`alias "${alias}" is reserved: it reads as a version reference`, field, hint);
}

/** Returns the canonical stage of a name given in any case (`production` → `Production`). */
export function canonicalStage(stage: unknown, field = 'stage'): ModelVersionStage {
  const found = typeof stage === 'string' ? MODEL_VERSION_STAGES.find((name) => name.toLowerCase() === stage.toLowerCase()) : undefined;
  if (found === undefined) {
    throw invalid(`"${String(stage)}" is not a model version stage`, field, `Use one of ${MODEL_VERSION_STAGES.join(', ')} (any case).`);
  }
  return found;
}

/** Checks a description: a string (empty allowed). */
export function validateDescription(description: unknown, field = 'description'): asserts description is string {
  if (typeof description !== 'string') throw invalid(`a description must be a string, received ${describeValue(description)}`, field);
}

/** Checks a page size: a whole number from 1 to `max`. */
export function validatePageSize(maxResults: unknown, max: number): asserts maxResults is number {
  validateMaxResults(maxResults, max);
}
