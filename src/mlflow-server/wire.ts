// MLflow's protobuf-JSON shapes (snake_case, defaults omitted, non-finite doubles as strings) and their
// conversion to and from Plugboard's camelCase entities.
import type { DatasetInput, Experiment, Metric, Run, RunInfo, RunStatus, LifecycleStage, RunTag } from '../tracking/index.ts';

/** A double as proto3 JSON carries it: a number, or "NaN", "Infinity", "-Infinity". */
export type WireDouble = number | 'NaN' | 'Infinity' | '-Infinity';

export interface WireTag { key?: string; value?: string }
export interface WireMetric { key?: string; value?: WireDouble | string; timestamp?: number | string; step?: number | string }
export interface WireExperiment {
  experiment_id?: string;
  name?: string;
  artifact_location?: string;
  lifecycle_stage?: string;
  creation_time?: number | string;
  last_update_time?: number | string;
  tags?: WireTag[];
}
export interface WireRunInfo {
  run_id?: string;
  run_uuid?: string;
  run_name?: string;
  experiment_id?: string;
  user_id?: string;
  status?: string;
  start_time?: number | string;
  end_time?: number | string;
  artifact_uri?: string;
  lifecycle_stage?: string;
}
export interface WireDataset { name?: string; digest?: string; source_type?: string; source?: string; schema?: string; profile?: string }
export interface WireDatasetInput { tags?: WireTag[]; dataset?: WireDataset }
export interface WireRun {
  info?: WireRunInfo;
  data?: { metrics?: WireMetric[]; params?: WireTag[]; tags?: WireTag[] };
  inputs?: { dataset_inputs?: WireDatasetInput[] };
}

/** Writes a double as proto3 JSON does, so NaN and ±Infinity reach the server (JSON.stringify would send null). */
export function toWireDouble(value: number): WireDouble {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

/** Reads a proto3 JSON double: a number, or the strings "NaN", "Infinity", "-Infinity" (any other string is parsed). */
export function fromWireDouble(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return value === undefined || value === null ? 0 : Number(value);
}

/** Reads an int64 that MLflow sends as a number (or, from older servers, a string); absent is 0. */
export function fromWireInt(value: unknown): number {
  return value === undefined || value === null ? 0 : Number(value);
}

export const fromWireTags = (tags: WireTag[] | undefined): RunTag[] => (tags ?? []).map((tag) => ({ key: tag.key ?? '', value: tag.value ?? '' }));

export const fromWireMetric = (metric: WireMetric): Metric => ({
  key: metric.key ?? '',
  value: fromWireDouble(metric.value),
  timestamp: fromWireInt(metric.timestamp),
  step: fromWireInt(metric.step),
});

export function fromWireExperiment(experiment: WireExperiment): Experiment {
  return {
    experimentId: experiment.experiment_id ?? '',
    name: experiment.name ?? '',
    artifactLocation: experiment.artifact_location ?? '',
    lifecycleStage: (experiment.lifecycle_stage ?? 'active') as LifecycleStage,
    creationTime: fromWireInt(experiment.creation_time),
    lastUpdateTime: fromWireInt(experiment.last_update_time),
    tags: fromWireTags(experiment.tags),
  };
}

export function fromWireRunInfo(info: WireRunInfo): RunInfo {
  return {
    runId: info.run_id ?? info.run_uuid ?? '',
    runName: info.run_name ?? '',
    experimentId: info.experiment_id ?? '',
    userId: info.user_id ?? '',
    status: (info.status ?? 'RUNNING') as RunStatus,
    startTime: fromWireInt(info.start_time),
    endTime: info.end_time === undefined || info.end_time === null ? null : fromWireInt(info.end_time),
    lifecycleStage: (info.lifecycle_stage ?? 'active') as LifecycleStage,
    artifactUri: info.artifact_uri ?? '',
  };
}

/** Reads a dataset input; absent strings are empty (proto defaults), absent schema and profile stay absent. */
export function fromWireDatasetInput(input: WireDatasetInput): DatasetInput {
  const dataset = input.dataset ?? {};
  return {
    dataset: {
      name: dataset.name ?? '',
      digest: dataset.digest ?? '',
      sourceType: dataset.source_type ?? '',
      source: dataset.source ?? '',
      ...(dataset.schema !== undefined ? { schema: dataset.schema } : {}),
      ...(dataset.profile !== undefined ? { profile: dataset.profile } : {}),
    },
    tags: fromWireTags(input.tags),
  };
}

export function fromWireRun(run: WireRun): Run {
  return {
    info: fromWireRunInfo(run.info ?? {}),
    data: {
      metrics: (run.data?.metrics ?? []).map(fromWireMetric),
      params: fromWireTags(run.data?.params),
      tags: fromWireTags(run.data?.tags),
    },
    inputs: { datasetInputs: (run.inputs?.dataset_inputs ?? []).map(fromWireDatasetInput) },
  };
}
