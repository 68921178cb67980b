// How the registry is kept in IndexedDB, and how records turn into MLflow's entities.
//
// `registeredModels` holds one record per model (keyPath name) with its tags and `nextVersion`, the number the
// next version gets: it only grows, so a deleted version's number is never given out again. `modelVersions`
// holds one record per live version (keyPath [name, version]); `modelAliases` one per alias ([name, alias]).
// Every record of a model sorts between [name] and [name, []] in the last two stores, so one key range
// reaches all of a model's versions or aliases.

import type { IDBPTransaction } from 'idb';
import type { PlugboardSchema, PlugboardStoreName } from '../storage/index.ts';
import { TrackingError } from '../store-kit/index.ts';
import type { ModelVersion, ModelVersionStage, RegisteredModel, RegistryTag } from './types.ts';

/** A registered model as stored. */
export interface StoredRegisteredModel {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description: string;
  tags: RegistryTag[];
  /** The number the next version gets; never decreases. */
  nextVersion: number;
  [field: string]: unknown;
}

/**
 * A model version as stored; `version` is a number so that versions sort numerically, and aliases live in their
 * own store. `storageLocation` is where the files are when the source is another version (`models:/name/3`).
 */
export type StoredModelVersion = Omit<ModelVersion, 'version' | 'aliases'> & { version: number; storageLocation?: string; [field: string]: unknown };

/** An alias as stored. */
export interface StoredAlias {
  name: string;
  alias: string;
  version: number;
  [field: string]: unknown;
}

/** A transaction over the registry stores (typed read-write; read-only work just never writes). */
export type RegistryTransaction = IDBPTransaction<PlugboardSchema, PlugboardStoreName[], 'readwrite'>;

/** The key range of every version or alias record of the model `name`. */
export function recordsOfModel(name: string): IDBKeyRange {
  return IDBKeyRange.bound([name], [name, []], true, true);
}

/** The error for an unknown registered model. */
export function modelNotFound(name: string): TrackingError {
  return new TrackingError('RESOURCE_DOES_NOT_EXIST', `registered model "${name}" does not exist`, {
    field: 'name',
    hint: 'Create it with createRegisteredModel, or check the name with searchRegisteredModels.',
  });
}

/** The error for an unknown (or deleted) model version. */
export function versionNotFound(name: string, version: number): TrackingError {
  return new TrackingError('RESOURCE_DOES_NOT_EXIST', `model version ${version} of "${name}" does not exist`, {
    field: 'version',
    hint: 'List the versions with searchModelVersions({ filter: "name = \'…\'" }).',
  });
}

/** Reads a registered model inside a transaction, or fails with RESOURCE_DOES_NOT_EXIST. */
export async function readModel(transaction: RegistryTransaction, name: string): Promise<StoredRegisteredModel> {
  const record = (await transaction.objectStore('registeredModels').get(name)) as StoredRegisteredModel | undefined;
  if (!record) throw modelNotFound(name);
  return record;
}

/** Reads a model version inside a transaction, or fails with RESOURCE_DOES_NOT_EXIST. */
export async function readVersion(transaction: RegistryTransaction, name: string, version: number): Promise<StoredModelVersion> {
  const record = (await transaction.objectStore('modelVersions').get([name, version])) as StoredModelVersion | undefined;
  if (!record) throw versionNotFound(name, version);
  return record;
}

/** Reads every version of a model, by version number. */
export async function readVersionsOf(transaction: RegistryTransaction, name: string): Promise<StoredModelVersion[]> {
  return (await transaction.objectStore('modelVersions').getAll(recordsOfModel(name))) as StoredModelVersion[];
}

/** Reads every alias of a model, by alias. */
export async function readAliasesOf(transaction: RegistryTransaction, name: string): Promise<StoredAlias[]> {
  return (await transaction.objectStore('modelAliases').getAll(recordsOfModel(name))) as StoredAlias[];
}

/** Turns a stored version into MLflow's entity, with the aliases (of its model) that point at it. */
export function toModelVersion(record: StoredModelVersion, aliases: readonly StoredAlias[]): ModelVersion {
  return {
    name: record.name,
    version: String(record.version),
    creationTimestamp: record.creationTimestamp,
    lastUpdatedTimestamp: record.lastUpdatedTimestamp,
    userId: record.userId,
    currentStage: record.currentStage,
    description: record.description,
    source: record.source,
    runId: record.runId,
    runLink: record.runLink,
    status: record.status,
    statusMessage: record.statusMessage,
    tags: record.tags.map((tag) => ({ ...tag })),
    aliases: aliases.filter((alias) => alias.name === record.name && alias.version === record.version).map((alias) => alias.alias).sort(),
  };
}

/** The newest live version of each stage, sorted by version number. */
export function latestVersionsOf(versions: readonly StoredModelVersion[]): StoredModelVersion[] {
  const latest = new Map<ModelVersionStage, StoredModelVersion>();
  for (const version of versions) {
    const current = latest.get(version.currentStage);
    if (!current || current.version < version.version) latest.set(version.currentStage, version);
  }
  return [...latest.values()].sort((a, b) => a.version - b.version);
}

/**
 * Turns a stored model, its versions and its aliases into MLflow's entity. Its latest versions list no aliases,
 * as MLflow's server gives them (the model's own `aliases` say where each points).
 */
export function toRegisteredModel(record: StoredRegisteredModel, versions: readonly StoredModelVersion[], aliases: readonly StoredAlias[]): RegisteredModel {
  return {
    name: record.name,
    creationTimestamp: record.creationTimestamp,
    lastUpdatedTimestamp: record.lastUpdatedTimestamp,
    description: record.description,
    latestVersions: latestVersionsOf(versions).map((version) => toModelVersion(version, [])),
    tags: record.tags.map((tag) => ({ ...tag })),
    aliases: aliases.map((alias) => ({ alias: alias.alias, version: String(alias.version) })),
  };
}

/** Reads a model with its versions and aliases and returns the entity. */
export async function readRegisteredModel(transaction: RegistryTransaction, name: string): Promise<RegisteredModel> {
  const record = await readModel(transaction, name);
  const [versions, aliases] = [await readVersionsOf(transaction, name), await readAliasesOf(transaction, name)];
  return toRegisteredModel(record, versions, aliases);
}
