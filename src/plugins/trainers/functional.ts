// `functional`: the training loop configured by plain options (epochs, batch size, learning rate, seed, early stopping).
import * as z from 'zod/mini';
import { defineTrainer, type TrainerContext } from 'plugboard/sdk';
import { readCheckpoint } from './checkpoint.ts';
import { readConfig } from './read-config.ts';
import { runTraining, type TrainerCallback, type TrainingContext, type TrainingResult } from './training-loop.ts';

const positiveInteger = () => z.int().check(z.minimum(1));

/**
 * The `functional` config. The built-in task is `text_classification`: a `head` (`softmax_regression` or
 * `mlp` with `hidden_size` ReLU units) on frozen embeddings of `text_field`, predicting `label_field`.
 * `early_stopping` stops when the validation `metric` has not improved by `min_delta` for `patience`
 * evaluations (one per epoch); the best parameters are kept when `restore_best` is set. A checkpoint is
 * saved as an artifact after every epoch unless `checkpoint_every` is "no"; `resume_from` takes one back.
 */
export const FunctionalConfigSchema = z.strictObject({
  task: z.optional(z.literal('text_classification')),
  head: z.optional(z.enum(['softmax_regression', 'mlp'])),
  hidden_size: z.optional(positiveInteger()),
  epochs: z.optional(positiveInteger()),
  batch_size: z.optional(positiveInteger()),
  learning_rate: z.optional(z.number().check(z.positive())),
  optimizer: z.optional(z.enum(['adamw', 'sgd'])),
  weight_decay: z.optional(z.number().check(z.gte(0))),
  max_grad_norm: z.optional(z.nullable(z.number().check(z.positive()))),
  seed: z.optional(z.int()),
  validation_split: z.optional(z.number().check(z.gte(0), z.lt(1))),
  text_field: z.optional(z.string().check(z.minLength(1))),
  label_field: z.optional(z.string().check(z.minLength(1))),
  early_stopping: z.optional(z.nullable(z.strictObject({
    metric: z.optional(z.enum(['accuracy', 'f1', 'loss'])),
    patience: z.optional(positiveInteger()),
    min_delta: z.optional(z.number().check(z.gte(0))),
    restore_best: z.optional(z.boolean()),
  }))),
  checkpoint_every: z.optional(z.enum(['epoch', 'no'])),
  resume_from: z.optional(z.unknown()),
  register_as: z.optional(z.nullable(z.string().check(z.minLength(1)))),
  run_name: z.optional(z.string().check(z.minLength(1))),
  callbacks: z.optional(z.array(z.custom<TrainerCallback>((value) => value !== null && typeof value === 'object'))),
});

/** A `functional` config as given. */
export type FunctionalConfig = z.infer<typeof FunctionalConfigSchema>;

/**
 * The `functional` trainer: fits the head with AdamW (or SGD) at a constant learning rate, logs the loss of
 * every step and the validation loss, accuracy and macro F1 of every epoch to the tracking store, saves
 * checkpoints and the final head as artifacts, and registers the head when `register_as` is set. Rejects
 * with TRAINER_BAD_CONFIG naming the field of a bad config.
 */
export const functional = defineTrainer(async (config: FunctionalConfig, trainerContext: TrainerContext): Promise<TrainingResult> => {
  const context = trainerContext as TrainingContext; // the loop checks the model, data and tracking it is given
  const options = readConfig('functional', FunctionalConfigSchema, config);
  const stopping = options.early_stopping ?? null;
  const metric = stopping?.metric ?? 'accuracy';
  return runTraining({
    trainer: 'functional',
    head: options.head ?? 'softmax_regression',
    hiddenSize: options.hidden_size ?? 64,
    epochs: options.epochs ?? 10,
    maxSteps: null,
    batchSize: options.batch_size ?? 16,
    evalBatchSize: 32,
    learningRate: options.learning_rate ?? 0.01,
    schedule: 'constant',
    warmupSteps: 0,
    warmupRatio: 0,
    optimizer: { kind: options.optimizer ?? 'adamw', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: options.weight_decay ?? 0 },
    maxGradNorm: options.max_grad_norm ?? null,
    seed: options.seed ?? 0,
    validationSplit: options.validation_split ?? 0.2,
    textField: options.text_field ?? 'text',
    labelField: options.label_field ?? 'label',
    logging: { strategy: 'steps', steps: 1 },
    evaluate: { strategy: (options.validation_split ?? 0.2) > 0 || context.validation ? 'epoch' : 'no', steps: 0 },
    save: { strategy: options.checkpoint_every ?? 'epoch', steps: 0 },
    bestMetric: metric,
    greaterIsBetter: metric !== 'loss',
    loadBestAtEnd: stopping?.restore_best ?? false,
    earlyStopping: stopping ? { patience: stopping.patience ?? 3, threshold: stopping.min_delta ?? 0 } : null,
    callbacks: options.callbacks ?? [],
    registerAs: options.register_as ?? null,
    resumeFrom: options.resume_from === undefined ? null : await readCheckpoint('functional', 'resume_from', options.resume_from),
    runName: options.run_name ?? null,
  }, context);
});
