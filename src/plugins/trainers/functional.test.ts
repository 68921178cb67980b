import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../host/index.ts';
import { sourceEnvironment } from '../../host/source-environment.test-helpers.ts';
import { minilm, type EncoderModel } from '../models/index.ts';
import { accuracy } from '../metrics/accuracy.ts';
import { computeMetric } from '../metrics/compute-metric.ts';
import { functional } from './functional.ts';
import { SeededRandom } from './seeded-random.ts';
import type { TrainingResult } from './training-loop.ts';

const MODEL = new URL('../models/fixtures/tiny-minilm/', import.meta.url).href;
const FIRST = ['model', 'reads', 'file', 'line', 'rows', 'whole'];
const SECOND = ['browser', 'streams', 'texts', 'words', 'network', 'short'];

/** A separable task: a row's words come from one of two word sets, and the set is its label. */
function rows(count: number, seed: number) {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, () => {
    const label = random.next() < 0.5 ? 'first' : 'second';
    const words = label === 'first' ? FIRST : SECOND;
    const text = Array.from({ length: 3 + Math.floor(random.next() * 4) }, () => words[Math.floor(random.next() * words.length)]).join(' ');
    return { text, label };
  });
}

let encoder: EncoderModel;
let host: Host;
const uri = () => `idb://trainer-${Math.random().toString(36).slice(2)}`;

async function stores() {
  const trackingUri = uri();
  return { tracking: host.tracking({ uri: trackingUri }), store: await host.trackingStore(trackingUri), registry: await host.modelRegistry(trackingUri) };
}

beforeAll(async () => {
  [encoder] = await minilm({ model_name: MODEL });
  host = await createHost({ environment: sourceEnvironment(), onWarning: () => {} });
});

