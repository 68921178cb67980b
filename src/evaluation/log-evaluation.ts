import { digest as digestBytes } from '../loader/index.ts';
import { modelProvenanceTag, modelTagValue } from '../adapters/index.ts';
import type { DatasetInput, TrackingStore } from '../tracking/index.ts';
import type { EvaluationLogOptions, EvaluationResult, EvaluationSource, PluginProvenance } from './evaluation-types.ts';

/** The part of the fluent tracking API an evaluation logs through. */
export interface EvaluationTracking {
  startRun(options?: { experimentId?: string; runName?: string; tags?: Record<string, string> }): Promise<{ info: { runId: string } }>;
  logParams(params: Record<string, unknown>): Promise<void>;
  logMetrics(metrics: Record<string, number>, step?: number): Promise<void>;
  setTags(tags: Record<string, unknown>): Promise<void>;
  logArtifact(blob: Blob, path: string): Promise<void>;
  endRun(status?: 'FINISHED' | 'FAILED' | 'KILLED'): Promise<void>;
  /** The store under the fluent API; the file becomes the run's dataset input through its `logInputs`. */
  store?(): Promise<unknown>;
}

/** A store that records MLflow 3 dataset inputs (`runs/log-inputs`); every store Plugboard ships does. */
type DatasetInputStore = Required<Pick<TrackingStore, 'logInputs'>>;

/** Files up to this size are kept with the run unless the caller says otherwise. */
export const DEFAULT_MAX_ARTIFACT_BYTES = 10 * 1024 * 1024;
/** The longest dataset digest an MLflow server accepts (its `datasets.digest` column). */
const MLFLOW_DATASET_DIGEST_LENGTH = 36;

/** Files up to this size get a digest of all their bytes; bigger ones of their size, first and last MiB. */
const FULL_DIGEST_BYTES = 256 * 1024 * 1024;

/** The tag that holds a plugin's provenance (`{ url, version, sha384 }` as JSON). */
export function provenanceTag(group: string, name: string): string {
  return `plugboard.provenance.${group}.${name}`;
}

/** Plugins' provenance as run tags: `provenanceTag(group, name)` → `{ url, version, sha384 }` as JSON (null where unknown). */
export function pluginProvenanceTags(records: readonly PluginProvenance[]): Record<string, string> {
  return Object.fromEntries(records.map((record) => [provenanceTag(record.group, record.name), JSON.stringify({ url: record.url, version: record.version ?? null, sha384: record.sha384 ?? null })]));
}

/**
 * The numbers of a metric result as MLflow metrics: a number is `name`; an object gives `name` for its
 * `score` and `name.key` for every other finite number at its top level. Other values are left out.
 */
export function metricValuesOf(name: string, result: unknown): Record<string, number> {
  if (typeof result === 'number') return Number.isFinite(result) ? { [name]: result } : {};
  const out: Record<string, number> = {};
  if (result && typeof result === 'object') {
    for (const [key, value] of Object.entries(result)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      out[key === 'score' ? name : `${name}.${key}`] = value;
    }
  }
  return out;
}

/**
 * Keeps an evaluation as a run: params (source name, size, rows, skipped, columns, loader, each metric's
 * options), metrics (the scores), tags (run context providers', each plugin's provenance, and the models each
 * metric ran with their files' digests, `plugboard.provenance.model.<metric>`), the uploaded
 * file as the run's dataset input (`logInputs`: name, the first 36 hex digits of its SHA-256 as MLflow's digest,
 * source type `upload`, a source naming the file, its size and whole digest, schema, profile, and the input tag
 * `mlflow.data.context` = `evaluation`), and as artifacts `results.json` and the file itself under `data/` when
 * it is at most `maxArtifactBytes`. A store without `logInputs` gets the dataset as a `dataset.json` artifact
 * instead. A failure while logging ends the run FAILED and rethrows. Resolves with the run ID.
 */
