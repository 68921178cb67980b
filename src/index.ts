// Plugboard's public API: the host, registries, manifests, errors. Plugin authors import 'plugboard/sdk' instead.
export { createHost } from './host/index.ts';
export { PluginManager, PLUGINS_CHANGED, idbInstalledPlugins, memoryInstalledPlugins, InstalledPluginSchema, InstalledPluginsFileSchema, PluginBundleSchema } from './lifecycle/index.ts';
export type { DevSourceStatus, InstallPlan, ModuleInstallOptions, PluginStatus, PluginsChangedDetail, InstalledPlugin, InstalledPluginsFile, InstalledPluginStore, PluginBundle } from './lifecycle/index.ts';
export type { Host, HostOptions, ManifestSource } from './host/index.ts';
export { Registry, getAllStableNames, isStableName, getDescription, STABLE_KINDS } from './registry/index.ts';
export type { RegistryOptions, StableKind } from './registry/index.ts';
export { ManifestSchema, checkManifest, parseManifest } from './manifest/index.ts';
export type { Manifest, EntryPoint, ParsedManifest, ManifestCheck } from './manifest/index.ts';
export type * from './adapters/plugin-types.ts';
export { PlugboardError, formatError } from './errors/index.ts';
export type { ErrorFields, FormatOptions, LoadStage } from './errors/index.ts';
export type { LoadError, LoadReport } from './loader/index.ts';
export { RecordError, LOADER_BY_EXTENSION } from './evaluation/index.ts';
export type {
  EvaluationRequest, EvaluationResult, EvaluationSource, EvaluationColumns, EvaluationProgress, EvaluationLogOptions, PluginProvenance, ModuleDigest, SkippedRow, WorkerScorer, WorkerPlan, WorkerPlugin, WorkerOutcome,
} from './evaluation/index.ts';
export { TrackingError, RUN_STATUSES } from './tracking/index.ts';
export type {
  RunStatus, LifecycleStage, ViewType, RunTag, ExperimentTag, Param, MetricInput, RunInfo, RunData, Run, Experiment,
  CreateRunInput, UpdateRunInput, LogBatchInput, SearchRunsInput, RunsPage, SearchExperimentsInput, ExperimentsPage, TrackingStore,
  Metric as MetricPoint,
} from './tracking/types.ts';
export type { FluentTracking, StartRunOptions } from './tracking/fluent.ts';
export type { ArtifactRepository, FileInfo } from './artifacts/index.ts';
export type * from './model-registry/types.ts';
