import type { WorkerOutcome, WorkerPlan, WorkerScorer } from '../evaluation/index.ts';
import { fromErrorRecord, type FinalizeMessage, type PrepareMessage, type ScoreMessage, type WorkerReply } from './evaluation-protocol.ts';
import { splitSource } from './split-source.ts';
import { PlugboardError } from '../errors/index.ts';
import { watchWorkerRefusals, workerStartFailure } from './worker-start-failure.ts';

/** Starts one evaluation Worker; the default is the module Worker built from evaluation-worker.ts. */
export type StartWorker = () => Worker;

const startEvaluationWorker: StartWorker = () => new Worker(new URL('./evaluation-worker.ts', import.meta.url), { type: 'module', name: 'plugboard-evaluation' });

/** A part's outcome, or the error that stopped it. */
type PartOutcome = { ok: true; reply: Extract<WorkerReply, { type: 'done' }> } | { ok: false; error: Error };

/** A Worker readied ahead of a plan; `release` settles the warm-ups still waiting for it. */
interface Readied {
  worker: Worker;
  waiting: Set<() => void>;
}

/**
 * Returns the scorer `createHost({ scoreInWorkers })` uses: a source bigger than a few MB in CSV, JSON Lines
 * or lines is cut at line breaks into one part per Worker (up to `plan.workers`), each scored in its own
 * module Worker, and the parts' states come back in order to be merged. If any part fails (a cut inside a
 * quoted CSV field, or a bad row), every Worker is stopped and the whole source is scored again by one
 * Worker, which reports a bad row at its true line — unless a part was refused because a plugin's module does not
 * match its pin (stage `integrity`): that rejects at once, as scoring again would be refused again. Aborting the plan's signal terminates every Worker at
 * once and rejects with the signal's reason. With `plan.finalize` and at least one row, the first part's Worker
 * then merges every part's states and finalizes the metrics, and the outcome carries their `scores` and the
 * `models` they recorded (a metric
 * that fails there rejects with its error, naming it and the stage); aborting meanwhile terminates it too.
 * Every Worker a plan used is terminated when it ends. `prepare`
 * starts `workers` Workers ahead of a plan (stopping readied ones beyond that count) and has them import the
 * plugins; the next plan takes those first and starts any more it needs.
 */
export function createWorkerScorer(options: { startWorker?: StartWorker } = {}): WorkerScorer {
  const start = options.startWorker ?? startEvaluationWorker;
  const ready: Readied[] = [];
  let nextId = 1;
  const release = (readied: Readied) => {
    for (const settle of readied.waiting) settle();
    readied.waiting.clear();
  };
  const take = (): Worker => {
    const readied = ready.shift();
    if (!readied) return start();
    release(readied);
    return readied.worker;
  };
  const scorer: WorkerScorer = async (plan) => {
    plan.signal?.throwIfAborted();
    const parts = await splitSource(plan.source, plan.loader.name, plan.loaderOptions, plan.workers);
    if (parts) {
      const outcome = await scoreParts(plan, parts, take);
      if (outcome) return outcome;
    }
    const whole = await scoreParts(plan, [plan.source], take);
    return whole!;
  };
  scorer.prepare = async (warmUp) => {
    while (ready.length > warmUp.workers) {
      const extra = ready.pop()!;
      extra.worker.terminate();
      release(extra);
    }
    while (ready.length < warmUp.workers) ready.push({ worker: start(), waiting: new Set() });
    await Promise.all(
      ready.map(
        (readied) =>
          new Promise<void>((resolve) => {
            const id = nextId++;
            const settle = () => {
              readied.worker.removeEventListener('message', onMessage);
              readied.worker.removeEventListener('error', onError);
              readied.waiting.delete(settle);
              resolve();
            };
            const onMessage = (event: MessageEvent<WorkerReply>) => {
              if (event.data.type === 'prepared' && event.data.id === id) settle();
            };
            // A Worker that cannot start is dropped; a plan starts its own and reports why it fails.
            const onError = () => {
              const at = ready.indexOf(readied);
              if (at !== -1) ready.splice(at, 1);
              readied.worker.terminate();
              release(readied);
            };
            readied.waiting.add(settle);
            readied.worker.addEventListener('message', onMessage);
            readied.worker.addEventListener('error', onError);
            const message: PrepareMessage = { type: 'prepare', id, imports: warmUp.imports, plugins: warmUp.plugins };
            readied.worker.postMessage(message);
          }),
      ),
    );
  };
  return scorer;
}

