import { describe, expect, it } from 'vitest';
import type { WorkerPlan } from '../evaluation/index.ts';
import type { FinalizeMessage, PrepareMessage, ScoreMessage, WorkerReply } from './evaluation-protocol.ts';
import { PlugboardError } from '../errors/index.ts';
import { createWorkerScorer } from './score-in-workers.ts';
import { SPLIT_MIN_BYTES } from './split-source.ts';

/** A stand-in Worker that answers each part with a state naming the part's first bytes and one skipped row. */
class FakeWorker extends EventTarget {
  static started = 0;
  static terminated = 0;
  /** What each Worker was told, in order: `prepare <plugin URLs>` or `score`. */
  told: string[] = [];
  constructor() {
    super();
    FakeWorker.started++;
  }
  postMessage(message: ScoreMessage | PrepareMessage | FinalizeMessage): void {
    if (message.type === 'finalize') {
      // The states merged in order, as the page would: the parts' heads joined.
      this.told.push('finalize');
      const scores = Object.fromEntries(Object.entries(message.states).map(([name, states]) => [name, { merged: (states as string[]).map((head) => head.length).join('+') }]));
      // Each metric recorded the model it ran while finishing.
      const models = Object.fromEntries(Object.keys(message.states).map((name) => [name, [{ plugin: 'gpt2', model_name: `${name}-model`, folder: 'https://models.example/m/', files: [] }]]));
      queueMicrotask(() => this.dispatchEvent(new MessageEvent('message', { data: { type: 'finalized', scores, models } satisfies WorkerReply })));
      return;
    }
    if (message.type === 'prepare') {
      this.told.push(`prepare ${message.plugins.map((plugin) => plugin.url).join(' ')}`);
      queueMicrotask(() => this.dispatchEvent(new MessageEvent('message', { data: { type: 'prepared', id: message.id } satisfies WorkerReply })));
      return;
    }
    this.told.push('score');
    void message.source.slice(0, 40).text().then((head) => {
      const reply: WorkerReply = { type: 'done', states: { m: head }, rows: 10, skipped: 1, skippedExamples: [{ row: 3, line: 4, reason: head }] };
      this.dispatchEvent(new MessageEvent('message', { data: reply }));
    });
  }
  terminate(): void {
    FakeWorker.terminated++;
  }
}

function plan(source: Blob): WorkerPlan {
  return {
    source,
    sourceName: 'big.csv',
    loader: { name: 'csv', url: 'https://x/csv.js', export: 'csv' },
    loaderOptions: {},
    columns: { prediction: 'prediction', reference: 'reference' },
    metrics: [{ name: 'm', url: 'https://x/m.js', export: 'm', options: {} }],
    imports: {},
    workers: 3,
    skipInvalid: true,
    batchSize: 1024,
  };
}

