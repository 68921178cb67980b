import {
  LIMITS,
  SEARCH_MAX_RESULTS_DEFAULT,
  TrackingError,
  hasTrackingCode,
  validateKey,
  validateMetric,
  validateRunId,
  validateRunStatus,
  type CreateRunInput,
  type Dataset,
  type DatasetInput,
  type Experiment,
  type ExperimentTag,
  type ExperimentsPage,
  type LogBatchInput,
  type Metric,
  type MetricHistoryIntervalInput,
  type MetricInput,
  type MetricWithRunId,
  type Param,
  type Run,
  type RunInfo,
  type RunTag,
  type RunsPage,
  type SearchExperimentsInput,
  type SearchRunsInput,
  type TrackingStore,
  type UpdateRunInput,
} from '../tracking/index.ts';
import { describeValue } from '../errors/index.ts';
import { RestClient, type RequestHeaders, type RestClientOptions } from './rest-client.ts';
import {
  fromWireExperiment,
  fromWireMetric,
  fromWireRun,
  fromWireRunInfo,
  toWireDouble,
  type WireExperiment,
  type WireMetric,
  type WireRun,
  type WireRunInfo,
} from './wire.ts';

const API = 'api/2.0/mlflow';

export type { Dataset, DatasetInput };

/** One page of a metric's history; `nextPageToken` is null on the last page. */
export interface MetricHistoryPage {
  metrics: Metric[];
  nextPageToken: string | null;
}

function requireString(value: unknown, field: string, what: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new TrackingError('INVALID_PARAMETER_VALUE', `${what} must be a string, received ${describeValue(value)}`, { field });
  }
}

/** Checks what the server cannot tell apart once serialised (a null or numeric value, a string metric). */
function checkBatchTypes(batch: LogBatchInput, now: number): { metrics: Metric[]; params: Param[]; tags: RunTag[] } {
  const metrics = (batch.metrics ?? []).map((metric, index) => validateMetric(metric, `metrics[${index}]`, now));
  const pairs = (list: readonly { key: string; value: string }[] | undefined, name: string): { key: string; value: string }[] =>
    (list ?? []).map((item, index) => {
      validateKey(item?.key, `${name}[${index}].key`);
      requireString(item.value, `${name}[${index}].value`, `${name === 'params' ? 'param' : 'tag'} "${item.key}" value`);
      return { key: item.key, value: item.value };
    });
  const params = pairs(batch.params, 'params');
  const tags = pairs(batch.tags, 'tags');
  const limits: [number, number, string][] = [
    [metrics.length, LIMITS.batchMetrics, 'metrics'],
    [params.length, LIMITS.batchParams, 'params'],
    [tags.length, LIMITS.batchTags, 'tags'],
    [metrics.length + params.length + tags.length, LIMITS.batchTotal, 'items'],
  ];
  for (const [count, limit, what] of limits) {
    if (count > limit) {
      throw new TrackingError('INVALID_PARAMETER_VALUE', `A batch logging request can contain at most ${limit} ${what}. Got ${count} ${what}.`, {
        field: what === 'items' ? 'batch' : what,
        hint: 'Split the batch, or log through the fluent API, which splits at the limits.',
      });
    }
  }
  return { metrics, params, tags };
}

const wireMetric = (metric: Metric) => ({ key: metric.key, value: toWireDouble(metric.value), timestamp: metric.timestamp, step: metric.step });

/**
 * MLflow's tracking store over a tracking server's REST API (`/api/2.0/mlflow/...`). The server holds every rule;
 * this store checks only what JSON cannot carry (a null param, a string metric) and the batch limits, before
 * sending anything. Single writes (logMetric, logParam) go through log-batch, as MLflow's own client does.
 */
export class RestTrackingStore implements TrackingStore {
  /** The client of the server, for the other stores of the same server. */
  readonly client: RestClient;

  constructor(baseUrl: string, options: RestClientOptions = {}) {
    this.client = new RestClient(baseUrl, options);
  }

  /** Sets the headers every request carries (credentials from request header providers). */
  useRequestHeaders(headers: RequestHeaders): void {
    this.client.useRequestHeaders(headers);
  }

