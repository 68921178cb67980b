// `hf_trainer`: Hugging Face's Trainer/TrainingArguments vocabulary mapped onto the same loop as `functional`.
import * as z from 'zod/mini';
import { defineTrainer, type TrainerContext } from 'plugboard/sdk';
import { readCheckpoint } from './checkpoint.ts';
import { readConfig } from './read-config.ts';
import { trainerError } from './trainer-error.ts';
import { UNSUPPORTED_ARGUMENTS } from './unsupported-arguments.ts';
import { runTraining, type TrainerCallback, type TrainingContext, type TrainingResult } from './training-loop.ts';

const SUPPORTED_OPTIMIZERS = { adamw_torch: 'adamw', adamw_hf: 'adamw', sgd: 'sgd' } as const;
const strategy = () => z.optional(z.enum(['no', 'steps', 'epoch']));
const positiveInteger = () => z.int().check(z.minimum(1));

/**
 * The `hf_trainer` config: TrainingArguments' names and defaults (learning_rate 5e-5, 3 epochs, batch 8,
 * AdamW, linear decay, max_grad_norm 1, seed 42, logging every 500 steps), plus `head`, `hidden_size`,
 * `text_field`, `label_field`, `validation_split`, `register_as`, `resume_from_checkpoint` (Trainer.train's
 * argument) and `callbacks` (objects with TrainerCallback's `on_*` methods, or `{ early_stopping_patience,
 * early_stopping_threshold }` as EarlyStoppingCallback takes them).
 */
export const HfTrainerConfigSchema = z.strictObject({
  output_dir: z.optional(z.string()),
  run_name: z.optional(z.string().check(z.minLength(1))),
  report_to: z.optional(z.union([z.enum(['none', 'mlflow', 'all']), z.array(z.string())])),
  learning_rate: z.optional(z.number().check(z.positive())),
  num_train_epochs: z.optional(z.number().check(z.positive())),
  max_steps: z.optional(z.int().check(z.minimum(-1))),
  per_device_train_batch_size: z.optional(positiveInteger()),
  per_device_eval_batch_size: z.optional(positiveInteger()),
  weight_decay: z.optional(z.number().check(z.gte(0))),
  adam_beta1: z.optional(z.number().check(z.gte(0), z.lt(1))),
  adam_beta2: z.optional(z.number().check(z.gte(0), z.lt(1))),
  adam_epsilon: z.optional(z.number().check(z.positive())),
  max_grad_norm: z.optional(z.number().check(z.gte(0))),
  optim: z.optional(z.enum(Object.keys(SUPPORTED_OPTIMIZERS) as ['adamw_torch', 'adamw_hf', 'sgd'])),
  lr_scheduler_type: z.optional(z.enum(['linear', 'constant', 'constant_with_warmup'])),
  warmup_steps: z.optional(z.int().check(z.gte(0))),
  warmup_ratio: z.optional(z.number().check(z.gte(0), z.lte(1))),
  seed: z.optional(z.int()),
  eval_strategy: strategy(),
  eval_steps: z.optional(positiveInteger()),
  logging_strategy: strategy(),
  logging_steps: z.optional(positiveInteger()),
  save_strategy: strategy(),
  save_steps: z.optional(positiveInteger()),
  load_best_model_at_end: z.optional(z.boolean()),
  metric_for_best_model: z.optional(z.enum(['loss', 'eval_loss', 'accuracy', 'eval_accuracy', 'f1', 'eval_f1'])),
  greater_is_better: z.optional(z.boolean()),
  callbacks: z.optional(z.array(z.custom<TrainerCallback | { early_stopping_patience?: number; early_stopping_threshold?: number }>((value) => value !== null && typeof value === 'object'))),
  resume_from_checkpoint: z.optional(z.unknown()),
  head: z.optional(z.enum(['softmax_regression', 'mlp'])),
  hidden_size: z.optional(positiveInteger()),
  text_field: z.optional(z.string().check(z.minLength(1))),
  label_field: z.optional(z.string().check(z.minLength(1))),
  validation_split: z.optional(z.number().check(z.gte(0), z.lt(1))),
  register_as: z.optional(z.nullable(z.string().check(z.minLength(1)))),
});

/** An `hf_trainer` config as given. */
export type HfTrainerConfig = z.infer<typeof HfTrainerConfigSchema>;

function refuseUnsupported(config: unknown): void {
  if (config === null || typeof config !== 'object') return;
  for (const [name, value] of Object.entries(config)) {
    const unsupported = UNSUPPORTED_ARGUMENTS[name];
    if (!unsupported || value === undefined || JSON.stringify(value) === JSON.stringify(unsupported.default)) continue;
    throw trainerError({
      code: 'TRAINER_UNSUPPORTED_ARGUMENT',
      plugin: 'hf_trainer',
      field: name,
      problem: `${name}=${JSON.stringify(value)} cannot be honoured here: ${unsupported.reason}`,
      hint: `Leave ${name} out (or at its default ${JSON.stringify(unsupported.default)}).`,
    });
  }
}

/**
 * The `hf_trainer` trainer: the same loop as `functional`, configured with TrainingArguments. Evaluation,
 * logging and saving follow their `*_strategy`/`*_steps`; `load_best_model_at_end` needs evaluation and
 * saving on the same strategy, as Hugging Face requires. Rejects with TRAINER_UNSUPPORTED_ARGUMENT naming an
 * argument it cannot honour and TRAINER_BAD_CONFIG naming a field that is invalid.
 */
