import { PlugboardError } from '../errors/index.ts';
import { resolveContextTags, type NamedContextProvider } from './context-tags.ts';
import { PARENT_RUN_ID_TAG } from './run-rules.ts';
import { TrackingError } from '../store-kit/index.ts';
import { LIMITS } from './validation.ts';
import type { Run, RunStatus, RunTag, TrackingStore } from './types.ts';

/** The part of an artifact repository the fluent API writes through. */
export interface ArtifactSink {
  logArtifact(blob: Blob, path: string): Promise<void>;
}

/** What the fluent API is bound to. */
export interface FluentTrackingOptions {
  /** The tracking store, or a function resolving it on first use. */
  store: TrackingStore | (() => Promise<TrackingStore>);
  /** Run context providers in merge order (built-ins first), or a function resolving them at each startRun. */
  contextProviders?: readonly NamedContextProvider[] | (() => Promise<readonly NamedContextProvider[]>);
  /** Opens the artifact repository of a run's artifact URI; needed by logArtifact only. */
  artifactRepository?: (artifactUri: string) => Promise<ArtifactSink>;
  /** The experiment of runs started without one. Default "0". */
  defaultExperimentId?: string;
  /** Receives warnings (a failing context provider). Default console.warn. */
  onWarning?: (warning: PlugboardError) => void;
  /** The clock, in ms since the epoch. Default Date.now. */
  now?: () => number;
}

/** Arguments of `startRun`. */
export interface StartRunOptions {
  experimentId?: string;
  runName?: string;
  tags?: Record<string, string> | RunTag[];
  /** Starts the run as a child of the active run (tag `mlflow.parentRunId`). */
  nested?: boolean;
  /** Resumes an existing run instead of creating one: it becomes active and RUNNING again. */
  runId?: string;
}

function toTags(tags: StartRunOptions['tags']): RunTag[] {
  if (!tags) return [];
  return Array.isArray(tags) ? tags : Object.entries(tags).map(([key, value]) => ({ key, value }));
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let index = 0; index < items.length; index += size) out.push(items.slice(index, index + size));
  return out;
}

/**
 * MLflow's fluent API (`mlflow.start_run()`, `log_metric`, …) over one tracking store: a stack of active runs,
 * context tags merged at start, and logging calls that start a run when none is active.
 */
export class FluentTracking {
  #options: FluentTrackingOptions;
  #store: Promise<TrackingStore> | undefined;
  #stack: Run[] = [];

  constructor(options: FluentTrackingOptions) {
    this.#options = options;
  }

