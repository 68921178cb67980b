import { describe, expect, it } from 'vitest';
import { trainInWorker, type TrainingReply, type TrainingStores } from './train-in-worker.ts';

/** A stand-in Worker the test drives: it records what the page posts and whether it was terminated. */
class ScriptedWorker extends EventTarget {
  posted: unknown[] = [];
  terminated = false;
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(message: TrainingReply): void {
    this.dispatchEvent(new MessageEvent('message', { data: message }));
  }
}

function stores(log: string[]): TrainingStores {
  return {
    tracking: {
      startRun: async () => (log.push('startRun'), { info: { runId: 'r1', artifactUri: 'idb://a/r1', extra: () => 0 } } as never),
      logParams: async () => void log.push('logParams'),
      logMetrics: async () => void log.push('logMetrics'),
      setTags: async () => void log.push('setTags'),
      logArtifact: async () => void log.push('logArtifact'),
      endRun: async (status) => void log.push(`endRun ${status}`),
    },
  };
}

const message = { imports: {}, trainer: { url: 'https://x/t.js', export: 't' }, model: { url: 'https://x/m.js', export: 'm' }, modelConfig: {}, config: {}, rows: [], register: false };
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('trainInWorker', () => {
  it('answers the Worker’s tracking calls with plain data, passes progress on, and resolves with its result', async () => {
    const worker = new ScriptedWorker();
    const log: string[] = [];
    const progress: number[] = [];
    const done = trainInWorker(message, stores(log), { startWorker: () => worker as unknown as Worker, onProgress: (p) => progress.push(p.step) });
    expect(worker.posted[0]).toMatchObject({ type: 'train', trainer: message.trainer });
    worker.reply({ type: 'call', id: 0, target: 'tracking', method: 'startRun', args: [] });
    await tick();
    expect(worker.posted[1]).toEqual({ type: 'answer', id: 0, value: { info: { runId: 'r1', artifactUri: 'idb://a/r1' } } });
    worker.reply({ type: 'progress', epoch: 1, step: 3, totalSteps: 9, loss: 0.5 });
    const result = { runId: 'r1', epochs: 1, globalStep: 9, evaluation: { eval_accuracy: 1 }, modelVersion: null, encoder: null, stoppedEarly: false, labels: ['a'], validation: null, timings: { embeddingMs: 1, trainingMs: 1 } };
    worker.reply({ type: 'done', result });
    await expect(done).resolves.toEqual(result);
    expect(progress).toEqual([3]);
    expect(worker.terminated).toBe(true);
  });

  it('on abort terminates the Worker at once, ends the run it started KILLED, and rejects with TRAINER_CANCELLED', async () => {
    const worker = new ScriptedWorker();
    const log: string[] = [];
    const controller = new AbortController();
    const done = trainInWorker(message, stores(log), { signal: controller.signal, startWorker: () => worker as unknown as Worker });
    worker.reply({ type: 'call', id: 0, target: 'tracking', method: 'startRun', args: [] });
    await tick();
    controller.abort();
    expect(worker.terminated).toBe(true);
    await expect(done).rejects.toMatchObject({ code: 'TRAINER_CANCELLED' });
    expect(log).toEqual(['startRun', 'endRun KILLED']);
  });

  it('rejects with the Worker’s error, every field kept', async () => {
    const worker = new ScriptedWorker();
    const done = trainInWorker(message, stores([]), { startWorker: () => worker as unknown as Worker });
    worker.reply({ type: 'error', error: { code: 'TRAINER_BAD_CONFIG', problem: 'the config is invalid', plugin: 'functional', field: 'epochs' } });
    await expect(done).rejects.toMatchObject({ code: 'TRAINER_BAD_CONFIG', plugin: 'functional', field: 'epochs' });
    expect(worker.terminated).toBe(true);
  });

  it('a tracking call that fails is answered with the error, not dropped', async () => {
    const worker = new ScriptedWorker();
    const failing = stores([]);
    failing.tracking.logMetrics = async () => {
      throw Object.assign(new Error('x'), { code: 'INVALID_PARAMETER_VALUE', problem: 'the metric value is not a number' });
    };
    void trainInWorker(message, failing, { startWorker: () => worker as unknown as Worker }).catch(() => undefined);
    worker.reply({ type: 'call', id: 4, target: 'tracking', method: 'logMetrics', args: [{ loss: 1 }] });
    await tick();
    expect(worker.posted[1]).toMatchObject({ type: 'answer', id: 4, error: { code: 'INVALID_PARAMETER_VALUE', problem: 'the metric value is not a number' } });
  });

  it('a Worker that dies mid-run has its run ended FAILED and rejects with WORKER_IMPORT_FAILED', async () => {
    const worker = new ScriptedWorker();
    const log: string[] = [];
    const done = trainInWorker(message, stores(log), { startWorker: () => worker as unknown as Worker });
    worker.reply({ type: 'call', id: 0, target: 'tracking', method: 'startRun', args: [] });
    await tick();
    worker.dispatchEvent(Object.assign(new Event('error'), { message: 'out of memory' }));
    await expect(done).rejects.toMatchObject({ code: 'WORKER_IMPORT_FAILED', problem: expect.stringContaining('out of memory') });
    expect(log).toEqual(['startRun', 'endRun FAILED']);
  });

  it('a store error that is not a PlugboardError crosses as WORKER_FAILED quoting its message', async () => {
    const worker = new ScriptedWorker();
    const failing = stores([]);
    failing.tracking.logParams = async () => {
      throw new TypeError('params must be an object');
    };
    void trainInWorker(message, failing, { startWorker: () => worker as unknown as Worker }).catch(() => undefined);
    worker.reply({ type: 'call', id: 1, target: 'tracking', method: 'logParams', args: [null] });
    await tick();
    expect(worker.posted[1]).toMatchObject({ type: 'answer', id: 1, error: { code: 'WORKER_FAILED', problem: 'training failed: params must be an object' } });
  });

  describe('with afterTraining', () => {
    const result = { runId: 'r1', epochs: 1, globalStep: 9, evaluation: null, modelVersion: null, encoder: null, stoppedEarly: false, labels: ['a'], validation: null, timings: { embeddingMs: 1, trainingMs: 1 } };
    const started = async (log: string[], afterTraining: (result: unknown) => Promise<void>, signal?: AbortSignal) => {
      const worker = new ScriptedWorker();
      const done = trainInWorker(message, stores(log), { startWorker: () => worker as unknown as Worker, afterTraining, ...(signal ? { signal } : {}) });
      worker.reply({ type: 'call', id: 0, target: 'tracking', method: 'startRun', args: [] });
      worker.reply({ type: 'call', id: 1, target: 'tracking', method: 'endRun', args: ['FINISHED'] });
      await tick();
      return { worker, done };
    };

    it('holds the run the trainer ended FINISHED open while afterTraining logs into it, then ends it FINISHED', async () => {
      const log: string[] = [];
      const { worker, done } = await started(log, async (seen) => void log.push(`afterTraining ${(seen as { runId: string }).runId}`));
      expect(worker.posted).toContainEqual({ type: 'answer', id: 1, value: undefined });
      worker.reply({ type: 'done', result });
      await expect(done).resolves.toEqual(result);
      expect(log).toEqual(['startRun', 'afterTraining r1', 'endRun FINISHED']);
    });

    it('ends the held run FAILED and rejects with afterTraining’s error when it fails', async () => {
      const log: string[] = [];
      const { worker, done } = await started(log, async () => {
        throw Object.assign(new Error('x'), { code: 'METRIC_INPUT' });
      });
      worker.reply({ type: 'done', result });
      await expect(done).rejects.toMatchObject({ code: 'METRIC_INPUT' });
      expect(log).toEqual(['startRun', 'endRun FAILED']);
    });

    it('a cancel while the run is held ends it KILLED, before or during afterTraining', async () => {
      const before: string[] = [];
      const controller = new AbortController();
      const first = await started(before, async () => void before.push('afterTraining'), controller.signal);
      controller.abort();
      await expect(first.done).rejects.toMatchObject({ code: 'TRAINER_CANCELLED' });
      expect(before).toEqual(['startRun', 'endRun KILLED']);

      const during: string[] = [];
      const later = new AbortController();
      const second = await started(during, async () => {
        later.abort();
        throw new Error('the scoring was aborted');
      }, later.signal);
      second.worker.reply({ type: 'done', result });
      await expect(second.done).rejects.toMatchObject({ code: 'TRAINER_CANCELLED' });
      expect(during).toEqual(['startRun', 'endRun KILLED']);
    });

    it('a Worker error after the run was held ends it FAILED', async () => {
      const log: string[] = [];
      const { worker, done } = await started(log, async () => undefined);
      worker.reply({ type: 'error', error: { code: 'WORKER_FAILED', problem: 'training failed: x' } });
      await expect(done).rejects.toMatchObject({ code: 'WORKER_FAILED' });
      expect(log).toEqual(['startRun', 'endRun FAILED']);
    });
  });
});