export const hfTrainer = defineTrainer(async (config: HfTrainerConfig, trainerContext: TrainerContext): Promise<TrainingResult> => {
  const context = trainerContext as TrainingContext; // the loop checks the model, data and tracking it is given
  refuseUnsupported(config);
  const args = readConfig('hf_trainer', HfTrainerConfigSchema, Object.fromEntries(Object.entries(config ?? {}).filter(([name]) => !(name in UNSUPPORTED_ARGUMENTS))));
  const evalStrategy = args.eval_strategy ?? 'no';
  const saveStrategy = args.save_strategy ?? 'steps';
  const loggingStrategy = args.logging_strategy ?? 'steps';
  const evalSteps = args.eval_steps ?? args.logging_steps ?? 500;
  const saveSteps = args.save_steps ?? 500;
  const bad = (field: string, problem: string, hint: string) => trainerError({ code: 'TRAINER_BAD_CONFIG', plugin: 'hf_trainer', field, problem, hint });
  if (args.load_best_model_at_end) {
    if (evalStrategy === 'no') throw bad('load_best_model_at_end', 'load_best_model_at_end needs evaluation, and eval_strategy is "no"', 'Set eval_strategy to "epoch" or "steps".');
    if (evalStrategy !== saveStrategy) throw bad('save_strategy', `load_best_model_at_end needs save_strategy to match eval_strategy ("${evalStrategy}"), and it is "${saveStrategy}"`, `Set save_strategy: "${evalStrategy}".`);
    if (evalStrategy === 'steps' && saveSteps % evalSteps !== 0) throw bad('save_steps', `load_best_model_at_end needs save_steps (${saveSteps}) to be a multiple of eval_steps (${evalSteps})`, 'Make save_steps a multiple of eval_steps.');
  }
  const metric = (args.metric_for_best_model ?? 'loss').replace(/^eval_/, '') as 'loss' | 'accuracy' | 'f1';
  const callbacks: TrainerCallback[] = [];
  let earlyStopping: { patience: number; threshold: number } | null = null;
  for (const [index, callback] of (args.callbacks ?? []).entries()) {
    if ('early_stopping_patience' in callback || 'early_stopping_threshold' in callback) {
      const patience = (callback as { early_stopping_patience?: unknown }).early_stopping_patience ?? 1;
      if (typeof patience !== 'number' || !Number.isInteger(patience) || patience < 1) throw bad(`callbacks[${index}].early_stopping_patience`, `early_stopping_patience must be a positive integer, received ${JSON.stringify(patience)}`, 'Pass early_stopping_patience: 3, for example.');
      if (evalStrategy === 'no') throw bad(`callbacks[${index}]`, 'EarlyStoppingCallback needs evaluation, and eval_strategy is "no"', 'Set eval_strategy to "epoch" or "steps".');
      earlyStopping = { patience, threshold: Number((callback as { early_stopping_threshold?: unknown }).early_stopping_threshold ?? 0) };
    } else callbacks.push(callback as TrainerCallback);
  }
  const epochs = Math.ceil(args.num_train_epochs ?? 3);
  const maxSteps = args.max_steps !== undefined && args.max_steps > 0 ? args.max_steps : null;
  const scheduler = args.lr_scheduler_type ?? 'linear';
  // Hugging Face's "constant" schedule has no warmup; "constant_with_warmup" and "linear" do.
  const warmup = scheduler === 'constant' ? { steps: 0, ratio: 0 } : { steps: args.warmup_steps ?? 0, ratio: args.warmup_ratio ?? 0 };
  return runTraining({
    trainer: 'hf_trainer',
    head: args.head ?? 'softmax_regression',
    hiddenSize: args.hidden_size ?? 64,
    epochs,
    maxSteps,
    batchSize: args.per_device_train_batch_size ?? 8,
    evalBatchSize: args.per_device_eval_batch_size ?? 8,
    learningRate: args.learning_rate ?? 5e-5,
    schedule: scheduler === 'linear' ? 'linear' : 'constant',
    warmupSteps: warmup.steps,
    warmupRatio: warmup.ratio,
    optimizer: {
      kind: SUPPORTED_OPTIMIZERS[args.optim ?? 'adamw_torch'],
      beta1: args.adam_beta1 ?? 0.9,
      beta2: args.adam_beta2 ?? 0.999,
      epsilon: args.adam_epsilon ?? 1e-8,
      weightDecay: args.weight_decay ?? 0,
    },
    maxGradNorm: (args.max_grad_norm ?? 1) > 0 ? (args.max_grad_norm ?? 1) : null,
    seed: args.seed ?? 42,
    validationSplit: args.validation_split ?? (evalStrategy === 'no' ? 0 : 0.2),
    textField: args.text_field ?? 'text',
    labelField: args.label_field ?? 'label',
    logging: loggingStrategy === 'steps' ? { strategy: 'steps', steps: args.logging_steps ?? 500 } : { strategy: loggingStrategy, steps: 0 },
    evaluate: { strategy: evalStrategy, steps: evalSteps },
    save: { strategy: saveStrategy, steps: saveSteps },
    bestMetric: metric,
    greaterIsBetter: args.greater_is_better ?? metric !== 'loss',
    loadBestAtEnd: args.load_best_model_at_end ?? false,
    earlyStopping,
    callbacks,
    registerAs: args.register_as ?? null,
    resumeFrom: args.resume_from_checkpoint === undefined ? null : await readCheckpoint('hf_trainer', 'resume_from_checkpoint', args.resume_from_checkpoint),
    runName: args.run_name ?? null,
  }, context);
});
