// Copying a run between two tracking stores (IndexedDB → an MLflow server and back): everything MLflow keeps
// of a run, written through the target store's ordinary calls.
import type { ArtifactRepository } from '../artifacts/types.ts';
import { LIMITS } from './validation.ts';
import type { DatasetInput, Metric, Run, TrackingStore } from './types.ts';

/** A dataset input of a run (MLflow's `DatasetInput`), for stores that keep them. */
export type CopiedDatasetInput = DatasetInput;

/** One side of a copy: its tracking store and how to open a run's artifacts there. */
export interface RunCopySide {
  store: TrackingStore;
  /** Opens the artifact repository of a run's `artifactUri`; without it, artifacts are not copied. */
  artifacts?: (artifactUri: string) => Promise<ArtifactRepository>;
}

/** What `copyRun` wrote. */
export interface RunCopy {
  run: Run;
  /** How many points of history were copied, over every metric. */
  metricPoints: number;
  /** The artifact paths copied. */
  artifacts: string[];
  /** The dataset inputs copied (0 when either store keeps none). */
  datasetInputs: number;
}

/** How far a copy has got: the stage it is in and, within it, how many of its items are done. */
export interface RunCopyProgress {
  /** `metrics` counts metric keys whose whole history is copied; `artifacts` counts files. */
  stage: 'run' | 'params' | 'metrics' | 'datasets' | 'artifacts' | 'done';
  done: number;
  total: number;
  /** The metric key or artifact path being copied, when the stage has one. */
  item?: string;
}

/** What a copy may be told besides where to write. */
export interface RunCopyOptions {
  /** Called as each stage starts and as each metric or artifact is done; a throw from it is not caught. */
  onProgress?: (progress: RunCopyProgress) => void;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/** Every file under `dir` of a repository, depth first, in listing order. */
async function filesUnder(repository: ArtifactRepository, dir?: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await repository.listArtifacts(dir)) {
    if (entry.isDir) files.push(...(await filesUnder(repository, entry.path)));
    else files.push(entry.path);
  }
  return files;
}

/**
 * Copies a run into `experimentId` of the target store: name, user, start and end time, status, tags, params, the
 * full history of every metric, dataset inputs (when both stores keep them) and every artifact. The copy gets a
 * new run ID and takes the source's status last; when a write fails the copy is soft-deleted (so no search shows
 * a partial run) and the error is rethrown.
 */
export async function copyRun(source: RunCopySide, runId: string, target: RunCopySide & { experimentId: string }, options: RunCopyOptions = {}): Promise<RunCopy> {
  const report = options.onProgress ?? (() => undefined);
  report({ stage: 'run', done: 0, total: 1 });
  const original = await source.store.getRun(runId);
  const { info, data } = original;
  const created = await target.store.createRun({
    experimentId: target.experimentId,
    runName: info.runName,
    startTime: info.startTime,
    ...(info.userId ? { userId: info.userId } : {}),
    tags: data.tags.filter((tag) => tag.key !== 'mlflow.runName').slice(0, LIMITS.batchTags),
  });
  const copyId = created.info.runId;
  try {
    const tags = data.tags.filter((tag) => tag.key !== 'mlflow.runName').slice(LIMITS.batchTags);
    for (const batch of chunks(tags, LIMITS.batchTags)) await target.store.logBatch(copyId, { tags: batch });
    report({ stage: 'params', done: 0, total: data.params.length });
    for (const batch of chunks(data.params, LIMITS.batchParams)) await target.store.logBatch(copyId, { params: batch });
    let metricPoints = 0;
    const keys = [...new Set(data.metrics.map((metric) => metric.key))];
    for (const [index, key] of keys.entries()) {
      report({ stage: 'metrics', done: index, total: keys.length, item: key });
      const history: Metric[] = await source.store.getMetricHistory(runId, key);
      metricPoints += history.length;
      for (const batch of chunks(history, LIMITS.batchMetrics)) await target.store.logBatch(copyId, { metrics: batch });
    }
    report({ stage: 'datasets', done: 0, total: 1 });
    const inputs = target.store.logInputs ? (original.inputs?.datasetInputs ?? []) : [];
    if (inputs.length) await target.store.logInputs!(copyId, inputs);
    const copied: string[] = [];
    if (source.artifacts && target.artifacts) {
      const from = await source.artifacts(info.artifactUri);
      const to = await target.artifacts(created.info.artifactUri);
      const paths = await filesUnder(from);
      for (const path of paths) {
        report({ stage: 'artifacts', done: copied.length, total: paths.length, item: path });
        await to.logArtifact(await from.downloadArtifact(path), path);
        copied.push(path);
      }
    }
    await target.store.updateRunInfo(copyId, { status: info.status, endTime: info.endTime });
    const copy = { run: await target.store.getRun(copyId), metricPoints, artifacts: copied, datasetInputs: inputs.length };
    report({ stage: 'done', done: 1, total: 1 });
    return copy;
  } catch (error) {
    await target.store.deleteRun(copyId).catch(() => undefined);
    throw error;
  }
}
