// Storage: Plugboard's one IndexedDB database — its schema, versioned upgrades, connections and transactions.
export { openPlugboardDB, closePlugboardDB } from './open-db.ts';
export type { OpenOptions } from './open-db.ts';
export { runInTransaction, storageError } from './run-in-transaction.ts';
export type { PlugboardTransaction } from './run-in-transaction.ts';
export { SCHEMA_VERSION, DEFAULT_DB_NAME } from './schema.ts';
export type {
  PlugboardSchema,
  PlugboardStoreName,
  ArtifactRecord,
  RegisteredModelRecord,
  ModelVersionRecord,
  ModelAliasRecord,
  MetaRecord,
  InstalledPluginRecord,
} from './schema.ts';
export { METRIC_CHUNK_SIZE, UPGRADES } from './upgrades.ts';
export type { UpgradeStep } from './upgrades.ts';
export type { RunRecord, ExperimentRecord, MetricChunkRecord, MetricSeriesState, LegacyMetricRecord, RunChangeRecord } from './records.ts';