  async createExperiment(name: string, options: { artifactLocation?: string; tags?: ExperimentTag[] } = {}): Promise<string> {
    requireString(name, 'name', 'the experiment name');
    const answer = await this.client.send<{ experiment_id: string }>(`${API}/experiments/create`, {
      name,
      ...(options.artifactLocation !== undefined ? { artifact_location: options.artifactLocation } : {}),
      ...(options.tags?.length ? { tags: options.tags } : {}),
    });
    return String(answer.experiment_id);
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const answer = await this.client.get<{ experiment: WireExperiment }>(`${API}/experiments/get`, { experiment_id: experimentId });
    return fromWireExperiment(answer.experiment);
  }

  async getExperimentByName(name: string): Promise<Experiment | null> {
    try {
      const answer = await this.client.get<{ experiment: WireExperiment }>(`${API}/experiments/get-by-name`, { experiment_name: name });
      return fromWireExperiment(answer.experiment);
    } catch (error) {
      if (hasTrackingCode(error, 'RESOURCE_DOES_NOT_EXIST')) return null;
      throw error;
    }
  }

  async searchExperiments(input: SearchExperimentsInput = {}): Promise<ExperimentsPage> {
    const answer = await this.client.send<{ experiments?: WireExperiment[]; next_page_token?: string }>(`${API}/experiments/search`, {
      view_type: input.viewType ?? 'ACTIVE_ONLY',
      // The server reads an absent max_results as 0 and refuses it; MLflow's client sends 1000.
      max_results: input.maxResults ?? SEARCH_MAX_RESULTS_DEFAULT,
      ...(input.filter ? { filter: input.filter } : {}),
      ...(input.orderBy?.length ? { order_by: input.orderBy } : {}),
      ...(input.pageToken ? { page_token: input.pageToken } : {}),
    });
    return { experiments: (answer.experiments ?? []).map(fromWireExperiment), nextPageToken: answer.next_page_token || null };
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    requireString(newName, 'newName', 'the new experiment name');
    await this.client.send(`${API}/experiments/update`, { experiment_id: experimentId, new_name: newName });
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    await this.client.send(`${API}/experiments/delete`, { experiment_id: experimentId });
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    await this.client.send(`${API}/experiments/restore`, { experiment_id: experimentId });
  }

