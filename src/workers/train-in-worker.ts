import { PlugboardError } from '../errors/index.ts';
import type { PluginProvenance, WorkerPlugin } from '../evaluation/index.ts';
import type { ModelProvenance } from '../sdk/index.ts';
import { fromErrorRecord, toErrorRecord, type ErrorRecord } from './evaluation-protocol.ts';

/** The message that starts a training Worker. */
export interface TrainMessage {
  type: 'train';
  imports: Record<string, string>;
  trainer: WorkerPlugin;
  model: WorkerPlugin;
  modelConfig: Record<string, unknown>;
  config: Record<string, unknown>;
  rows: Record<string, unknown>[];
  /** Whether the trainer gets the page's model registry (set when the config has `register_as`). */
  register: boolean;
  /**
   * The trainer's and model factory's provenance as the page knows it, tagged on the run as an evaluation tags its
   * plugins'; the Worker sets each one's `sha384` to the digest of the bytes it ran.
   */
  provenance?: PluginProvenance[];
}

/** A call the Worker makes on the page's tracking store or model registry. */
export interface TrainingCall {
  type: 'call';
  id: number;
  target: 'tracking' | 'registry';
  method: string;
  args: unknown[];
}

/** What a finished training sends back: the figures the page shows, not the parameters. */
export interface TrainingResultRecord {
  runId: string | null;
  epochs: number;
  globalStep: number;
  evaluation: Record<string, number> | null;
  modelVersion: { name: string; version: string } | null;
  /** The encoder's files and their SHA-384s as the run recorded them (null when the model has no provenance). */
  encoder: ModelProvenance | null;
  stoppedEarly: boolean;
  labels: string[];
  /** The validation rows' texts, labels and the head's predictions (null when the trainer gives none), for scoring with metric plugins. */
  validation: { texts: string[]; labels: (string | number | boolean)[]; predictions: (string | number | boolean)[] } | null;
  timings: { embeddingMs: number; trainingMs: number };
}

/** What a training Worker posts. */
export type TrainingReply =
  | TrainingCall
  | { type: 'progress'; epoch: number; step: number; totalSteps: number; loss: number }
  | { type: 'done'; result: TrainingResultRecord }
  | { type: 'error'; error: ErrorRecord };

/** The page's side of the tracking calls the Worker makes. */
export interface TrainingStores {
  tracking: {
    startRun(options?: { runName?: string; runId?: string }): Promise<{ info: { runId: string; artifactUri: string } }>;
    logParams(params: Record<string, unknown>): Promise<void>;
    logMetrics(metrics: Record<string, number>, step?: number): Promise<void>;
    setTags(tags: Record<string, string>): Promise<void>;
    logArtifact(blob: Blob, path: string): Promise<void>;
    endRun(status?: 'FINISHED' | 'FAILED' | 'KILLED'): Promise<void>;
  };
  registry?: () => Promise<{ createRegisteredModel(name: string): Promise<unknown>; createModelVersion(name: string, source: string, runId?: string, tags?: { key: string; value: string }[]): Promise<{ version: string | number }> }>;
}

/** An error as data for the other side; anything but a PlugboardError becomes WORKER_FAILED naming the training Worker. */
export function trainingErrorRecord(thrown: unknown): ErrorRecord {
  const record = toErrorRecord(thrown);
  if (record.code !== 'WORKER_FAILED' || thrown instanceof PlugboardError) return record;
  return { code: 'WORKER_FAILED', problem: `training failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`, hint: 'A plugin or store threw something that is not a PlugboardError; its own message is quoted.' };
}

/** Starts one training Worker; the default is the module Worker built from training-worker.ts. */
export type StartTrainingWorker = () => Worker;

const startTrainingWorker: StartTrainingWorker = () => new Worker(new URL('./training-worker.ts', import.meta.url), { type: 'module', name: 'plugboard-training' });

/**
 * Trains in a module Worker: the Worker imports the trainer and model plugins under `message.imports`, and
 * its tracking and registry calls are answered here with `stores`. Progress goes to `onProgress`. Aborting
 * `signal` terminates the Worker at once, ends a run it started `KILLED`, and rejects with TRAINER_CANCELLED;
 * a Worker that fails to start or dies rejects with WORKER_IMPORT_FAILED, ending a run it started FAILED.
 * With `afterTraining`, the trainer's ending its run FINISHED is held: the run stays open while
 * `afterTraining(result)` runs (to log more into it), then ends FINISHED — or, when it rejects, KILLED with
 * TRAINER_CANCELLED if `signal` aborted, else FAILED with its error.
 */