describe('functional', () => {
  for (const head of ['softmax_regression', 'mlp'] as const) {
    it(`${head}: learns the separable task to at least 95% validation accuracy, logs its curve and registers a version`, async () => {
      const { tracking, store, registry } = await stores();
      const data = rows(200, 1);
      const result = await functional(
        { head, hidden_size: 16, epochs: 8, batch_size: 16, learning_rate: 0.05, seed: 3, register_as: `classifier-${head}` },
        { model: encoder, data, tracking, registry } as never,
      );
      expect(result.evaluation!['eval_accuracy']).toBeGreaterThanOrEqual(0.95);
      const losses = await store.getMetricHistory(result.runId!, 'loss');
      expect(losses.map((point) => point.step)).toEqual(Array.from({ length: result.globalStep }, (_, index) => index + 1));
      expect(losses.at(-1)!.value).toBeLessThan(losses[0]!.value);
      expect((await store.getMetricHistory(result.runId!, 'eval_accuracy')).length).toBe(8);
      expect((await store.getRun(result.runId!)).info.status).toBe('FINISHED');
      expect(result.checkpoints).toHaveLength(8);
      expect(result.modelVersion).toEqual({ name: `classifier-${head}`, version: '1' });
      const version = await registry.getModelVersion(`classifier-${head}`, 1);
      expect(version).toMatchObject({ runId: result.runId, source: `${(await store.getRun(result.runId!)).info.artifactUri}/model` });
      // Scored with the built-in metrics on held-out rows:
      const test = rows(60, 99);
      const predicted = await result.classifier.predict(test.map((row) => row.text));
      expect(await computeMetric(accuracy, predicted, test.map((row) => row.label))).toBeGreaterThanOrEqual(0.95);
    });
  }

  it('returns the validation rows with the returned head’s predictions, which the classifier gives too and eval_accuracy counts', async () => {
    const result = await functional({ epochs: 3, batch_size: 16, learning_rate: 0.05, seed: 3, validation_split: 0.25 }, { model: encoder, data: rows(80, 5) } as never);
    const { texts, labels, predictions } = result.validation;
    expect(texts).toHaveLength(20);
    expect(labels).toHaveLength(20);
    expect(predictions).toEqual(await result.classifier.predict(texts));
    expect(await computeMetric(accuracy, predictions, labels)).toBe(result.evaluation!['eval_accuracy']);
  });

  it('resumes from a checkpoint artifact to the very parameters of an uninterrupted run', async () => {
    const config = { head: 'mlp', hidden_size: 8, epochs: 6, batch_size: 16, learning_rate: 0.05, seed: 5 } as const;
    const data = rows(120, 2);
    const whole = await functional(config, { model: encoder, data, tracking: (await stores()).tracking } as never);
    const { tracking, store } = await stores();
    const stopAtThree = { on_epoch_end: (state: { epoch: number; should_training_stop: boolean }) => void (state.should_training_stop = state.epoch >= 3) };
    const first = await functional({ ...config, callbacks: [stopAtThree] }, { model: encoder, data, tracking } as never);
    expect(first.epochs).toBe(3);
    const path = first.checkpoints.at(-1)!;
    const artifacts = await host.artifactRepository((await store.getRun(first.runId!)).info.artifactUri);
    const resumed: TrainingResult = await functional({ ...config, resume_from: await artifacts.downloadArtifact(path) }, { model: encoder, data, tracking } as never);
    expect(resumed.runId).toBe(first.runId);
    expect(resumed.globalStep).toBe(whole.globalStep);
    expect(Array.from(resumed.classifier.parameters)).toEqual(Array.from(whole.classifier.parameters));
    expect(resumed.curve.map((point) => point.values)).toEqual(whole.curve.map((point) => point.values));
  });

  it('stops early when the validation metric stops improving, and can restore the best parameters', async () => {
    const result = await functional(
      { epochs: 10, learning_rate: 0.05, seed: 1, early_stopping: { metric: 'loss', patience: 1, min_delta: 100, restore_best: true }, checkpoint_every: 'no' },
      { model: encoder, data: rows(80, 3) } as never,
    );
    expect(result).toMatchObject({ stoppedEarly: true, epochs: 2, best: { metric: 'eval_loss', step: 4 } });
    expect(result.evaluation!['eval_loss']).toBe(result.best!.value);
  });

  it('ends the run KILLED and rejects with TRAINER_CANCELLED when cancelled', async () => {
    const { tracking, store } = await stores();
    const controller = new AbortController();
    let runId = '';
    const error = await functional(
      { epochs: 5, seed: 1 },
      { model: encoder, data: rows(80, 4), tracking, signal: controller.signal, onProgress: (progress: { step: number }) => progress.step === 3 && controller.abort() } as never,
    ).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'TRAINER_CANCELLED', group: 'codex_ml.trainers', plugin: 'functional' });
    const { runs } = await store.searchRuns({ experimentIds: ['0'] });
    runId = runs[0]!.info.runId;
    expect((await store.getRun(runId)).info.status).toBe('KILLED');
  });

  it('names the field of a bad config and of a row without its label', async () => {
    const context = { model: encoder, data: rows(10, 5) } as never;
    await expect(functional({ epochs: 0 }, context)).rejects.toMatchObject({ code: 'TRAINER_BAD_CONFIG', field: 'epochs' });
    await expect(functional({ head: 'transformer' } as never, context)).rejects.toMatchObject({ code: 'TRAINER_BAD_CONFIG', field: 'head' });
    await expect(functional({ epoch: 3 } as never, context)).rejects.toMatchObject({ code: 'TRAINER_BAD_CONFIG', field: 'epoch' });
    await expect(functional({ resume_from: '{"not":"a checkpoint"}' }, context)).rejects.toMatchObject({ code: 'TRAINER_BAD_CHECKPOINT', field: 'resume_from' });
    await expect(functional({}, { model: encoder, data: [{ text: 'a', label: 'x' }, { text: 'b' }] } as never)).rejects.toMatchObject({ code: 'TRAINER_INPUT', field: 'data[1].label' });
    await expect(functional({}, { model: {}, data: [] } as never)).rejects.toMatchObject({ code: 'TRAINER_BAD_MODEL', field: 'model' });
  });
});