describe('createWorkerScorer', () => {
  it('scores a big CSV in one Worker per part, returns the states in order, sums the tallies, keeps the first part’s examples, and frees every Worker', async () => {
    let text = 'prediction,reference\n';
    for (let index = 0; text.length < SPLIT_MIN_BYTES + 100; index++) text += `p${index},r${index}\n`;
    FakeWorker.started = FakeWorker.terminated = 0;
    const outcome = await createWorkerScorer({ startWorker: () => new FakeWorker() as unknown as Worker })(plan(new Blob([text])));
    expect(outcome.workers).toBe(3);
    expect(outcome.states['m']).toHaveLength(3);
    expect((outcome.states['m'] as string[]).every((head) => head.startsWith('prediction,reference\n'))).toBe(true);
    expect((outcome.states['m'] as string[])[0]).toBe(text.slice(0, 40));
    expect({ rows: outcome.rows, skipped: outcome.skipped, examples: outcome.skippedExamples.length }).toEqual({ rows: 30, skipped: 3, examples: 1 });
    expect({ started: FakeWorker.started, terminated: FakeWorker.terminated }).toEqual({ started: 3, terminated: 3 });
  });

  it('stops every Worker and rejects with the signal’s reason when aborted', async () => {
    FakeWorker.started = FakeWorker.terminated = 0;
    const silent = class extends FakeWorker {
      override postMessage(): void {}
    };
    const controller = new AbortController();
    const pending = createWorkerScorer({ startWorker: () => new silent() as unknown as Worker })({ ...plan(new Blob(['prediction,reference\na,a\n'])), signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort(new Error('stopped'));
    await expect(pending).rejects.toThrow('stopped');
    expect({ started: FakeWorker.started, terminated: FakeWorker.terminated }).toEqual({ started: 1, terminated: 1 });
  });

  it('prepare starts the Workers and has them import the plugins ahead of a plan, which then scores in those Workers and frees them', async () => {
    let text = 'prediction,reference\n';
    for (let index = 0; text.length < SPLIT_MIN_BYTES + 100; index++) text += `p${index},r${index}\n`;
    FakeWorker.started = FakeWorker.terminated = 0;
    const workers: FakeWorker[] = [];
    const scorer = createWorkerScorer({ startWorker: () => workers[workers.push(new FakeWorker()) - 1] as unknown as Worker });
    await scorer.prepare!({ imports: {}, plugins: [{ url: 'https://x/csv.js', export: 'csv' }, { url: 'https://x/m.js', export: 'm' }], workers: 3 });
    expect(workers.map((worker) => worker.told)).toEqual(Array(3).fill(['prepare https://x/csv.js https://x/m.js']));
    const outcome = await scorer(plan(new Blob([text])));
    expect(outcome.workers).toBe(3);
    expect(workers.map((worker) => worker.told)).toEqual(Array(3).fill(['prepare https://x/csv.js https://x/m.js', 'score']));
    expect({ started: FakeWorker.started, terminated: FakeWorker.terminated }).toEqual({ started: 3, terminated: 3 });
  });

  it('prepare with fewer Workers than are ready stops the extra ones; a plan needing more starts them', async () => {
    let text = 'prediction,reference\n';
    for (let index = 0; text.length < SPLIT_MIN_BYTES + 100; index++) text += `p${index},r${index}\n`;
    FakeWorker.started = FakeWorker.terminated = 0;
    const scorer = createWorkerScorer({ startWorker: () => new FakeWorker() as unknown as Worker });
    await scorer.prepare!({ imports: {}, plugins: [{ url: 'https://x/m.js', export: 'm' }], workers: 2 });
    await scorer.prepare!({ imports: {}, plugins: [{ url: 'https://x/m.js', export: 'm' }], workers: 1 });
    expect({ started: FakeWorker.started, terminated: FakeWorker.terminated }).toEqual({ started: 2, terminated: 1 });
    await scorer(plan(new Blob([text])));
    expect({ started: FakeWorker.started, terminated: FakeWorker.terminated }).toEqual({ started: 4, terminated: 4 });
  });

  it('with finalize, the first part’s Worker merges every part’s states in order and finalizes; the outcome carries only its scores and the models the metrics recorded', async () => {
    let text = 'prediction,reference\n';
    for (let index = 0; text.length < SPLIT_MIN_BYTES + 100; index++) text += `p${index},r${index}\n`;
    FakeWorker.started = FakeWorker.terminated = 0;
    const workers: FakeWorker[] = [];
    const outcome = await createWorkerScorer({ startWorker: () => workers[workers.push(new FakeWorker()) - 1] as unknown as Worker })({ ...plan(new Blob([text])), finalize: true });
    expect(outcome.scores).toEqual({ m: { merged: '40+40+40' } });
    expect(outcome.models).toEqual({ m: [{ plugin: 'gpt2', model_name: 'm-model', folder: 'https://models.example/m/', files: [] }] });
    expect(workers.map((worker) => worker.told)).toEqual([['score', 'finalize'], ['score'], ['score']]);
    expect({ started: FakeWorker.started, terminated: FakeWorker.terminated }).toEqual({ started: 3, terminated: 3 });
  });

  it('without finalize the Workers only score, and the page gets states to finalize itself', async () => {
    const workers: FakeWorker[] = [];
    const outcome = await createWorkerScorer({ startWorker: () => workers[workers.push(new FakeWorker()) - 1] as unknown as Worker })(plan(new Blob(['prediction,reference\na,a\n'])));
    expect(outcome.scores).toBeUndefined();
    expect(outcome.models).toBeUndefined();
    expect(workers.map((worker) => worker.told)).toEqual([['score']]);
  });

  it('a metric that fails while finalizing rejects with its error as the Worker reported it, naming the metric and the stage, and the source is not scored again', async () => {
    FakeWorker.started = FakeWorker.terminated = 0;
    const failing = class extends FakeWorker {
      override postMessage(message: ScoreMessage | PrepareMessage | FinalizeMessage): void {
        if (message.type !== 'finalize') return super.postMessage(message);
        const reply: WorkerReply = { type: 'error', error: { code: 'METRIC_FAILED', group: 'codex_ml.metrics', plugin: 'm', stage: 'finalize', problem: 'the model would not load', hint: 'Check model_id.' } };
        queueMicrotask(() => this.dispatchEvent(new MessageEvent('message', { data: reply })));
      }
    };
    const pending = createWorkerScorer({ startWorker: () => new failing() as unknown as Worker })({ ...plan(new Blob(['prediction,reference\na,a\n'])), finalize: true });
    const error = await pending.catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PlugboardError);
    expect({ code: (error as PlugboardError).code, plugin: (error as PlugboardError).plugin, group: (error as PlugboardError).group, stage: (error as PlugboardError).stage }).toEqual({ code: 'METRIC_FAILED', plugin: 'm', group: 'codex_ml.metrics', stage: 'finalize' });
    expect({ started: FakeWorker.started, terminated: FakeWorker.terminated }).toEqual({ started: 1, terminated: 1 });
  });

  it('a plugin module refused for not matching its pin rejects with that error at once, without scoring the whole source again', async () => {
    let text = 'prediction,reference\n';
    for (let index = 0; text.length < SPLIT_MIN_BYTES + 100; index++) text += `p${index},r${index}\n`;
    FakeWorker.started = FakeWorker.terminated = 0;
    const refused = { code: 'INTEGRITY_MISMATCH', stage: 'integrity', group: 'codex_ml.metrics', plugin: 'm', url: 'https://x/weight.js', problem: 'a module the plugin imports is not the one pinned at install', hint: 'Upgrade the plugin.' } as const;
    const refusing = class extends FakeWorker {
      override postMessage(message: ScoreMessage | PrepareMessage | FinalizeMessage): void {
        this.told.push(message.type);
        queueMicrotask(() => this.dispatchEvent(new MessageEvent('message', { data: { type: 'error', error: refused } satisfies WorkerReply })));
      }
    };
    const error = await createWorkerScorer({ startWorker: () => new refusing() as unknown as Worker })(plan(new Blob([text]))).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PlugboardError);
    expect({ ...(error as PlugboardError) }).toMatchObject(refused);
    expect({ started: FakeWorker.started, terminated: FakeWorker.terminated }).toEqual({ started: 3, terminated: 3 });
  });

  it('aborting while the Worker finalizes terminates it and rejects with the signal’s reason', async () => {
    FakeWorker.started = FakeWorker.terminated = 0;
    const controller = new AbortController();
    const finalizing = class extends FakeWorker {
      override postMessage(message: ScoreMessage | PrepareMessage | FinalizeMessage): void {
        // The finalize never answers (a model still running); the page aborts once it was asked.
        if (message.type === 'finalize') controller.abort(new Error('stopped while finalizing'));
        else super.postMessage(message);
      }
    };
    const pending = createWorkerScorer({ startWorker: () => new finalizing() as unknown as Worker })({ ...plan(new Blob(['prediction,reference\na,a\n'])), finalize: true, signal: controller.signal });
    await expect(pending).rejects.toThrow('stopped while finalizing');
    expect({ started: FakeWorker.started, terminated: FakeWorker.terminated }).toEqual({ started: 1, terminated: 1 });
  });

  it('with finalize and no row scored, nothing is finalized (the page reports that no row was left)', async () => {
    const zero = class extends FakeWorker {
      override postMessage(message: ScoreMessage | PrepareMessage | FinalizeMessage): void {
        this.told.push(message.type);
        if (message.type === 'score') queueMicrotask(() => this.dispatchEvent(new MessageEvent('message', { data: { type: 'done', states: { m: '' }, rows: 0, skipped: 0, skippedExamples: [] } satisfies WorkerReply })));
      }
    };
    const workers: FakeWorker[] = [];
    const outcome = await createWorkerScorer({ startWorker: () => workers[workers.push(new zero()) - 1] as unknown as Worker })({ ...plan(new Blob(['prediction,reference\n'])), finalize: true });
    expect(outcome.scores).toBeUndefined();
    expect(outcome.models).toBeUndefined();
    expect(workers.map((worker) => worker.told)).toEqual([['score']]);
  });
});