/** Scores the parts side by side, each in a Worker from `take`; resolves undefined when a part of several failed, and rejects when the only part did. */
async function scoreParts(plan: WorkerPlan, parts: Blob[], take: () => Worker): Promise<WorkerOutcome | undefined> {
  const workers: Worker[] = [];
  const progress = parts.map(() => ({ rows: 0, bytes: 0 }));
  const report = () => {
    let rows = 0;
    let bytes = 0;
    for (const part of progress) {
      rows += part.rows;
      bytes += part.bytes;
    }
    plan.onProgress?.({ rows, bytes: Math.min(bytes, plan.source.size), totalBytes: plan.source.size });
  };
  let stopAll: (reason: unknown) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => {
    stopAll = reject;
  });
  stopped.catch(() => undefined);
  const onAbort = () => stopAll(plan.signal!.reason);
  plan.signal?.addEventListener('abort', onAbort, { once: true });
  watchWorkerRefusals();
  try {
    const runs = parts.map(
      (part, index) =>
        new Promise<PartOutcome>((resolve) => {
          const startedAt = performance.now();
          const worker = take();
          workers.push(worker);
          const onMessage = (event: MessageEvent<WorkerReply>) => {
            const reply = event.data;
            if (reply.type === 'prepared' || reply.type === 'finalized') return;
            if (reply.type === 'progress') {
              progress[index] = { rows: reply.rows, bytes: reply.bytes };
              report();
            } else if (reply.type === 'done') {
              progress[index] = { rows: reply.rows, bytes: part.size };
              report();
              resolve({ ok: true, reply });
            } else {
              resolve({ ok: false, error: fromErrorRecord(reply.error) });
            }
          };
          const onError = (event: Event) =>
            void workerStartFailure(event, startedAt).then((why) =>
              resolve({
                ok: false,
                error: new PlugboardError({
                  code: 'WORKER_IMPORT_FAILED',
                  problem: `the evaluation Worker failed to start: ${why}`,
                  hint: "Check that the Worker's script is served, and that a Content-Security-Policy allows it (worker-src or script-src 'self').",
                }),
              }),
            );
          worker.addEventListener('message', onMessage);
          worker.addEventListener('error', onError);

          const message: ScoreMessage = {
            type: 'score',
            imports: plan.imports,
            loader: plan.loader,
            metrics: plan.metrics,
            source: part,
            sourceName: plan.sourceName,
            loaderOptions: plan.loaderOptions,
            columns: plan.columns,
            skipInvalid: plan.skipInvalid,
            batchSize: plan.batchSize,
          };
          worker.postMessage(message);
        }),
    );
    const outcomes: PartOutcome[] = [];
    for (const run of runs) {
      const outcome = await Promise.race([run, stopped]);
      if (!outcome.ok) {
        // A refused module would be refused again: only a part's own failure (a cut inside a quoted field) is worth a whole-file retry.
        if (parts.length === 1 || (outcome.error as PlugboardError).stage === 'integrity') throw outcome.error;
        return undefined;
      }
      outcomes.push(outcome);
    }
    const states: Record<string, unknown[]> = {};
    const result: WorkerOutcome = { states, rows: 0, skipped: 0, skippedExamples: [], workers: parts.length };
    for (const [index, outcome] of outcomes.entries()) {
      const { reply } = outcome as Extract<PartOutcome, { ok: true }>;
      for (const [name, state] of Object.entries(reply.states)) (states[name] ??= []).push(state);
      result.rows += reply.rows;
      result.skipped += reply.skipped;
      // A later part counts its lines and rows from its own start, so only the first part's examples name true places.
      if (index === 0) for (const example of reply.skippedExamples) if (result.skippedExamples.length < 5) result.skippedExamples.push(example);
    }
    if (plan.finalize && result.rows > 0) Object.assign(result, await Promise.race([finalizeIn(workers[0]!, plan, states), stopped]));
    return result;
  } finally {
    plan.signal?.removeEventListener('abort', onAbort);
    for (const worker of workers) worker.terminate();
  }
}

/**
 * Has `worker` (which scored a part, so imported the metrics) merge the states and finalize the metrics, resolving
 * with the scores and the models each metric recorded; rejects with the error it reports.
 */
function finalizeIn(worker: Worker, plan: WorkerPlan, states: Record<string, unknown[]>): Promise<Required<Pick<WorkerOutcome, 'scores' | 'models'>>> {
  return new Promise((resolve, reject) => {
    const onMessage = (event: MessageEvent<WorkerReply>) => {
      const reply = event.data;
      if (reply.type === 'finalized') resolve({ scores: reply.scores, models: reply.models });
      else if (reply.type === 'error') reject(fromErrorRecord(reply.error));
    };
    const onError = (event: ErrorEvent) =>
      reject(new PlugboardError({ code: 'WORKER_FAILED', stage: 'finalize', problem: `the evaluation Worker failed while finishing the metrics: ${event.message || 'the browser gave no reason'}`, hint: 'Score without Workers to see the metric fail in this thread.' }));
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
    const message: FinalizeMessage = { type: 'finalize', imports: plan.imports, metrics: plan.metrics, states };
    worker.postMessage(message);
  });
}