  async setExperimentTag(experimentId: string, tag: ExperimentTag): Promise<void> {
    validateKey(tag?.key, 'tag.key');
    requireString(tag.value, 'tag.value', `tag "${tag.key}" value`);
    await this.client.send(`${API}/experiments/set-experiment-tag`, { experiment_id: experimentId, key: tag.key, value: tag.value });
  }

  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    await this.client.send(`${API}/experiments/delete-experiment-tag`, { experiment_id: experimentId, key });
  }

  async createRun(input: CreateRunInput): Promise<Run> {
    const answer = await this.client.send<{ run: WireRun }>(`${API}/runs/create`, {
      experiment_id: input.experimentId,
      start_time: input.startTime ?? Date.now(),
      ...(input.userId !== undefined ? { user_id: input.userId } : {}),
      ...(input.runName !== undefined && input.runName !== '' ? { run_name: input.runName } : {}),
      ...(input.tags?.length ? { tags: input.tags } : {}),
    });
    return fromWireRun(answer.run);
  }

  async getRun(runId: string): Promise<Run> {
    validateRunId(runId);
    const answer = await this.client.get<{ run: WireRun }>(`${API}/runs/get`, { run_id: runId });
    return fromWireRun(answer.run);
  }

  async updateRunInfo(runId: string, input: UpdateRunInput): Promise<RunInfo> {
    validateRunId(runId);
    // The server drops a status it does not know and answers as if none was given.
    if (input.status !== undefined) validateRunStatus(input.status);
    const answer = await this.client.send<{ run_info: WireRunInfo }>(`${API}/runs/update`, {
      run_id: runId,
      ...(input.status !== undefined ? { status: input.status } : {}),
      ...(input.endTime !== undefined && input.endTime !== null ? { end_time: input.endTime } : {}),
      ...(input.runName ? { run_name: input.runName } : {}),
    });
    return fromWireRunInfo(answer.run_info);
  }

  async deleteRun(runId: string): Promise<void> {
    await this.client.send(`${API}/runs/delete`, { run_id: runId });
  }

  async restoreRun(runId: string): Promise<void> {
    await this.client.send(`${API}/runs/restore`, { run_id: runId });
  }

  logMetric(runId: string, metric: MetricInput): Promise<void> {
    return this.logBatch(runId, { metrics: [metric] });
  }

  logParam(runId: string, param: Param): Promise<void> {
    return this.logBatch(runId, { params: [param] });
  }

  async setTag(runId: string, tag: RunTag): Promise<void> {
    validateKey(tag?.key, 'tag.key');
    requireString(tag.value, 'tag.value', `tag "${tag.key}" value`);
    await this.client.send(`${API}/runs/set-tag`, { run_id: runId, key: tag.key, value: tag.value });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.client.send(`${API}/runs/delete-tag`, { run_id: runId, key });
  }

  async logBatch(runId: string, batch: LogBatchInput): Promise<void> {
    validateRunId(runId);
    const { metrics, params, tags } = checkBatchTypes(batch, Date.now());
    await this.client.send(`${API}/runs/log-batch`, {
      run_id: runId,
      ...(metrics.length ? { metrics: metrics.map(wireMetric) } : {}),
      ...(params.length ? { params } : {}),
      ...(tags.length ? { tags } : {}),
    });
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    validateRunId(runId);
    const answer = await this.client.get<{ metrics?: WireMetric[] }>(`${API}/metrics/get-history`, { run_id: runId, metric_key: key });
    return (answer.metrics ?? []).map(fromWireMetric);
  }

  /** One page of a metric's history, in the server's order; `pageToken` comes from the page before. */
  async getMetricHistoryPage(runId: string, key: string, options: { maxResults?: number; pageToken?: string | null } = {}): Promise<MetricHistoryPage> {
    validateRunId(runId);
    const answer = await this.client.get<{ metrics?: WireMetric[]; next_page_token?: string }>(`${API}/metrics/get-history`, {
      run_id: runId,
      metric_key: key,
      max_results: options.maxResults,
      page_token: options.pageToken ?? undefined,
    });
    return { metrics: (answer.metrics ?? []).map(fromWireMetric), nextPageToken: answer.next_page_token || null };
  }

  /**
   * MLflow's chart read, `metrics/get-history-bulk-interval`, on the `ajax-api` path MLflow's own UI calls (the
   * route every server version with the call has); the server checks the arguments and samples.
   */
  async getMetricHistoryBulkInterval(input: MetricHistoryIntervalInput): Promise<MetricWithRunId[]> {
    const answer = await this.client.get<{ metrics?: (WireMetric & { run_id?: string })[] }>('ajax-api/2.0/mlflow/metrics/get-history-bulk-interval', {
      run_ids: input.runIds,
      metric_key: input.metricKey,
      start_step: input.startStep,
      end_step: input.endStep,
      max_results: input.maxResults,
    });
    return (answer.metrics ?? []).map((metric) => ({ ...fromWireMetric(metric), runId: metric.run_id ?? '' }));
  }

  async searchRuns(input: SearchRunsInput): Promise<RunsPage> {
    const answer = await this.client.send<{ runs?: WireRun[]; next_page_token?: string }>(`${API}/runs/search`, {
      experiment_ids: input.experimentIds,
      run_view_type: input.runViewType ?? 'ACTIVE_ONLY',
      ...(input.filter ? { filter: input.filter } : {}),
      ...(input.maxResults !== undefined ? { max_results: input.maxResults } : {}),
      ...(input.orderBy?.length ? { order_by: input.orderBy } : {}),
      ...(input.pageToken ? { page_token: input.pageToken } : {}),
    });
    return { runs: (answer.runs ?? []).map(fromWireRun), nextPageToken: answer.next_page_token || null };
  }

  /** Logs datasets as inputs of a run (`runs/log-inputs`); a dataset already logged with the same name and digest is kept once. */
  async logInputs(runId: string, datasets: readonly DatasetInput[]): Promise<void> {
    validateRunId(runId);
    await this.client.send(`${API}/runs/log-inputs`, {
      run_id: runId,
      datasets: datasets.map(({ dataset, tags }) => ({
        tags,
        dataset: {
          name: dataset.name,
          digest: dataset.digest,
          source_type: dataset.sourceType,
          source: dataset.source,
          ...(dataset.schema !== undefined ? { schema: dataset.schema } : {}),
          ...(dataset.profile !== undefined ? { profile: dataset.profile } : {}),
        },
      })),
    });
  }

  /** The datasets logged as inputs of a run, in the order the server lists them (the run's `inputs.datasetInputs`). */
  async getDatasetInputs(runId: string): Promise<DatasetInput[]> {
    return (await this.getRun(runId)).inputs?.datasetInputs ?? [];
  }
}