export function trainInWorker(
  message: Omit<TrainMessage, 'type'>,
  stores: TrainingStores,
  options: { signal?: AbortSignal; onProgress?(progress: { epoch: number; step: number; totalSteps: number; loss: number }): void; startWorker?: StartTrainingWorker; afterTraining?(result: TrainingResultRecord): Promise<void> } = {},
): Promise<TrainingResultRecord> {
  return new Promise((resolve, reject) => {
    const cancelled = () => new PlugboardError({ code: 'TRAINER_CANCELLED', group: 'codex_ml.trainers', problem: 'training was cancelled; the run ended KILLED', hint: 'Press “Train” to start again.' });
    if (options.signal?.aborted) return reject(cancelled());
    const worker = (options.startWorker ?? startTrainingWorker)();
    let runStarted = false;
    /** The trainer ended its run FINISHED and the run is held open for `afterTraining`. */
    let held = false;
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      worker.terminate();
      outcome();
    };
    const onAbort = () => {
      const started = runStarted;
      finish(() => {
        // The Worker is gone mid-run, so the page ends the run it cannot end itself.
        const ended = started ? stores.tracking.endRun('KILLED').catch(() => undefined) : Promise.resolve();
        void ended.then(() => reject(cancelled()));
      });
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const answer = async (request: TrainingCall): Promise<unknown> => {
      if (request.target === 'tracking') {
        if (request.method === 'endRun' && (request.args[0] ?? 'FINISHED') === 'FINISHED' && options.afterTraining) {
          // Still running as far as cancelling goes: an abort now ends it KILLED.
          held = true;
          return undefined;
        }
        const tracking = stores.tracking as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
        const value = await tracking[request.method]!(...request.args);
        if (request.method === 'startRun') {
          runStarted = true;
          const run = value as { info: { runId: string; artifactUri: string } };
          return { info: { runId: run.info.runId, artifactUri: run.info.artifactUri } };
        }
        if (request.method === 'endRun') runStarted = false;
        return undefined;
      }
      const registry = (await stores.registry!()) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      const value = await registry[request.method]!(...request.args);
      return request.method === 'createModelVersion' ? { version: (value as { version: string | number }).version } : undefined;
    };
    worker.addEventListener('message', (event: MessageEvent<TrainingReply>) => {
      const reply = event.data;
      if (settled) return;
      if (reply.type === 'call') {
        answer(reply).then(
          (value) => !settled && worker.postMessage({ type: 'answer', id: reply.id, value }),
          (thrown: unknown) => !settled && worker.postMessage({ type: 'answer', id: reply.id, error: trainingErrorRecord(thrown) }),
        );
      } else if (reply.type === 'progress') {
        options.onProgress?.({ epoch: reply.epoch, step: reply.step, totalSteps: reply.totalSteps, loss: reply.loss });
      } else if (reply.type === 'done') {
        if (!held) return finish(() => resolve(reply.result));
        finish(() => {
          options.afterTraining!(reply.result).then(
            () => stores.tracking.endRun('FINISHED').then(() => resolve(reply.result)),
            (thrown: unknown) => {
              const aborted = options.signal?.aborted === true;
              return stores.tracking.endRun(aborted ? 'KILLED' : 'FAILED').catch(() => undefined).then(() => reject(aborted ? cancelled() : thrown));
            },
          ).catch(reject);
        });
      } else {
        const error = fromErrorRecord(reply.error);
        // A held run has no one else to end it.
        finish(() => void (held ? stores.tracking.endRun('FAILED').catch(() => undefined) : Promise.resolve()).then(() => reject(error)));
      }
    });
    worker.addEventListener('error', (event) => {
      const started = runStarted;
      finish(() => {
        const error = new PlugboardError({ code: 'WORKER_IMPORT_FAILED', problem: `the training Worker failed: ${event.message || 'the browser gave no reason'}`, hint: 'A Content-Security-Policy that covers the Worker must allow blob: scripts for plugins with bare imports.' });
        // A Worker that dies mid-run cannot end its run, so the page ends it FAILED rather than leave it RUNNING.
        const ended = started ? stores.tracking.endRun('FAILED').catch(() => undefined) : Promise.resolve();
        void ended.then(() => reject(error));
      });
    });
    worker.postMessage({ type: 'train', ...message } satisfies TrainMessage);
  });
}
