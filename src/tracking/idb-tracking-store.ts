import type { IDBPDatabase } from 'idb';
import {
  DEFAULT_DB_NAME,
  openPlugboardDB,
  runInTransaction,
  type ExperimentRecord,
  type OpenOptions,
  type PlugboardSchema,
  type PlugboardStoreName,
  type PlugboardTransaction,
  type RunRecord,
} from '../storage/index.ts';
import { appendMetricPoints, chunkRange, pointsOfChunks } from './metric-history.ts';
import { applyRunChange, currentRuns, recordRunChange, toRun, type RunChange } from './run-index.ts';
import { generateRunId, generateRunName } from './run-name.ts';
import { applyBatch, orderHistory, resolveRunName } from './run-rules.ts';
import { historyIntervalFromHistories } from './history-interval.ts';
import { mergeDatasetInputs, validateDatasetInputs } from './dataset-inputs.ts';
import { compileRunSearch, pageRuns, selectExperiments } from './select.ts';
import {
  experimentNameTaken,
  missingExperiment,
  missingRun,
  missingTag,
  renameOfInactiveExperiment,
  requireActiveExperiment,
  requireActiveRun,
} from './store-errors.ts';
import { TrackingError, decodePageToken, encodePageToken, validateKey, validateMaxResults } from '../store-kit/index.ts';
import type {
  CreateRunInput,
  Dataset,
  DatasetInput,
  Experiment,
  ExperimentTag,
  ExperimentsPage,
  LogBatchInput,
  Metric,
  MetricHistoryIntervalInput,
  MetricInput,
  MetricWithRunId,
  Param,
  Run,
  RunInfo,
  RunTag,
  RunsPage,
  SearchExperimentsInput,
  SearchRunsInput,
  TrackingStore,
  UpdateRunInput,
} from './types.ts';
import {
  validateArtifactLocation,
  validateBatch,
  validateExperimentId,
  validateExperimentName,
  validateExperimentTag,
  validateRunId,
  validateRunStatus,
  validateRunTag,
} from './validation.ts';
import type { TruncatedValue } from './validation.ts';
import { warningOf, type PlugboardError } from '../errors/index.ts';

type ExperimentTransaction = PlugboardTransaction<['experiments', 'runs', 'runChanges', 'meta'], 'readwrite'>;

/** The id and name of the experiment every store starts with. */
export const DEFAULT_EXPERIMENT = Object.freeze({ id: '0', name: 'Default' });

/** Options of the IndexedDB tracking store. */
export interface IdbTrackingStoreOptions extends OpenOptions {
  /** The clock, in ms since the epoch. Default Date.now. */
  now?: () => number;
  /** Receives VALUE_TRUNCATED when a long param or tag value is cut to MLflow's limit; console.warn by default. */
  onWarning?: (warning: PlugboardError) => void;
}

/** The warning for param and tag values cut to MLflow's limits, naming each one. */
export function truncationWarning(runId: string, truncated: readonly TruncatedValue[]): PlugboardError {
  const listed = truncated.map((item) => `${item.field} ("${item.key}", ${item.length} characters cut to ${item.limit})`).join(', ');
  return warningOf({
    code: 'VALUE_TRUNCATED',
    field: truncated[0]?.field ?? 'batch',
    problem: `run ${runId}: ${listed}`,
    hint: 'MLflow cuts param values to 6000 and tag values to 8000 characters; log long text as an artifact instead.',
  });
}

function toExperiment(record: ExperimentRecord): Experiment {
  const { deletedTime: _deletedTime, ...experiment } = record;
  return experiment;
}

/**
 * MLflow's tracking store on Plugboard's IndexedDB database. A run is one record (info, latest metrics,
 * params, tags) so reads and searches take one pass; metric history lives in chunks. Every write is one
 * transaction, all or nothing.
 */
export class IdbTrackingStore implements TrackingStore {
  /** The IndexedDB database this store writes to. */
  readonly dbName: string;
  #options: OpenOptions;
  #now: () => number;
  #onWarning: (warning: PlugboardError) => void;
  #defaultReady: Promise<void> | undefined;