  /** Resolves with the store this API writes to. */
  store(): Promise<TrackingStore> {
    const { store } = this.#options;
    this.#store ??= typeof store === 'function' ? store() : Promise.resolve(store);
    return this.#store;
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  /**
   * Starts a run (or resumes `runId`) and makes it the active run. Tags: every context provider in context,
   * in order, then `tags`, which win; a nested run also gets `mlflow.parentRunId`. Starting a second run
   * without `nested` while one is active is INVALID_STATE.
   */
  async startRun(options: StartRunOptions = {}): Promise<Run> {
    const parent = this.#stack[this.#stack.length - 1];
    if (parent && !options.nested) {
      throw new TrackingError('INVALID_STATE', `Run with id ${parent.info.runId} is already active`, {
        hint: 'End the current run with endRun() first, or pass { nested: true } to start a child run.',
      });
    }
    const store = await this.store();
    let run: Run;
    if (options.runId !== undefined) {
      await store.updateRunInfo(options.runId, { status: 'RUNNING', endTime: null });
      run = await store.getRun(options.runId);
    } else {
      const providers = typeof this.#options.contextProviders === 'function' ? await this.#options.contextProviders() : (this.#options.contextProviders ?? []);
      const explicit = toTags(options.tags);
      if (parent) explicit.push({ key: PARENT_RUN_ID_TAG, value: parent.info.runId });
      const tags = await resolveContextTags(providers, explicit, this.#options.onWarning);
      run = await store.createRun({
        experimentId: options.experimentId ?? this.#options.defaultExperimentId ?? '0',
        startTime: this.#now(),
        tags,
        ...(options.runName === undefined ? {} : { runName: options.runName }),
      });
    }
    this.#stack.push(run);
    return run;
  }

  /** The innermost active run as it was when started, or null when none is active. */
  activeRun(): Run | null {
    return this.#stack[this.#stack.length - 1] ?? null;
  }

  async #runId(): Promise<string> {
    return (this.activeRun() ?? (await this.startRun())).info.runId;
  }

  /** Logs one metric point to the active run (started if none), at `step` (default 0) and now. */
  async logMetric(key: string, value: number, step = 0): Promise<void> {
    const runId = await this.#runId();
    await (await this.store()).logMetric(runId, { key, value, step, timestamp: this.#now() });
  }

  /** Logs several metrics at one step and timestamp, in batches of at most 1000, each all or nothing. */
  async logMetrics(metrics: Record<string, number>, step = 0): Promise<void> {
    const runId = await this.#runId();
    const timestamp = this.#now();
    const store = await this.store();
    const list = Object.entries(metrics).map(([key, value]) => ({ key, value, step, timestamp }));
    for (const batch of chunks(list, LIMITS.batchMetrics)) await store.logBatch(runId, { metrics: batch });
  }

  /** Logs a param (converted to a string) to the active run; a changed value is INVALID_PARAMETER_VALUE. */
  async logParam(key: string, value: unknown): Promise<void> {
    const runId = await this.#runId();
    await (await this.store()).logParam(runId, { key, value: String(value) });
  }

  /** Logs several params (converted to strings) in batches of at most 100. */
  async logParams(params: Record<string, unknown>): Promise<void> {
    const runId = await this.#runId();
    const store = await this.store();
    const list = Object.entries(params).map(([key, value]) => ({ key, value: String(value) }));
    for (const batch of chunks(list, LIMITS.batchParams)) await store.logBatch(runId, { params: batch });
  }

  /** Sets a tag (converted to a string) on the active run. */
  async setTag(key: string, value: unknown): Promise<void> {
    const runId = await this.#runId();
    await (await this.store()).setTag(runId, { key, value: String(value) });
  }

  /** Sets several tags (converted to strings) in batches of at most 100. */
  async setTags(tags: Record<string, unknown>): Promise<void> {
    const runId = await this.#runId();
    const store = await this.store();
    const list = Object.entries(tags).map(([key, value]) => ({ key, value: String(value) }));
    for (const batch of chunks(list, LIMITS.batchTags)) await store.logBatch(runId, { tags: batch });
  }

  /** Stores `blob` at `path` (relative, file name included) under the active run's artifact URI. */
  async logArtifact(blob: Blob, path: string): Promise<void> {
    if (!this.#options.artifactRepository) {
      throw new PlugboardError({
        code: 'NO_ARTIFACT_REPOSITORY',
        problem: 'logArtifact needs an artifact repository, and none was given to the fluent API',
        hint: 'Create the fluent API with { artifactRepository: (uri) => host.artifactRepository(uri) }.',
      });
    }
    await this.#runId();
    const run = this.activeRun()!;
    const repository = await this.#options.artifactRepository(run.info.artifactUri);
    await repository.logArtifact(blob, path);
  }

  /** Ends the innermost active run with `status` (default FINISHED) and the end time now; a no-op when none is active. */
  async endRun(status: RunStatus = 'FINISHED'): Promise<void> {
    const run = this.activeRun();
    if (!run) return;
    await (await this.store()).updateRunInfo(run.info.runId, { status, endTime: this.#now() });
    this.#stack.pop();
  }
}

/** Creates the fluent API bound to a store, its context providers and an artifact repository opener. */
export function createFluentTracking(options: FluentTrackingOptions): FluentTracking {
  return new FluentTracking(options);
}
