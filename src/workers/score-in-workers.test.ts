import { describe, expect, it } from 'vitest';
import type { WorkerPlan } from '../evaluation/index.ts';
import type { ScoreMessage, WorkerReply } from './evaluation-protocol.ts';
import { createWorkerScorer } from './score-in-workers.ts';
import { SPLIT_MIN_BYTES } from './split-source.ts';

/** A stand-in Worker that answers each part with a state naming the part's first bytes and one skipped row. */
class FakeWorker extends EventTarget {
  static started = 0;
  static terminated = 0;
  constructor() {
    super();
    FakeWorker.started++;
  }
  postMessage(message: ScoreMessage): void {
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
});
