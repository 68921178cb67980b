// An example tracking-store plugin: everything in memory, under the scheme `memory`. It keeps MLflow's
// semantics by reusing Plugboard's rule helpers, and it passes the same conformance kit as the IndexedDB store.
import { defineTrackingStore } from 'plugboard/sdk';
import {
  applyBatch,
  experimentNameTaken,
  missingExperiment,
  missingRun,
  missingTag,
  renameOfInactiveExperiment,
  requireActiveExperiment,
  requireActiveRun,
  generateRunId,
  generateRunName,
  orderHistory,
  resolveRunName,
  selectExperiments,
  selectRuns,
  validateArtifactLocation,
  validateBatch,
  validateExperimentId,
  validateExperimentName,
  validateExperimentTag,
  validateKey,
  validateRunId,
  validateRunStatus,
  validateRunTag,
  historyIntervalFromHistories,
  mergeDatasetInputs,
  validateDatasetInputs,
  type CreateRunInput,
  type DatasetInput,
  type MetricHistoryIntervalInput,
  type MetricWithRunId,
  type Experiment,
  type ExperimentTag,
  type ExperimentsPage,
  type LogBatchInput,
  type Metric,
  type MetricInput,
  type Param,
  type Run,
  type RunInfo,
  type RunTag,
  type RunsPage,
  type SearchExperimentsInput,
  type SearchRunsInput,
  type TrackingStore,
  type UpdateRunInput,
} from '../../src/tracking/index.ts';
import { decodePageToken, encodePageToken } from '../../src/store-kit/index.ts';

interface StoredRun {
  run: Run;
  deletedTime: number | null;
  history: Map<string, Metric[]>;
}

interface StoredExperiment {
  experiment: Experiment;
  deletedTime: number | null;
}

const copy = <T>(value: T): T => structuredClone(value);

/**
 * A tracking store held in memory: fast, gone on reload. Each method reads and writes without awaiting in
 * between, so every call is atomic; a failed check throws before anything changes.
 */
export class MemoryTrackingStore implements TrackingStore {
  #experiments = new Map<string, StoredExperiment>();
  #runs = new Map<string, StoredRun>();
  #nextExperimentId = 1;
  #root: string;