export async function logEvaluation(tracking: EvaluationTracking, result: EvaluationResult, source: EvaluationSource, options: EvaluationLogOptions): Promise<string> {
  const run = await tracking.startRun({
    ...(options.experimentId ? { experimentId: options.experimentId } : {}),
    runName: options.runName ?? `eval ${result.sourceName}`,
    tags: { 'plugboard.kind': 'evaluation', ...options.tags },
  });
  try {
    const params: Record<string, unknown> = {
      source: result.sourceName,
      rows: result.rows,
      skipped: result.skipped,
      'columns.prediction': result.columns.prediction,
      'columns.reference': result.columns.reference,
      loader: result.loader ?? 'records',
      metrics: Object.keys(result.scores).join(','),
    };
    if (result.bytes !== undefined) params['bytes'] = result.bytes;
    for (const [metric, metricOptions] of Object.entries(result.options)) {
      for (const [key, value] of Object.entries(metricOptions)) params[`${metric}.${key}`] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    await tracking.logParams(params);
    const metrics: Record<string, number> = { rows: result.rows, skipped: result.skipped };
    for (const [name, score] of Object.entries(result.scores)) Object.assign(metrics, metricValuesOf(name, score));
    await tracking.logMetrics(metrics);
    const tags = pluginProvenanceTags(result.provenance);
    for (const [metric, models] of Object.entries(result.models)) tags[modelProvenanceTag(metric)] = modelTagValue(models);
    const blob = typeof Blob !== 'undefined' && source instanceof Blob ? source : undefined;
    await tracking.setTags(tags);
    await tracking.logArtifact(new Blob([JSON.stringify(result, null, 2)], { type: 'application/json' }), 'results.json');
    if (blob) {
      const input = await datasetInputOf(blob, result);
      const store = (await tracking.store?.()) as Partial<DatasetInputStore> | undefined;
      if (typeof store?.logInputs === 'function') await store.logInputs(run.info.runId, [input]);
      else await tracking.logArtifact(new Blob([JSON.stringify(input, null, 2)], { type: 'application/json' }), 'dataset.json');
    }
    const limit = options.maxArtifactBytes ?? DEFAULT_MAX_ARTIFACT_BYTES;
    if (blob && blob.size <= limit) await tracking.logArtifact(blob, `data/${safeFileName(result.sourceName)}`);
    await tracking.endRun('FINISHED');
    return run.info.runId;
  } catch (thrown) {
    await tracking.endRun('FAILED').catch(() => undefined);
    throw thrown;
  }
}

/**
 * The file as an MLflow 3 dataset input: MLflow keeps at most 36 characters of a digest, so the input's digest is
 * the first 36 hex digits and the source JSON keeps the whole one (`sha256:` or `sha256-sampled:`).
 */
async function datasetInputOf(blob: Blob, result: EvaluationResult): Promise<DatasetInput> {
  const digest = await digestOf(blob);
  const hex = digest.slice(digest.indexOf(':') + 1);
  return {
    dataset: {
      name: result.sourceName,
      digest: hex.slice(0, MLFLOW_DATASET_DIGEST_LENGTH),
      sourceType: 'upload',
      source: JSON.stringify({ name: result.sourceName, bytes: blob.size, digest }),
      schema: JSON.stringify({ columns: [result.columns.prediction, result.columns.reference], loader: result.loader }),
      profile: JSON.stringify({ num_rows: result.rows, skipped: result.skipped }),
    },
    tags: [{ key: 'mlflow.data.context', value: 'evaluation' }],
  };
}

/** `sha256:<hex>` of all the bytes for files up to 256 MiB, `sha256-sampled:<hex>` of the size, first and last MiB above. */
export async function digestOf(blob: Blob): Promise<string> {
  const full = blob.size <= FULL_DIGEST_BYTES;
  const parts: BlobPart[] = full ? [blob] : [String(blob.size), blob.slice(0, 1 << 20), blob.slice(blob.size - (1 << 20))];
  const digest = await digestBytes('SHA-256', await new Blob(parts).arrayBuffer());
  const hex = [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${full ? 'sha256' : 'sha256-sampled'}:${hex}`;
}

/** The last path segment of a name, with nothing an artifact path refuses. */
function safeFileName(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1) || 'data';
  return base.replace(/[^A-Za-z0-9._-]/g, '_');
}
