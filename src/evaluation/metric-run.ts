import { ModelProvenanceSchema } from '../adapters/index.ts';
import { describeIssues, formatPath, PlugboardError } from '../errors/index.ts';
import type { MetricContext, MetricResult, ModelProvenance } from '../sdk/index.ts';

/** An accumulator metric: `init`, `update`, `merge`, `finalize`. */
export interface Accumulator {
  init(options?: unknown): unknown;
  update(state: unknown, batch: { predictions: readonly unknown[]; references: readonly unknown[] }, options?: unknown): unknown;
  merge(a: unknown, b: unknown, options?: unknown): unknown;
  finalize(state: unknown, options?: unknown, context?: MetricContext): MetricResult | Promise<MetricResult>;
}

/** Returns true when `metric` has the four accumulator functions. */
export function isAccumulator(metric: unknown): metric is Accumulator {
  if (metric === null || typeof metric !== 'object') return false;
  const shape = metric as Record<string, unknown>;
  return typeof shape['init'] === 'function' && typeof shape['update'] === 'function' && typeof shape['merge'] === 'function' && typeof shape['finalize'] === 'function';
}

/** One metric being computed: fed batch by batch, finished at the end. */
export interface MetricRun {
  readonly name: string;
  /** Folds one batch in; `references` is undefined for records without a reference field. */
  update(predictions: unknown[], references: unknown[] | undefined): void;
  /** The accumulator state so far (to merge with another Worker's), or undefined for a plain function metric. */
  state(): unknown;
  /** Scores one row on its own and throws what the metric throws for it; a plain function metric is called with that row alone. */
  probe(prediction: unknown, reference: unknown, hasReference: boolean): void;
  /** Merges another run's state into this one's; only accumulators can. */
  merge(other: unknown): void;
  /** The metric's result over everything fed and merged; the metric is handed a context to record the models it runs. */
  finish(): Promise<MetricResult>;
  /** The models the metric recorded while finishing (see MetricContext), in the order recorded; empty before `finish`. */
  models(): ModelProvenance[];
}

/**
 * Awaits the metric's `prepare` with `options` when it has one (a metric that reads a file before it can
 * start, such as bleu's flores tokenizers loading a SentencePiece model); resolves at once otherwise.
 */
export async function prepareMetric(metric: unknown, options: Record<string, unknown> | undefined): Promise<void> {
  const prepare = (metric as { prepare?: unknown } | null)?.prepare;
  if (typeof prepare === 'function') await (prepare as (options?: Record<string, unknown>) => Promise<void>).call(metric, options);
}

/**
 * Starts a metric (after `prepareMetric`): an accumulator runs init → update per batch → finalize with `options` (none when the
 * object is empty); a plain function metric keeps every row and is called once at the end.
 */
export function startMetric(name: string, metric: unknown, options: Record<string, unknown> | undefined): MetricRun {
  const passed = options && Object.keys(options).length > 0 ? options : undefined;
  const { context, models } = modelRecorder(name);
  if (isAccumulator(metric)) {
    let state = metric.init(passed);
    return {
      name,
      update(predictions, references) {
        state = metric.update(state, { predictions, references: references ?? [] }, passed);
      },
      state: () => state,
      probe(prediction, reference, hasReference) {
        metric.update(metric.init(passed), { predictions: [prediction], references: hasReference ? [reference] : [] }, passed);
      },
      merge(other) {
        state = metric.merge(state, other, passed);
      },
      finish: async () => metric.finalize(state, passed, context),
      models,
    };
  }
  const allPredictions: unknown[] = [];
  const allReferences: unknown[] = [];
  return {
    name,
    update(predictions, references) {
      for (const value of predictions) allPredictions.push(value);
      if (references) for (const value of references) allReferences.push(value);
    },
    state: () => undefined,
    probe(prediction, reference, hasReference) {
      void (metric as (p: unknown[], r: unknown[], o?: unknown) => unknown)([prediction], hasReference ? [reference] : [], passed);
    },
    merge() {
      throw new TypeError(`${name} is a plain function metric; only accumulators merge`);
    },
    finish: async () => (metric as (p: unknown[], r: unknown[], o?: unknown, c?: MetricContext) => MetricResult | Promise<MetricResult>)(allPredictions, allReferences, passed, context),
    models,
  };
}

/**
 * The context a metric records its models through: each record is checked against ModelProvenanceSchema
 * (METRIC_MODEL_RECORD naming the metric and every bad field when it does not fit) and kept once, however
 * often the same model is recorded.
 */
function modelRecorder(metric: string): { context: MetricContext; models: () => ModelProvenance[] } {
  const recorded = new Map<string, ModelProvenance>();
  const context: MetricContext = {
    recordModel(model) {
      const parsed = ModelProvenanceSchema.safeParse(model);
      if (!parsed.success) {
        const problems = describeIssues(parsed.error.issues, model).map((issue) => ({
          code: 'METRIC_MODEL_RECORD',
          group: 'codex_ml.metrics',
          plugin: metric,
          field: issue.path.length ? `model.${formatPath(issue.path)}` : 'model',
          problem: `the model the metric recorded is not what a run keeps: ${issue.message}`,
          hint: 'Pass recordModel the provenance a model factory gives (model.provenance): plugin, model_name, folder, and each file with its url, size and sha384.',
        }));
        throw new PlugboardError({ ...problems[0]!, problems });
      }
      const key = JSON.stringify(parsed.data);
      if (!recorded.has(key)) recorded.set(key, parsed.data);
    },
  };
  return { context, models: () => [...recorded.values()] };
}