  constructor(root = 'memory://default') {
    this.#root = root;
    const now = Date.now();
    this.#experiments.set('0', {
      experiment: { experimentId: '0', name: 'Default', artifactLocation: `${root}/0`, lifecycleStage: 'active', creationTime: now, lastUpdateTime: now, tags: [] },
      deletedTime: null,
    });
  }

  #experiment(experimentId: string): StoredExperiment {
    validateExperimentId(experimentId);
    const found = this.#experiments.get(experimentId);
    if (!found) throw missingExperiment(experimentId);
    return found;
  }

  #activeExperiment(experimentId: string): StoredExperiment {
    const found = this.#experiment(experimentId);
    requireActiveExperiment(experimentId, found.experiment.lifecycleStage);
    return found;
  }

  #touch(stored: StoredExperiment): void {
    stored.experiment.lastUpdateTime = Math.max(Date.now(), stored.experiment.lastUpdateTime + 1);
  }

  #run(runId: string): StoredRun {
    validateRunId(runId);
    const found = this.#runs.get(runId);
    if (!found) throw missingRun(runId);
    return found;
  }

  #activeRun(runId: string): StoredRun {
    const found = this.#run(runId);
    requireActiveRun(runId, found.run.info.lifecycleStage);
    return found;
  }

  async createExperiment(name: string, options: { artifactLocation?: string; tags?: ExperimentTag[] } = {}): Promise<string> {
    validateExperimentName(name);
    if (options.artifactLocation !== undefined) validateArtifactLocation(options.artifactLocation);
    (options.tags ?? []).forEach((tag, index) => validateExperimentTag(tag, `tags[${index}]`));
    if ([...this.#experiments.values()].some((stored) => stored.experiment.name === name)) {
      throw experimentNameTaken(name);
    }
    const experimentId = String(this.#nextExperimentId++);
    const now = Date.now();
    const tags = new Map((options.tags ?? []).map((tag) => [tag.key, tag.value]));
    this.#experiments.set(experimentId, {
      experiment: {
        experimentId,
        name,
        artifactLocation: options.artifactLocation ?? `${this.#root}/${experimentId}`,
        lifecycleStage: 'active',
        creationTime: now,
        lastUpdateTime: now,
        tags: [...tags].map(([key, value]) => ({ key, value })),
      },
      deletedTime: null,
    });
    return experimentId;
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    return copy(this.#experiment(experimentId).experiment);
  }

  async getExperimentByName(name: string): Promise<Experiment | null> {
    const found = [...this.#experiments.values()].find((stored) => stored.experiment.name === name);
    return found ? copy(found.experiment) : null;
  }

  async searchExperiments(input: SearchExperimentsInput = {}): Promise<ExperimentsPage> {
    return copy(selectExperiments([...this.#experiments.values()].map((stored) => stored.experiment), input));
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    validateExperimentName(newName, 'newName');
    const stored = this.#experiment(experimentId);
    if (stored.experiment.lifecycleStage !== 'active') throw renameOfInactiveExperiment(experimentId, stored.experiment.lifecycleStage);
    if (stored.experiment.name === newName) return;
    if ([...this.#experiments.values()].some((other) => other.experiment.name === newName)) {
      throw experimentNameTaken(newName, 'newName');
    }
    stored.experiment.name = newName;
    this.#touch(stored);
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    const stored = this.#experiment(experimentId);
    if (stored.experiment.lifecycleStage === 'deleted') throw missingExperiment(experimentId);
    const now = Date.now();
    for (const run of this.#runs.values()) {
      if (run.run.info.experimentId === experimentId && run.run.info.lifecycleStage === 'active') {
        run.run.info.lifecycleStage = 'deleted';
        run.deletedTime = now;
      }
    }
    stored.experiment.lifecycleStage = 'deleted';
    stored.deletedTime = now;
    this.#touch(stored);
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    const stored = this.#experiment(experimentId);
    if (stored.experiment.lifecycleStage === 'active') throw missingExperiment(experimentId);
    for (const run of this.#runs.values()) {
      if (run.run.info.experimentId === experimentId) {
        run.run.info.lifecycleStage = 'active';
        run.deletedTime = null;
      }
    }
    stored.experiment.lifecycleStage = 'active';
    stored.deletedTime = null;
    this.#touch(stored);
  }

  async setExperimentTag(experimentId: string, tag: ExperimentTag): Promise<void> {
    validateExperimentTag(tag);
    const stored = this.#activeExperiment(experimentId);
    const tags = new Map(stored.experiment.tags.map((item) => [item.key, item.value]));
    tags.set(tag.key, tag.value);
    stored.experiment.tags = [...tags].map(([key, value]) => ({ key, value }));
    this.#touch(stored);
  }

  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    validateKey(key, 'key', 'experiment tag key');
    const stored = this.#activeExperiment(experimentId);
    if (!stored.experiment.tags.some((tag) => tag.key === key)) {
      throw missingTag(key, 'experiment', experimentId);
    }
    stored.experiment.tags = stored.experiment.tags.filter((tag) => tag.key !== key);
    this.#touch(stored);
  }

  async createRun(input: CreateRunInput): Promise<Run> {
    const experiment = this.#activeExperiment(input.experimentId);
    const given = input.tags ?? [];
    given.forEach((tag, index) => validateRunTag(tag, `tags[${index}]`));
    const { runName, tags } = resolveRunName(input.runName, given, generateRunName);
    const runId = generateRunId();
    const run: Run = {
      info: {
        runId,
        runName,
        experimentId: input.experimentId,
        userId: input.userId ?? '',
        status: 'RUNNING',
        startTime: input.startTime ?? Date.now(),
        endTime: null,
        lifecycleStage: 'active',
        artifactUri: `${experiment.experiment.artifactLocation}/${runId}/artifacts`,
      },
      data: { metrics: [], params: [], tags },
      inputs: { datasetInputs: [] },
    };
    this.#runs.set(runId, { run, deletedTime: null, history: new Map() });
    return copy(run);
  }

  async getRun(runId: string): Promise<Run> {
    return copy(this.#run(runId).run);
  }

  async updateRunInfo(runId: string, input: UpdateRunInput): Promise<RunInfo> {
    if (input.status !== undefined) validateRunStatus(input.status);
    const stored = this.#activeRun(runId);
    const info = stored.run.info;
    if (input.status !== undefined) info.status = input.status;
    if (input.endTime !== undefined) info.endTime = input.endTime;
    if (input.runName) {
      const next = applyBatch(runId, info, stored.run.data, { metrics: [], params: [], tags: [{ key: 'mlflow.runName', value: input.runName }] });
      stored.run = next;
    }
    return copy(stored.run.info);
  }

  async deleteRun(runId: string): Promise<void> {
    const stored = this.#run(runId);
    if (stored.run.info.lifecycleStage === 'deleted') return;
    stored.run.info.lifecycleStage = 'deleted';
    stored.deletedTime = Date.now();
  }

  async restoreRun(runId: string): Promise<void> {
    const stored = this.#run(runId);
    stored.run.info.lifecycleStage = 'active';
    stored.deletedTime = null;
  }

  async logMetric(runId: string, metric: MetricInput): Promise<void> {
    await this.logBatch(runId, { metrics: [metric] });
  }

  async logParam(runId: string, param: Param): Promise<void> {
    await this.logBatch(runId, { params: [param] });
  }

  async setTag(runId: string, tag: RunTag): Promise<void> {
    await this.logBatch(runId, { tags: [tag] });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    validateKey(key, 'key', 'tag key');
    const stored = this.#activeRun(runId);
    if (!stored.run.data.tags.some((tag) => tag.key === key)) {
      throw missingTag(key, 'run', runId);
    }
    stored.run.data.tags = stored.run.data.tags.filter((tag) => tag.key !== key);
  }

  async logBatch(runId: string, batch: LogBatchInput): Promise<void> {
    validateRunId(runId);
    const checked = validateBatch(batch);
    const stored = this.#activeRun(runId);
    // applyBatch throws before anything changes, so the batch is all or nothing.
    stored.run = applyBatch(runId, stored.run.info, stored.run.data, checked);
    for (const metric of checked.metrics) {
      const list = stored.history.get(metric.key);
      if (list) list.push(metric);
      else stored.history.set(metric.key, [metric]);
    }
  }

  /** Logs dataset inputs as MLflow does: once per run by name and digest, the experiment's first copy of a dataset kept. */
  async logInputs(runId: string, datasets: readonly DatasetInput[]): Promise<void> {
    validateRunId(runId);
    const logged = validateDatasetInputs(datasets);
    const stored = this.#activeRun(runId);
    const known = (name: string, digest: string) =>
      [...this.#runs.values()]
        .filter((other) => other.run.info.experimentId === stored.run.info.experimentId)
        .flatMap((other) => other.run.inputs?.datasetInputs ?? [])
        .find((input) => input.dataset.name === name && input.dataset.digest === digest)?.dataset;
    const merged = mergeDatasetInputs(stored.run.inputs?.datasetInputs ?? [], logged, known);
    if (merged) stored.run.inputs = { datasetInputs: copy(merged) };
  }

  /** MLflow's chart read: each run's history sampled as MLflow's SQL store samples it. */
  async getMetricHistoryBulkInterval(input: MetricHistoryIntervalInput): Promise<MetricWithRunId[]> {
    return historyIntervalFromHistories(input, (runId, key) => this.getMetricHistory(runId, key));
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    validateKey(key, 'key', 'metric key');
    return copy(orderHistory(this.#runs.get(runId)?.history.get(key) ?? []));
  }

  /** One page of a metric's history (`maxResults` points from where `pageToken` left off), as MLflow pages it. */
  async getMetricHistoryPage(runId: string, key: string, options: { maxResults?: number; pageToken?: string | null } = {}): Promise<{ metrics: Metric[]; nextPageToken: string | null }> {
    const fingerprint = `history\u0000${runId}\u0000${key}`;
    const offset = decodePageToken(options.pageToken, fingerprint);
    const history = await this.getMetricHistory(runId, key);
    const end = options.maxResults === undefined ? history.length : offset + options.maxResults;
    return { metrics: history.slice(offset, end), nextPageToken: end < history.length ? encodePageToken(end, fingerprint) : null };
  }

  async searchRuns(input: SearchRunsInput): Promise<RunsPage> {
    return copy(selectRuns([...this.#runs.values()].map((stored) => stored.run), input));
  }
}

const stores = new Map<string, MemoryTrackingStore>();

/**
 * `mlflow.tracking_store` under `memory`: `memory://name` gives the page's one in-memory store of that name
 * (`memory:` means `memory://default`), so the same URI sees the same runs until the page unloads.
 */
export const memoryTrackingStore = defineTrackingStore<TrackingStore>((uri) => {
  const name = uri.replace(/^memory:(\/\/)?/i, '').split('/')[0] || 'default';
  let store = stores.get(name);
  if (!store) {
    store = new MemoryTrackingStore(`memory://${name}`);
    stores.set(name, store);
  }
  return store;
});
