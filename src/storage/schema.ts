import type { DBSchema } from 'idb';
import type { RunRecord, ExperimentRecord, MetricChunkRecord, RunChangeRecord } from './records.ts';

/** The schema version this code opens; each version's steps live in `upgrades.ts`. */
export const SCHEMA_VERSION = 3;

/** The database a host opens when the URI names none (`idb:` → `plugboard`). */
export const DEFAULT_DB_NAME = 'plugboard';

/**
 * One artifact record under a repository root (a run's artifact URI) at a relative POSIX path: a file's entry
 * or one slice of its bytes. The record layout belongs to the artifact repository (`src/artifacts/`).
 */
export interface ArtifactRecord {
  root: string;
  path: string;
  [field: string]: unknown;
}

/** A registered model of the model registry, keyed by its unique name. */
export interface RegisteredModelRecord {
  name: string;
  [field: string]: unknown;
}

/** A model version, keyed by model name and its auto-incremented version number. */
export interface ModelVersionRecord {
  name: string;
  version: number;
  [field: string]: unknown;
}

/** An alias (`champion`) pointing at one version of a registered model. */
export interface ModelAliasRecord {
  name: string;
  alias: string;
  version: number;
  [field: string]: unknown;
}

/**
 * A plugin a person installed, keyed by group and name. The record layout belongs to the plugin manager
 * (`src/lifecycle/`), which validates it on the way in and out.
 */
export interface InstalledPluginRecord {
  group: string;
  name: string;
  [field: string]: unknown;
}

/** A small key/value record for counters (the next experiment id). */
export interface MetaRecord {
  key: string;
  value: number | string;
}

/**
 * Plugboard's IndexedDB layout at `SCHEMA_VERSION` (2). Version 1 held metric points one record each in a
 * `metrics` store; version 2 replaces it with `metricChunks` (parallel arrays of step/timestamp/value per
 * run and key, up to METRIC_CHUNK_SIZE points a record) and adds `runChanges`, a log of which runs each
 * write touched, so a page's in-memory run index catches up with other tabs by reading only what changed.
 * Version 3 adds `installedPlugins`, the plugins a person installed (the user manifest, layered above the others).
 */
export interface PlugboardSchema extends DBSchema {
  meta: { key: string; value: MetaRecord };
  experiments: { key: string; value: ExperimentRecord; indexes: { name: string } };
  runs: { key: string; value: RunRecord; indexes: { experimentId: string } };
  metricChunks: { key: [string, string, number]; value: MetricChunkRecord; indexes: { runId: string } };
  runChanges: { key: number; value: RunChangeRecord };
  artifacts: { key: [string, string]; value: ArtifactRecord; indexes: { root: string } };
  registeredModels: { key: string; value: RegisteredModelRecord };
  modelVersions: { key: [string, number]; value: ModelVersionRecord; indexes: { name: string } };
  modelAliases: { key: [string, string]; value: ModelAliasRecord; indexes: { name: string } };
  installedPlugins: { key: [string, string]; value: InstalledPluginRecord };
}

/** The object store names of the current schema. */
export type PlugboardStoreName =
  | 'meta'
  | 'experiments'
  | 'runs'
  | 'metricChunks'
  | 'runChanges'
  | 'artifacts'
  | 'registeredModels'
  | 'modelVersions'
  | 'modelAliases'
  | 'installedPlugins';
