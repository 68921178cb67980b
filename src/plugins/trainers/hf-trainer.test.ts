import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../host/index.ts';
import { sourceEnvironment } from '../../host/source-environment.test-helpers.ts';
import { minilm, type EncoderModel } from '../models/index.ts';
import { hfTrainer } from './hf-trainer.ts';
import { SeededRandom } from './seeded-random.ts';

const MODEL = new URL('../models/fixtures/tiny-minilm/', import.meta.url).href;

function rows(count: number, seed: number) {
  const random = new SeededRandom(seed);
  const sets = { yes: ['model', 'reads', 'file', 'line', 'rows'], no: ['browser', 'streams', 'texts', 'words', 'network'] };
  return Array.from({ length: count }, () => {
    const label = random.next() < 0.5 ? 'yes' : 'no';
    return { sentence: Array.from({ length: 4 }, () => sets[label][Math.floor(random.next() * 5)]).join(' '), label };
  });
}

let encoder: EncoderModel;
let host: Host;
async function stores() {
  const uri = `idb://hf-trainer-${Math.random().toString(36).slice(2)}`;
  return { tracking: host.tracking({ uri }), store: await host.trackingStore(uri) };
}

beforeAll(async () => {
  [encoder] = await minilm({ model_name: MODEL });
  host = await createHost({ environment: sourceEnvironment(), onWarning: () => {} });
});

describe('hf_trainer', () => {
  it('trains with TrainingArguments: per-epoch evaluation, linear decay, logging_steps, callbacks, the best model at the end', async () => {
    const { tracking, store } = await stores();
    const evaluations: number[] = [];
    const result = await hfTrainer(
      {
        learning_rate: 0.05, num_train_epochs: 5, per_device_train_batch_size: 16, eval_strategy: 'epoch', save_strategy: 'epoch',
        logging_steps: 4, load_best_model_at_end: true, metric_for_best_model: 'accuracy', text_field: 'sentence',
        callbacks: [{ on_evaluate: (_state: unknown, metrics: Record<string, number>) => void evaluations.push(metrics['eval_accuracy']!) }],
      },
      { model: encoder, data: rows(160, 1), tracking } as never,
    );
    expect(result.evaluation!['eval_accuracy']).toBeGreaterThanOrEqual(0.95);
    expect(evaluations).toHaveLength(5);
    expect(result.best).toMatchObject({ metric: 'eval_accuracy', value: Math.max(...evaluations) });
    const losses = await store.getMetricHistory(result.runId!, 'loss');
    expect(losses.map((point) => point.step)).toEqual(Array.from({ length: Math.floor(result.globalStep / 4) }, (_, index) => 4 * (index + 1)));
    const rates = (await store.getMetricHistory(result.runId!, 'learning_rate')).map((point) => point.value);
    expect(rates[0]).toBeCloseTo(0.05 * (1 - 3 / result.globalStep), 12); // the rate of the 4th update under linear decay to 0
    expect(rates.at(-1)!).toBeLessThan(rates[0]!);
    expect(result.checkpoints).toHaveLength(5);
  });

  it('stops when EarlyStoppingCallback\u2019s patience runs out', async () => {
    const result = await hfTrainer(
      { learning_rate: 0.05, num_train_epochs: 10, per_device_train_batch_size: 16, eval_strategy: 'epoch', save_strategy: 'no', text_field: 'sentence', callbacks: [{ early_stopping_patience: 1, early_stopping_threshold: 100 }] },
      { model: encoder, data: rows(60, 2) } as never,
    );
    expect(result).toMatchObject({ stoppedEarly: true, epochs: 2 });
  });

  it('resumes from a checkpoint saved mid-epoch (save_steps) to the parameters of an uninterrupted run', async () => {
    const args = { learning_rate: 0.05, num_train_epochs: 3, per_device_train_batch_size: 8, save_strategy: 'steps', save_steps: 5, logging_steps: 2, head: 'mlp', hidden_size: 6, text_field: 'sentence' } as const;
    const data = rows(50, 3);
    const whole = await hfTrainer(args, { model: encoder, data, tracking: (await stores()).tracking } as never);
    const { tracking } = await stores();
    const stop = { on_step_end: (state: { global_step: number; should_training_stop: boolean }) => void (state.should_training_stop = state.global_step >= 5) };
    const first = await hfTrainer({ ...args, callbacks: [stop] }, { model: encoder, data, tracking } as never);
    expect(first.lastCheckpoint.nextBatch).toBeGreaterThan(0);
    const resumed = await hfTrainer({ ...args, resume_from_checkpoint: JSON.stringify(first.lastCheckpoint) }, { model: encoder, data, tracking } as never);
    expect(Array.from(resumed.classifier.parameters)).toEqual(Array.from(whole.classifier.parameters));
    expect(resumed.curve).toEqual(whole.curve);
  });

  it('refuses an argument it cannot honour by name, with the reason, and accepts it at its default', async () => {
    const context = { model: encoder, data: rows(20, 4) } as never;
    const error = await hfTrainer({ fp16: true } as never, context).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'TRAINER_UNSUPPORTED_ARGUMENT', plugin: 'hf_trainer', field: 'fp16' });
    expect((error as Error).message).toContain('no half-precision path');
    await expect(hfTrainer({ gradient_accumulation_steps: 4 } as never, context)).rejects.toMatchObject({ field: 'gradient_accumulation_steps' });
    await expect(hfTrainer({ fp16: false, num_train_epochs: 1, text_field: 'sentence' } as never, context)).resolves.toMatchObject({ epochs: 1 });
  });

  it('names the field of an invalid or unknown argument, and of settings Hugging Face refuses together', async () => {
    const context = { model: encoder, data: rows(20, 5) } as never;
    await expect(hfTrainer({ learning_rate: -1 }, context)).rejects.toMatchObject({ code: 'TRAINER_BAD_CONFIG', field: 'learning_rate' });
    await expect(hfTrainer({ evaluation_strategy: 'epoch' } as never, context)).rejects.toMatchObject({ code: 'TRAINER_BAD_CONFIG', field: 'evaluation_strategy' });
    await expect(hfTrainer({ load_best_model_at_end: true, eval_strategy: 'epoch', save_strategy: 'steps' }, context)).rejects.toMatchObject({ field: 'save_strategy' });
    await expect(hfTrainer({ load_best_model_at_end: true }, context)).rejects.toMatchObject({ field: 'load_best_model_at_end' });
  });
});
