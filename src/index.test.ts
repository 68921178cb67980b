import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The main entry's public surface, pinned: a change to it is a change to this list, made on purpose.
const VALUES = [
  'ManifestSchema', 'PlugboardError', 'RUN_STATUSES', 'RecordError', 'LOADER_BY_EXTENSION', 'Registry', 'STABLE_KINDS', 'TrackingError',
  'checkManifest', 'createHost', 'formatError', 'getAllStableNames', 'getDescription', 'isStableName', 'parseManifest',
  'PluginManager', 'PLUGINS_CHANGED', 'idbInstalledPlugins', 'memoryInstalledPlugins', 'InstalledPluginSchema', 'InstalledPluginsFileSchema', 'PluginBundleSchema',
].sort();

/** Every name, types included. */
const NAMES = [
  'ArtifactRepository', 'CreateRunInput', 'DataLoader', 'DataRecord', 'DevSourceStatus', 'EntryPoint', 'ErrorFields',
  'EvaluationColumns', 'EvaluationLogOptions', 'EvaluationProgress', 'EvaluationRequest', 'EvaluationResult',
  'EvaluationSource', 'Experiment', 'ExperimentTag', 'ExperimentsPage', 'FileInfo', 'FluentTracking',
  'FormatOptions', 'GeneralPlugin', 'Host', 'HostOptions', 'InstallPlan', 'InstalledPlugin', 'InstalledPluginSchema',
  'InstalledPluginStore', 'InstalledPluginsFile', 'InstalledPluginsFileSchema', 'LOADER_BY_EXTENSION',
  'LifecycleStage', 'LoadError', 'LoadReport', 'LoadStage', 'LogBatchInput', 'MODEL_VERSION_STAGES', 'Manifest',
  'ManifestCheck', 'ManifestSchema', 'ManifestSource', 'Metric', 'MetricAccumulator', 'MetricBatch',
  'MetricContext', 'MetricFunction', 'MetricInput', 'MetricMeta', 'MetricOption', 'MetricOptionType', 'MetricOptionValue',
  'MetricPoint', 'MetricResult', 'ModelFactory', 'ModelFileRecord', 'ModelProvenance', 'ModelRegistryStore', 'ModelVersion', 'ModelVersionStage',
  'ModelVersionStatus', 'ModelVersionsPage', 'ModuleDigest', 'ModuleInstallOptions', 'PLUGINS_CHANGED', 'Param', 'ParsedManifest',
  'PlugboardError', 'PluginBundle', 'PluginBundleSchema', 'PluginManager', 'PluginMeta', 'PluginProvenance', 'PluginStatus', 'PluginsChangedDetail',
  'RUN_STATUSES', 'RecordError', 'RegisteredModel', 'RegisteredModelAlias', 'RegisteredModelsPage', 'Registry',
  'RegistryOptions', 'RegistryTag', 'RequestHeaderProvider', 'Run', 'RunContextProvider', 'RunData', 'RunInfo',
  'RunStatus', 'RunTag', 'RunsPage', 'STABLE_KINDS', 'SearchExperimentsInput', 'SearchModelVersionsInput',
  'SearchRegisteredModelsInput', 'SearchRunsInput', 'SkippedRow', 'StableKind', 'StartRunOptions', 'StoreFactory',
  'Tokenizer', 'TokenizerFactory', 'TrackingError', 'TrackingStore', 'Trainer', 'TrainerContext', 'UpdateRunInput',
  'VersionNumber', 'ViewType', 'WorkerOutcome', 'WorkerPlan', 'WorkerPlugin', 'WorkerScorer', 'checkManifest',
  'createHost', 'formatError', 'getAllStableNames', 'getDescription', 'idbInstalledPlugins', 'isStableName',
  'memoryInstalledPlugins', 'parseManifest',
];

/** Every name `src/index.ts` exports, types included, as the TypeScript checker sees them. */
function exportedNames(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const configPath = join(here, '..', 'tsconfig.json');
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, dirname(configPath));
  const entry = join(here, 'index.ts');
  const program = ts.createProgram([entry, join(here, 'virtual-modules.d.ts')], config.options);
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  return checker.getExportsOfModule(symbol).map((exported) => exported.name).sort();
}

describe('the public surface of plugboard', () => {
  it('exports exactly the documented values at run time', async () => {
    expect(Object.keys(await import('./index.ts')).sort()).toEqual(VALUES);
  });

  it('keeps internals out: no manifest layering, adapter lookups, instance checks or loader environment', { timeout: 60_000 }, () => {
    const names = exportedNames();
    for (const internal of ['layerManifests', 'LayeredManifests', 'adapterFor', 'validateInstance', 'validatePlugin', 'STABLE_ADAPTERS', 'LoaderEnvironment', 'ImportMapConflict']) {
      expect(names, internal).not.toContain(internal);
    }
    expect(names).toEqual(NAMES);
  });
});
