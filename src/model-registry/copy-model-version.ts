import { TrackingError, hasTrackingCode } from '../store-kit/index.ts';
import { parseModelUri, type ModelUri } from './parse-model-uri.ts';
import type { ModelRegistryStore, ModelVersion } from './types.ts';

/** The registry calls copying needs (any store has them). */
type CopySource = Pick<ModelRegistryStore, 'getModelVersion' | 'getModelVersionByAlias' | 'getLatestVersions' | 'createRegisteredModel' | 'createModelVersion'>;

/**
 * Resolves the version a `models:/` URI names, as MLflow's `get_model_name_and_version`: a version as given, an
 * alias through getModelVersionByAlias, a stage or `latest` as the highest of the latest versions (of that
 * stage, or of all). No version in that stage is RESOURCE_DOES_NOT_EXIST.
 */
export async function resolveModelUri(store: CopySource, parsed: ModelUri, uri: string): Promise<{ name: string; version: string }> {
  if ('version' in parsed) return { name: parsed.name, version: parsed.version };
  if ('alias' in parsed) return { name: parsed.name, version: (await store.getModelVersionByAlias(parsed.name, parsed.alias)).version };
  const latest = await store.getLatestVersions(parsed.name, 'stage' in parsed ? [parsed.stage] : undefined);
  if (latest.length === 0) {
    throw new TrackingError('RESOURCE_DOES_NOT_EXIST', `registered model "${parsed.name}" has no versions${'stage' in parsed ? ` in stage "${parsed.stage}"` : ''} (${uri})`, {
      field: 'srcModelUri',
      hint: 'Name a version that exists, or move one to that stage first.',
    });
  }
  return { name: parsed.name, version: String(Math.max(...latest.map((version) => Number(version.version)))) };
}

/**
 * Copies a model version into the registered model `dstName` (created when missing) as its next version, as
 * MLflow's `MlflowClient.copy_model_version` does: the copy's source is `models:/<name>/<version>` of the
 * original, and it keeps the original's run id, run link, tags and description (not its stage or aliases).
 * `srcModelUri` is any `models:/` URI (version, stage, `latest`, `@alias`); another scheme is
 * INVALID_PARAMETER_VALUE, a missing source version RESOURCE_DOES_NOT_EXIST.
 */
export async function copyModelVersion(store: CopySource, srcModelUri: string, dstName: string): Promise<ModelVersion> {
  const parsed = parseModelUri(srcModelUri, 'srcModelUri');
  const { name, version } = await resolveModelUri(store, parsed, srcModelUri);
  const source = await store.getModelVersion(name, version);
  try {
    await store.createRegisteredModel(dstName);
  } catch (error) {
    if (!hasTrackingCode(error, 'RESOURCE_ALREADY_EXISTS')) throw error;
  }
  return store.createModelVersion(
    dstName,
    `models:/${source.name}/${source.version}`,
    source.runId === '' ? undefined : source.runId,
    source.tags,
    source.description === '' ? undefined : source.description,
    source.runLink === '' ? undefined : source.runLink,
  );
}
