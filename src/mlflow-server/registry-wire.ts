// The model registry's protobuf-JSON shapes (snake_case, unset fields omitted) and their conversion to
// Plugboard's camelCase entities: unset strings read as '', tags sort by key and aliases by name, as the
// IndexedDB registry gives them.
import type { ModelVersion, ModelVersionStage, ModelVersionStatus, RegisteredModel, RegisteredModelAlias, RegistryTag } from '../model-registry/index.ts';
import { fromWireInt, type WireTag } from './wire.ts';

export interface WireModelVersion {
  name?: string;
  version?: string | number;
  creation_timestamp?: number | string;
  last_updated_timestamp?: number | string;
  user_id?: string;
  current_stage?: string;
  description?: string;
  source?: string;
  run_id?: string;
  run_link?: string;
  status?: string;
  status_message?: string;
  tags?: WireTag[];
  aliases?: string[];
}

export interface WireRegisteredModel {
  name?: string;
  creation_timestamp?: number | string;
  last_updated_timestamp?: number | string;
  description?: string;
  latest_versions?: WireModelVersion[];
  tags?: WireTag[];
  aliases?: { alias?: string; version?: string | number }[];
}

const byKey = (a: { key: string }, b: { key: string }): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Reads registry tags, sorted by key. */
export const fromWireRegistryTags = (tags: WireTag[] | undefined): RegistryTag[] =>
  (tags ?? []).map((tag) => ({ key: tag.key ?? '', value: tag.value ?? '' })).sort(byKey);

/** Reads a model version; absent strings are '', absent aliases none. */
export function fromWireModelVersion(version: WireModelVersion): ModelVersion {
  return {
    name: version.name ?? '',
    version: String(version.version ?? ''),
    creationTimestamp: fromWireInt(version.creation_timestamp),
    lastUpdatedTimestamp: fromWireInt(version.last_updated_timestamp),
    userId: version.user_id ?? '',
    currentStage: (version.current_stage ?? 'None') as ModelVersionStage,
    description: version.description ?? '',
    source: version.source ?? '',
    runId: version.run_id ?? '',
    runLink: version.run_link ?? '',
    status: (version.status ?? 'READY') as ModelVersionStatus,
    statusMessage: version.status_message ?? '',
    tags: fromWireRegistryTags(version.tags),
    aliases: [...(version.aliases ?? [])].sort(),
  };
}

/** Reads a registered model; latest versions sort by version number, aliases by name. */
export function fromWireRegisteredModel(model: WireRegisteredModel): RegisteredModel {
  const aliases: RegisteredModelAlias[] = (model.aliases ?? [])
    .map((alias) => ({ alias: alias.alias ?? '', version: String(alias.version ?? '') }))
    .sort((a, b) => (a.alias < b.alias ? -1 : a.alias > b.alias ? 1 : 0));
  return {
    name: model.name ?? '',
    creationTimestamp: fromWireInt(model.creation_timestamp),
    lastUpdatedTimestamp: fromWireInt(model.last_updated_timestamp),
    description: model.description ?? '',
    latestVersions: (model.latest_versions ?? []).map(fromWireModelVersion).sort((a, b) => Number(a.version) - Number(b.version)),
    tags: fromWireRegistryTags(model.tags),
    aliases,
  };
}