  constructor(dbName: string = DEFAULT_DB_NAME, options: IdbTrackingStoreOptions = {}) {
    this.dbName = dbName;
    const { now, onWarning, ...openOptions } = options;
    this.#options = openOptions;
    this.#now = now ?? Date.now;
    this.#onWarning = onWarning ?? ((warning) => console.warn(warning.message));
  }

  /** The default artifact location of an experiment: `idb://<database>/<experimentId>`. */
  defaultArtifactLocation(experimentId: string): string {
    return `idb://${this.dbName}/${experimentId}`;
  }

  async #db(): Promise<IDBPDatabase<PlugboardSchema>> {
    const db = await openPlugboardDB(this.dbName, this.#options);
    this.#defaultReady ??= this.#createDefaultExperiment(db).catch((error: unknown) => {
      this.#defaultReady = undefined;
      throw error;
    });
    await this.#defaultReady;
    return db;
  }

  /** Builds this page's run index in the background, so later writes keep it current and searches start warm. */
  #primeRunIndex(db: IDBPDatabase<PlugboardSchema>): void {
    void currentRuns(this.dbName, (work) => runInTransaction(db, ['meta', 'runs', 'runChanges'], 'readonly', 'indexing runs', work)).catch(() => undefined);
  }

  async #createDefaultExperiment(db: IDBPDatabase<PlugboardSchema>): Promise<void> {
    await runInTransaction(db, ['experiments', 'meta'], 'readwrite', 'creating the Default experiment', async (transaction) => {
      const experiments = transaction.objectStore('experiments');
      if (await experiments.get(DEFAULT_EXPERIMENT.id)) return;
      const now = this.#now();
      await experiments.add({
        experimentId: DEFAULT_EXPERIMENT.id,
        name: DEFAULT_EXPERIMENT.name,
        artifactLocation: this.defaultArtifactLocation(DEFAULT_EXPERIMENT.id),
        lifecycleStage: 'active',
        creationTime: now,
        lastUpdateTime: now,
        tags: [],
        deletedTime: null,
      });
      const counter = transaction.objectStore('meta');
      if (!(await counter.get('nextExperimentId'))) await counter.put({ key: 'nextExperimentId', value: 1 });
    });
    this.#primeRunIndex(db);
  }

  async #transaction<Stores extends PlugboardStoreName[], Mode extends IDBTransactionMode, T>(
    stores: Stores,
    mode: Mode,
    what: string,
    work: (transaction: PlugboardTransaction<Stores, Mode>) => Promise<T>,
  ): Promise<T> {
    return runInTransaction(await this.#db(), stores, mode, what, work);
  }

  // --- experiments -------------------------------------------------------------------------------------

  async createExperiment(name: string, options: { artifactLocation?: string; tags?: ExperimentTag[] } = {}): Promise<string> {
    validateExperimentName(name);
    if (options.artifactLocation !== undefined) validateArtifactLocation(options.artifactLocation);
    const tags = new Map<string, string>();
    (options.tags ?? []).forEach((tag, index) => {
      validateExperimentTag(tag, `tags[${index}]`);
      tags.set(tag.key, tag.value);
    });
    return this.#transaction(['experiments', 'meta'], 'readwrite', `creating experiment "${name}"`, async (transaction) => {
      const experiments = transaction.objectStore('experiments');
      if (await experiments.index('name').getKey(name)) {
        throw experimentNameTaken(name);
      }
      const counter = transaction.objectStore('meta');
      const next = Number((await counter.get('nextExperimentId'))?.value ?? 1);
      const experimentId = String(next);
      await counter.put({ key: 'nextExperimentId', value: next + 1 });
      const now = this.#now();
      await experiments.add({
        experimentId,
        name,
        artifactLocation: options.artifactLocation ?? this.defaultArtifactLocation(experimentId),
        lifecycleStage: 'active',
        creationTime: now,
        lastUpdateTime: now,
        tags: [...tags].map(([key, value]) => ({ key, value })),
        deletedTime: null,
      });
      return experimentId;
    });
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    validateExperimentId(experimentId);
    const record = await this.#transaction(['experiments'], 'readonly', `reading experiment ${experimentId}`, (transaction) =>
      transaction.objectStore('experiments').get(experimentId),
    );
    if (!record) throw missingExperiment(experimentId);
    return toExperiment(record);
  }

  async getExperimentByName(name: string): Promise<Experiment | null> {
    if (typeof name !== 'string') throw new TrackingError('INVALID_PARAMETER_VALUE', `an experiment name must be a string`, { field: 'name' });
    const record = await this.#transaction(['experiments'], 'readonly', `reading experiment "${name}"`, (transaction) =>
      transaction.objectStore('experiments').index('name').get(name),
    );
    return record ? toExperiment(record) : null;
  }

  async searchExperiments(input: SearchExperimentsInput = {}): Promise<ExperimentsPage> {
    // Compile first: a malformed filter fails before any read.
    selectExperiments([], input);
    const records = await this.#transaction(['experiments'], 'readonly', 'searching experiments', (transaction) =>
      transaction.objectStore('experiments').getAll(),
    );
    return selectExperiments(records.map(toExperiment), input);
  }

  async #updateExperiment(
    experimentId: string,
    what: string,
    change: (record: ExperimentRecord, transaction: ExperimentTransaction, changes: RunChange[]) => Promise<ExperimentRecord | null>,
  ): Promise<void> {
    validateExperimentId(experimentId);
    const changes: RunChange[] = [];
    await this.#transaction(['experiments', 'runs', 'runChanges', 'meta'], 'readwrite', what, async (transaction) => {
      const record = await transaction.objectStore('experiments').get(experimentId);
      if (!record) throw missingExperiment(experimentId);
      const updated = await change(record, transaction, changes);
      if (updated) await transaction.objectStore('experiments').put({ ...updated, lastUpdateTime: Math.max(this.#now(), record.lastUpdateTime + 1) });
    });
    for (const runChange of changes) applyRunChange(this.dbName, runChange);
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    validateExperimentName(newName, 'newName');
    await this.#updateExperiment(experimentId, `renaming experiment ${experimentId}`, async (record, transaction) => {
      if (record.lifecycleStage !== 'active') throw renameOfInactiveExperiment(experimentId, record.lifecycleStage);
      if (record.name === newName) return record;
      if (await transaction.objectStore('experiments').index('name').getKey(newName)) {
        throw experimentNameTaken(newName, 'newName');
      }
      return { ...record, name: newName };
    });
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    await this.#updateExperiment(experimentId, `deleting experiment ${experimentId}`, async (record, transaction, changes) => {
      // MLflow looks the experiment up among active ones only, so a deleted one is "not found".
      if (record.lifecycleStage === 'deleted') throw missingExperiment(experimentId);
      const now = this.#now();
      await this.#changeRunsOf(transaction, changes, experimentId, (run) =>
        run.info.lifecycleStage === 'active' ? { ...run, info: { ...run.info, lifecycleStage: 'deleted' }, deletedTime: now } : null,
      );
      return { ...record, lifecycleStage: 'deleted', deletedTime: now };
    });
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    await this.#updateExperiment(experimentId, `restoring experiment ${experimentId}`, async (record, transaction, changes) => {
      // MLflow looks the experiment up among deleted ones only, and brings back every run of it.
      if (record.lifecycleStage === 'active') throw missingExperiment(experimentId);
      await this.#changeRunsOf(transaction, changes, experimentId, (run) =>
        run.info.lifecycleStage === 'deleted' ? { ...run, info: { ...run.info, lifecycleStage: 'active' }, deletedTime: null } : null,
      );
      return { ...record, lifecycleStage: 'active', deletedTime: null };
    });
  }

  async #changeRunsOf(
    transaction: ExperimentTransaction,
    changes: RunChange[],
    experimentId: string,
    change: (run: RunRecord) => RunRecord | null,
  ): Promise<void> {
    const changed: RunRecord[] = [];
    let cursor = await transaction.objectStore('runs').index('experimentId').openCursor(experimentId);
    while (cursor) {
      const updated = change(cursor.value);
      if (updated) {
        await cursor.update(updated);
        changed.push(updated);
      }
      cursor = await cursor.continue();
    }
    const logged = await recordRunChange(transaction, changed);
    if (logged) changes.push(logged);
  }

  async setExperimentTag(experimentId: string, tag: ExperimentTag): Promise<void> {
    validateExperimentTag(tag);
    await this.#updateExperiment(experimentId, `setting a tag of experiment ${experimentId}`, async (record) => {
      requireActiveExperiment(experimentId, record.lifecycleStage);
      const tags = new Map(record.tags.map((item) => [item.key, item.value]));
      tags.set(tag.key, tag.value);
      return { ...record, tags: [...tags].map(([key, value]) => ({ key, value })) };
    });
  }

  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    validateKey(key, 'key', 'experiment tag key');
    await this.#updateExperiment(experimentId, `deleting a tag of experiment ${experimentId}`, async (record) => {
      requireActiveExperiment(experimentId, record.lifecycleStage);
      if (!record.tags.some((tag) => tag.key === key)) {
        throw missingTag(key, 'experiment', experimentId);
      }
      return { ...record, tags: record.tags.filter((tag) => tag.key !== key) };
    });
  }

  // --- runs --------------------------------------------------------------------------------------------

  async createRun(input: CreateRunInput): Promise<Run> {
    if (typeof input !== 'object' || input === null) throw new TrackingError('INVALID_PARAMETER_VALUE', 'createRun needs { experimentId }', { field: 'experimentId' });
    validateExperimentId(input.experimentId);
    const given = input.tags ?? [];
    given.forEach((tag, index) => validateRunTag(tag, `tags[${index}]`));
    if (input.runName !== undefined && typeof input.runName !== 'string') {
      throw new TrackingError('INVALID_PARAMETER_VALUE', `runName must be a string, received ${typeof input.runName}`, { field: 'runName' });
    }
    const startTime = input.startTime ?? this.#now();
    if (!Number.isSafeInteger(startTime) || startTime < 0) {
      throw new TrackingError('INVALID_PARAMETER_VALUE', `startTime must be an integer ≥ 0 (ms since the epoch), received ${String(startTime)}`, { field: 'startTime' });
    }
    const { runName, tags } = resolveRunName(input.runName, given, generateRunName);
    const runId = generateRunId();
    let change: RunChange | null = null;
    const run = await this.#transaction(['experiments', 'runs', 'runChanges', 'meta'], 'readwrite', `creating a run in experiment ${input.experimentId}`, async (transaction) => {
      const experiment = await transaction.objectStore('experiments').get(input.experimentId);
      if (!experiment) throw missingExperiment(input.experimentId);
      requireActiveExperiment(input.experimentId, experiment.lifecycleStage);
      const record: RunRecord = {
        runId,
        experimentId: input.experimentId,
        deletedTime: null,
        series: new Map(),
        info: {
          runId,
          runName,
          experimentId: input.experimentId,
          userId: input.userId ?? tags.find((tag) => tag.key === 'mlflow.user')?.value ?? '',
          status: 'RUNNING',
          startTime,
          endTime: null,
          lifecycleStage: 'active',
          artifactUri: `${experiment.artifactLocation}/${runId}/artifacts`,
        },
        data: { metrics: [], params: [], tags },
      };
      await transaction.objectStore('runs').add(record);
      change = await recordRunChange(transaction, [record]);
      return toRun(record);
    });
    applyRunChange(this.dbName, change);
    return structuredClone(run);
  }

  async getRun(runId: string): Promise<Run> {
    validateRunId(runId);
    const record = await this.#transaction(['runs'], 'readonly', `reading run ${runId}`, (transaction) => transaction.objectStore('runs').get(runId));
    if (!record) throw missingRun(runId);
    return toRun(record);
  }

  async #updateRun<T>(
    runId: string,
    what: string,
    change: (record: RunRecord, transaction: PlugboardTransaction<['runs', 'metricChunks', 'runChanges', 'meta'], 'readwrite'>) => Promise<{ record: RunRecord | null; result: T }>,
  ): Promise<T> {
    validateRunId(runId);
    let logged: RunChange | null = null;
    const result = await this.#transaction(['runs', 'metricChunks', 'runChanges', 'meta'], 'readwrite', what, async (transaction) => {
      const record = await transaction.objectStore('runs').get(runId);
      if (!record) throw missingRun(runId);
      const { record: updated, result } = await change(record, transaction);
      if (updated) {
        await transaction.objectStore('runs').put(updated);
        logged = await recordRunChange(transaction, [updated]);
      }
      return result;
    });
    applyRunChange(this.dbName, logged);
    // The index now holds the stored objects: hand out a copy.
    return result === undefined ? result : structuredClone(result);
  }

  async updateRunInfo(runId: string, input: UpdateRunInput): Promise<RunInfo> {
    const { status, endTime, runName } = input ?? {};
    if (status !== undefined) validateRunStatus(status);
    if (endTime !== undefined && endTime !== null && (!Number.isSafeInteger(endTime) || endTime < 0)) {
      throw new TrackingError('INVALID_PARAMETER_VALUE', `endTime must be an integer ≥ 0 (ms since the epoch) or null, received ${String(endTime)}`, { field: 'endTime' });
    }
    if (runName !== undefined && runName !== null && typeof runName !== 'string') {
      throw new TrackingError('INVALID_PARAMETER_VALUE', `runName must be a string, received ${typeof runName}`, { field: 'runName' });
    }
    return this.#updateRun(runId, `updating run ${runId}`, async (record) => {
      requireActiveRun(runId, record.info.lifecycleStage);
      const info: RunInfo = { ...record.info };
      if (status !== undefined) info.status = status;
      if (endTime !== undefined) info.endTime = endTime;
      let data = record.data;
      if (runName) {
        info.runName = runName;
        data = applyBatch(runId, info, data, { metrics: [], params: [], tags: [{ key: 'mlflow.runName', value: runName }] }).data;
      }
      return { record: { ...record, info, data }, result: info };
    });
  }

  async #setLifecycle(runId: string, stage: 'active' | 'deleted'): Promise<void> {
    await this.#updateRun(runId, `${stage === 'deleted' ? 'deleting' : 'restoring'} run ${runId}`, async (record) => {
      if (record.info.lifecycleStage === stage) return { record: null, result: undefined };
      return {
        record: { ...record, info: { ...record.info, lifecycleStage: stage }, deletedTime: stage === 'deleted' ? this.#now() : null },
        result: undefined,
      };
    });
  }

  async deleteRun(runId: string): Promise<void> {
    await this.#setLifecycle(runId, 'deleted');
  }

  async restoreRun(runId: string): Promise<void> {
    await this.#setLifecycle(runId, 'active');
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
    await this.#updateRun(runId, `deleting tag "${key}" of run ${runId}`, async (record) => {
      requireActiveRun(runId, record.info.lifecycleStage);
      if (!record.data.tags.some((tag) => tag.key === key)) {
        throw missingTag(key, 'run', runId);
      }
      return { record: { ...record, data: { ...record.data, tags: record.data.tags.filter((tag) => tag.key !== key) } }, result: undefined };
    });
  }

  async logBatch(runId: string, batch: LogBatchInput): Promise<void> {
    validateRunId(runId);
    const checked = validateBatch(batch, this.#now());
    if (checked.truncated.length) this.#onWarning(truncationWarning(runId, checked.truncated));
    await this.#updateRun(runId, `logging a batch to run ${runId}`, async (record, transaction) => {
      requireActiveRun(runId, record.info.lifecycleStage);
      if (checked.metrics.length + checked.params.length + checked.tags.length === 0) return { record: null, result: undefined };
      const { info, data } = applyBatch(runId, record.info, record.data, checked);
      const series = checked.metrics.length ? await appendMetricPoints(transaction, runId, record.series, checked.metrics) : record.series;
      return { record: { ...record, info, data, series }, result: undefined };
    });
  }

  async logInputs(runId: string, datasets: readonly DatasetInput[]): Promise<void> {
    validateRunId(runId);
    const logged = validateDatasetInputs(datasets);
    await this.#updateRun(runId, `logging dataset inputs of run ${runId}`, async (record, transaction) => {
      requireActiveRun(runId, record.info.lifecycleStage);
      const current = record.inputs?.datasetInputs ?? [];
      // MLflow keeps one dataset per experiment, name and digest: a run logging it again gets the first copy.
      const known = new Map<string, Dataset>();
      const wanted = new Set(logged.map((input) => JSON.stringify([input.dataset.name, input.dataset.digest])));
      if (logged.some((input) => !current.some((have) => have.dataset.name === input.dataset.name && have.dataset.digest === input.dataset.digest))) {
        let cursor = await transaction.objectStore('runs').index('experimentId').openCursor(record.experimentId);
        while (cursor) {
          for (const input of cursor.value.inputs?.datasetInputs ?? []) {
            const id = JSON.stringify([input.dataset.name, input.dataset.digest]);
            if (wanted.has(id) && !known.has(id)) known.set(id, input.dataset);
          }
          cursor = await cursor.continue();
        }
      }
      const merged = mergeDatasetInputs(current, logged, (name, digest) => known.get(JSON.stringify([name, digest])));
      return { record: merged ? { ...record, inputs: { datasetInputs: merged } } : null, result: undefined };
    });
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    validateRunId(runId);
    validateKey(key, 'key', 'metric key');
    const chunks = await this.#transaction(['runs', 'metricChunks'], 'readonly', `reading the history of "${key}" in run ${runId}`, async (transaction) => {
      // MLflow answers an unknown run with an empty history.
      return transaction.objectStore('metricChunks').getAll(chunkRange(runId, key));
    });
    return orderHistory(pointsOfChunks(key, chunks));
  }

  /**
   * One page of a metric's history, in getMetricHistory's order, as MLflow pages `metrics/get-history`:
   * `maxResults` points (all when absent) from where `pageToken` left off; `nextPageToken` is null on the last page.
   */
  async getMetricHistoryPage(runId: string, key: string, options: { maxResults?: number; pageToken?: string | null } = {}): Promise<{ metrics: Metric[]; nextPageToken: string | null }> {
    const fingerprint = `history\u0000${runId}\u0000${key}`;
    const offset = decodePageToken(options.pageToken, fingerprint);
    if (options.maxResults !== undefined) validateMaxResults(options.maxResults, Number.MAX_SAFE_INTEGER);
    const history = await this.getMetricHistory(runId, key);
    const end = options.maxResults === undefined ? history.length : offset + options.maxResults;
    return { metrics: history.slice(offset, end), nextPageToken: end < history.length ? encodePageToken(end, fingerprint) : null };
  }

  async getMetricHistoryBulkInterval(input: MetricHistoryIntervalInput): Promise<MetricWithRunId[]> {
    return historyIntervalFromHistories(input, (runId, key) => this.getMetricHistory(runId, key));
  }

  async searchRuns(input: SearchRunsInput): Promise<RunsPage> {
    const search = compileRunSearch(input);
    const db = await this.#db();
    const runs = await currentRuns(this.dbName, (work) => runInTransaction(db, ['meta', 'runs', 'runChanges'], 'readonly', 'searching runs', work));
    const page = pageRuns(runs.values(), search);
    // The index is shared by every search of this page: hand out copies.
    return { runs: structuredClone(page.runs), nextPageToken: page.nextPageToken };
  }
}
