// The one training loop both built-in trainers run: a classifier head on frozen sentence embeddings.
import type { DataRecord, ModelProvenance } from 'plugboard/sdk';
import { modelProvenanceTag, modelTagValue } from '../../adapters/index.ts';
import { PlugboardError } from '../../errors/index.ts';
import { initialParameters, lossAndGradient, predictProbabilities, type HeadShape } from './classifier-head.ts';
import { checkCheckpointEncoder, type BestEvaluation, type Checkpoint, type CurvePoint } from './checkpoint.ts';
import { readEncoderProvenance } from './encoder-provenance.ts';
import { applyUpdate, clipGradientNorm, createOptimizerState, type OptimizerSettings } from './optimizer.ts';
import { SeededRandom } from './seeded-random.ts';
import { trainerError } from './trainer-error.ts';

/** Hooks called during training, named as Hugging Face's TrainerCallback names them; any may be absent. */
export interface TrainerCallback {
  on_train_begin?(state: TrainerState): void | Promise<void>;
  on_epoch_end?(state: TrainerState): void | Promise<void>;
  on_step_end?(state: TrainerState): void | Promise<void>;
  on_log?(state: TrainerState, logs: Record<string, number>): void | Promise<void>;
  on_evaluate?(state: TrainerState, metrics: Record<string, number>): void | Promise<void>;
  on_save?(state: TrainerState, path: string): void | Promise<void>;
  on_train_end?(state: TrainerState): void | Promise<void>;
}

/** What callbacks see (read-only, except `should_training_stop`, which a callback may set to stop after this step). */
export interface TrainerState {
  epoch: number;
  global_step: number;
  max_steps: number;
  best_metric: number | null;
  should_training_stop: boolean;
}

/** The loop's whole configuration, as both trainers' configs are mapped onto it. */
export interface TrainingPlan {
  trainer: string;
  head: HeadShape['kind'];
  hiddenSize: number;
  epochs: number;
  /** Stop after this many steps, whatever `epochs` says (null: epochs decide). */
  maxSteps: number | null;
  batchSize: number;
  evalBatchSize: number;
  learningRate: number;
  schedule: 'constant' | 'linear';
  /** Warmup steps; when 0, `warmupRatio` of all steps (rounded up), as TrainingArguments.get_warmup_steps does. */
  warmupSteps: number;
  warmupRatio: number;
  optimizer: OptimizerSettings;
  maxGradNorm: number | null;
  seed: number;
  validationSplit: number;
  textField: string;
  labelField: string;
  /** When the training loss is logged: the mean loss of the steps since the last log, every `steps` steps or at each epoch's end. */
  logging: { strategy: 'no' | 'epoch' | 'steps'; steps: number };
  evaluate: { strategy: 'no' | 'epoch' | 'steps'; steps: number };
  save: { strategy: 'no' | 'epoch' | 'steps'; steps: number };
  /** The evaluation metric that decides "best": `accuracy`, `f1` or `loss`. */
  bestMetric: 'accuracy' | 'f1' | 'loss';
  greaterIsBetter: boolean;
  loadBestAtEnd: boolean;
  earlyStopping: { patience: number; threshold: number } | null;
  callbacks: readonly TrainerCallback[];
  registerAs: string | null;
  resumeFrom: Checkpoint | null;
  runName: string | null;
}

/**
 * Something that embeds texts: the model a `minilm`/`bert_base_uncased` factory returns. Its `provenance` (a
 * ModelProvenance: the files it read and their SHA-384s) goes into the run, the checkpoints and the registered
 * version; an encoder without one trains unrecorded.
 */
export interface TextEmbedder {
  embed(texts: readonly string[], options?: { batchSize?: number }): Promise<number[][]>;
  provenance?: unknown;
}

/** The part of the fluent tracking API the loop uses. */
export interface TrainingTracking {
  startRun(options?: { runName?: string; runId?: string }): Promise<{ info: { runId: string; artifactUri: string } }>;
  logParams(params: Record<string, unknown>): Promise<void>;
  logMetrics(metrics: Record<string, number>, step?: number): Promise<void>;
  setTags(tags: Record<string, string>): Promise<void>;
  logArtifact(blob: Blob, path: string): Promise<void>;
  endRun(status?: 'FINISHED' | 'FAILED' | 'KILLED'): Promise<void>;
}

/** The part of a model registry store the loop uses. */
export interface TrainingRegistry {
  createRegisteredModel(name: string): Promise<unknown>;
  createModelVersion(name: string, source: string, runId?: string, tags?: { key: string; value: string }[]): Promise<{ version: string | number }>;
}

/** What a trainer is handed: the frozen encoder, the rows, and where to log, save and register. */
export interface TrainingContext {
  model: TextEmbedder | readonly [TextEmbedder, unknown];
  data: AsyncIterable<DataRecord> | Iterable<DataRecord>;
  /** Validation rows; without them `validationSplit` of the data is held out. */
  validation?: AsyncIterable<DataRecord> | Iterable<DataRecord>;
  tracking?: TrainingTracking;
  /** Tags the run gets besides the loop's own (the page adds the trainer's and model factory's plugin provenance). */
  tags?: Record<string, string>;
  registry?: TrainingRegistry;
  /** Aborting stops training after the current step: the run ends KILLED and the trainer rejects with TRAINER_CANCELLED. */
  signal?: AbortSignal;
  onProgress?(progress: { epoch: number; step: number; totalSteps: number; loss: number }): void;
}

/** A trained head: its labels, and a way to label new texts with the same encoder. */
export interface TrainedClassifier {
  labels: (string | number | boolean)[];
  shape: HeadShape;
  parameters: Float64Array;
  /** Labels of `texts`: the most probable class of each after embedding with the training encoder. */
  predict(texts: readonly string[]): Promise<(string | number | boolean)[]>;
}

/** What training resolves with. */
export interface TrainingResult {
  classifier: TrainedClassifier;
  runId: string | null;
  globalStep: number;
  epochs: number;
  stoppedEarly: boolean;
  curve: CurvePoint[];
  best: { metric: string; value: number; step: number } | null;
  /** The last evaluation of the parameters returned (after load_best_model_at_end, the best). */
  evaluation: Record<string, number> | null;
  checkpoints: string[];
  lastCheckpoint: Checkpoint;
  modelVersion: { name: string; version: string } | null;
  /** The encoder's files and their digests as the run recorded them (null when the encoder has no provenance). */
  encoder: ModelProvenance | null;
  /** The validation rows with the returned head's prediction for each, in order (empty without validation rows). */
  validation: ValidationPredictions;
  timings: { embeddingMs: number; trainingMs: number; stepsPerSecond: number };
}

/** Validation texts, their labels and the head's predicted labels, row for row: what a metric scores. */
export interface ValidationPredictions {
  texts: string[];
  labels: (string | number | boolean)[];
  predictions: (string | number | boolean)[];
}

type Label = string | number | boolean;

async function collect(source: AsyncIterable<DataRecord> | Iterable<DataRecord>): Promise<DataRecord[]> {
  const rows: DataRecord[] = [];
  for await (const row of source as AsyncIterable<DataRecord>) rows.push(row);
  return rows;
}

function readRows(plan: TrainingPlan, rows: DataRecord[], where: string): { texts: string[]; labels: Label[] } {
  const texts: string[] = [];
  const labels: Label[] = [];
  rows.forEach((row, index) => {
    const text = row[plan.textField];
    const label = row[plan.labelField];
    if (typeof text !== 'string') {
      throw trainerError({ code: 'TRAINER_INPUT', plugin: plan.trainer, field: `${where}[${index}].${plan.textField}`, problem: `row ${index + 1} of the ${where} has no text in "${plan.textField}" (found ${text === undefined ? 'nothing' : typeof text})`, hint: 'Name the text column with text_field, or give every row its text.' });
    }
    if (typeof label !== 'string' && typeof label !== 'number' && typeof label !== 'boolean') {
      throw trainerError({ code: 'TRAINER_INPUT', plugin: plan.trainer, field: `${where}[${index}].${plan.labelField}`, problem: `row ${index + 1} of the ${where} has no label in "${plan.labelField}"`, hint: 'Name the label column with label_field, or give every row its label.' });
    }
    texts.push(text);
    labels.push(label);
  });
  return { texts, labels };
}

function predictedClass(shape: HeadShape, parameters: Float64Array, input: Float64Array): number {
  const probabilities = predictProbabilities(shape, parameters, input);
  let best = 0;
  for (let c = 1; c < probabilities.length; c++) if (probabilities[c]! > probabilities[best]!) best = c;
  return best;
}

function evaluateHead(shape: HeadShape, parameters: Float64Array, inputs: Float64Array[], labels: number[]): Record<string, number> {
  const predicted = inputs.map((input) => predictedClass(shape, parameters, input));
  let correct = 0;
  predicted.forEach((label, row) => (correct += label === labels[row] ? 1 : 0));
  // Macro F1 over the classes (scikit-learn's f1_score(average="macro"), 0 for a class never predicted nor present).
  let f1 = 0;
  for (let c = 0; c < shape.classes; c++) {
    let tp = 0, fp = 0, fn = 0;
    predicted.forEach((label, row) => {
      if (label === c && labels[row] === c) tp++;
      else if (label === c) fp++;
      else if (labels[row] === c) fn++;
    });
    f1 += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return {
    eval_loss: lossAndGradient(shape, parameters, inputs, labels),
    eval_accuracy: inputs.length === 0 ? Number.NaN : correct / inputs.length,
    eval_f1: f1 / shape.classes,
  };
}

/**
 * Trains a classifier head on frozen embeddings of the rows' texts and resolves with it, its curve and where it
 * was logged, saved and registered. Every step's update is `plan`'s optimiser on the exact gradient of the
 * batch's mean cross-entropy; the batch order comes from the seed, so a run resumed from a checkpoint ends
 * with the very parameters of one that was never stopped.
 */
export async function runTraining(plan: TrainingPlan, context: TrainingContext): Promise<TrainingResult> {
  const encoder = (Array.isArray(context.model) ? context.model[0] : context.model) as TextEmbedder;
  if (!encoder || typeof encoder.embed !== 'function') {
    throw trainerError({ code: 'TRAINER_BAD_MODEL', plugin: plan.trainer, field: 'model', problem: 'the model is not a text encoder (it has no embed(texts) method)', hint: 'Pass what the minilm or bert_base_uncased factory returns, e.g. await host.registry("codex_ml.models").resolveAndInstantiate("minilm", {…}).' });
  }
  const encoderRecord = readEncoderProvenance(plan.trainer, encoder.provenance);
  const resumeField = plan.trainer === 'hf_trainer' ? 'resume_from_checkpoint' : 'resume_from';
  // Before any embedding: a head trained on one encoder's embeddings is wrong on another's, and nothing would say so.
  if (plan.resumeFrom) checkCheckpointEncoder(plan.trainer, resumeField, plan.resumeFrom, encoderRecord);
  const trainRows = readRows(plan, await collect(context.data), 'data');
  let validationRows = context.validation ? readRows(plan, await collect(context.validation), 'validation') : { texts: [] as string[], labels: [] as Label[] };
  const labelSet = [...new Set([...trainRows.labels, ...validationRows.labels])].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  if (labelSet.length < 2) {
    throw trainerError({ code: 'TRAINER_INPUT', plugin: plan.trainer, field: plan.labelField, problem: `the data has ${labelSet.length} distinct label${labelSet.length === 1 ? '' : 's'}; a classifier needs at least two`, hint: 'Check label_field names the label column.' });
  }
  const labelIndex = new Map(labelSet.map((label, index) => [label, index]));
  let train = trainRows;
  if (!context.validation && plan.validationSplit > 0) {
    const order = new SeededRandom(plan.seed ^ 0x5eed).shuffle(trainRows.texts.map((_, index) => index));
    const held = Math.max(1, Math.round(order.length * plan.validationSplit));
    const pick = (indices: number[]) => ({ texts: indices.map((i) => trainRows.texts[i]!), labels: indices.map((i) => trainRows.labels[i]!) });
    validationRows = pick(order.slice(order.length - held));
    train = pick(order.slice(0, order.length - held));
  }
  if (plan.evaluate.strategy !== 'no' && validationRows.texts.length === 0) {
    throw trainerError({ code: 'TRAINER_BAD_CONFIG', plugin: plan.trainer, field: plan.trainer === 'hf_trainer' ? 'eval_strategy' : 'validation_split', problem: 'evaluation is asked for, and there are no validation rows', hint: 'Give validation rows (context.validation) or a validation_split above 0, or turn evaluation off.' });
  }

  const embeddingStart = performance.now();
  const embed = async (texts: string[]) => (await encoder.embed(texts, { batchSize: plan.evalBatchSize })).map((row) => Float64Array.from(row));
  const trainInputs = await embed(train.texts);
  const validationInputs = await embed(validationRows.texts);
  const embeddingMs = performance.now() - embeddingStart;
  const trainLabels = train.labels.map((label) => labelIndex.get(label)!);
  const validationLabels = validationRows.labels.map((label) => labelIndex.get(label)!);

  const shape: HeadShape = { kind: plan.head, inputSize: trainInputs[0]?.length ?? 0, classes: labelSet.length, hiddenSize: plan.head === 'mlp' ? plan.hiddenSize : 0 };
  const resume = plan.resumeFrom;
  if (resume && (JSON.stringify(resume.shape) !== JSON.stringify(shape) || JSON.stringify(resume.labels) !== JSON.stringify(labelSet))) {
    throw trainerError({ code: 'TRAINER_BAD_CHECKPOINT', plugin: plan.trainer, field: resumeField, problem: `the checkpoint is of another head (${JSON.stringify(resume.shape)}, labels ${JSON.stringify(resume.labels)}) than this data and config give (${JSON.stringify(shape)}, labels ${JSON.stringify(labelSet)})`, hint: 'Resume with the same data, encoder and head settings the checkpoint was trained with.' });
  }
  const random = new SeededRandom(plan.seed);
  const parameters = resume ? Float64Array.from(resume.parameters) : initialParameters(shape, random);
  if (resume) random.state = resume.randomState;
  const optimizerState = resume
    ? { step: resume.optimizer.step, firstMoment: Float64Array.from(resume.optimizer.firstMoment), secondMoment: Float64Array.from(resume.optimizer.secondMoment) }
    : createOptimizerState(parameters.length);
  const batchesPerEpoch = Math.ceil(trainInputs.length / plan.batchSize);
  const maxSteps = plan.maxSteps ?? plan.epochs * batchesPerEpoch;
  const curve: CurvePoint[] = resume ? [...resume.curve] : [];
  let best: BestEvaluation | null = resume?.best ?? null;
  let sinceBest = resume?.sinceBest ?? 0;
  let globalStep = resume?.globalStep ?? 0;
  let epoch = resume?.epoch ?? 0;
  let nextBatch = resume?.nextBatch ?? 0;
  let order = resume && resume.order.length > 0 ? [...resume.order] : [];
  const state: TrainerState = { epoch, global_step: globalStep, max_steps: maxSteps, best_metric: best?.value ?? null, should_training_stop: false };
  const checkpoints: string[] = [];
  let stoppedEarly = false;
  let lastEvaluation: Record<string, number> | null = null;

  const tracking = context.tracking;
  const run = tracking ? await tracking.startRun(resume?.runId ? { runId: resume.runId } : plan.runName ? { runName: plan.runName } : {}) : null;
  const runId = run?.info.runId ?? null;
  const warmupSteps = plan.warmupSteps > 0 ? plan.warmupSteps : Math.ceil(maxSteps * plan.warmupRatio);
  // The learning rate of the update after `step` updates: transformers' get_linear_schedule_with_warmup /
  // get_constant_schedule_with_warmup multipliers.
  const rateAt = (step: number) => {
    if (step < warmupSteps) return (plan.learningRate * step) / Math.max(1, warmupSteps);
    if (plan.schedule === 'constant') return plan.learningRate;
    return plan.learningRate * Math.max(0, (maxSteps - step) / Math.max(1, maxSteps - warmupSteps));
  };
  let lossSum = resume?.pendingLoss.sum ?? 0;
  let lossCount = resume?.pendingLoss.count ?? 0;
  const makeCheckpoint = (): Checkpoint => ({
    format: 'plugboard.classifier-head-checkpoint',
    version: 1,
    trainer: plan.trainer,
    shape,
    labels: labelSet,
    parameters: Array.from(parameters),
    optimizer: { step: optimizerState.step, firstMoment: Array.from(optimizerState.firstMoment), secondMoment: Array.from(optimizerState.secondMoment) },
    globalStep,
    epoch,
    nextBatch,
    order: nextBatch === 0 ? [] : order,
    randomState: random.state,
    best,
    sinceBest,
    curve,
    pendingLoss: { sum: lossSum, count: lossCount },
    runId,
    encoder: encoderRecord,
  });
  const log = async (values: Record<string, number>) => {
    curve.push({ step: globalStep, epoch, values });
    await tracking?.logMetrics(values, globalStep);
    for (const callback of plan.callbacks) await callback.on_log?.(state, values);
  };
  const evaluate = async () => {
    const metrics = evaluateHead(shape, parameters, validationInputs, validationLabels);
    lastEvaluation = metrics;
    await log(metrics);
    for (const callback of plan.callbacks) await callback.on_evaluate?.(state, metrics);
    const value = metrics[`eval_${plan.bestMetric}`]!;
    const threshold = plan.earlyStopping?.threshold ?? 0;
    const improved = best === null || (plan.greaterIsBetter ? value > best.value + threshold : value < best.value - threshold);
    if (improved) {
      best = { value, step: globalStep, parameters: Array.from(parameters) };
      sinceBest = 0;
    } else sinceBest++;
    state.best_metric = best!.value;
    if (plan.earlyStopping && sinceBest >= plan.earlyStopping.patience) {
      stoppedEarly = true;
      state.should_training_stop = true;
    }
  };
  const save = async () => {
    if (!tracking) return;
    const path = `checkpoint-${globalStep}/checkpoint.json`;
    await tracking.logArtifact(new Blob([JSON.stringify(makeCheckpoint())], { type: 'application/json' }), path);
    checkpoints.push(path);
    for (const callback of plan.callbacks) await callback.on_save?.(state, path);
  };

  const trainingStart = performance.now();
  let stepsRun = 0;
  // The encoder's files and digests, as an evaluation run records a metric's model; the full records are in model/head.json.
  const modelTags = encoderRecord ? { [modelProvenanceTag(plan.trainer)]: modelTagValue([encoderRecord], 'model/head.json (encoder)') } : {};
  try {
    const tags = { ...context.tags, ...modelTags };
    if (tracking && Object.keys(tags).length > 0) await tracking.setTags(tags);
    if (!resume && tracking) {
      await tracking.logParams({
        trainer: plan.trainer, head: plan.head, hidden_size: shape.hiddenSize, epochs: plan.epochs, max_steps: maxSteps, batch_size: plan.batchSize,
        learning_rate: plan.learningRate, lr_scheduler: plan.schedule, warmup_steps: warmupSteps, optimizer: plan.optimizer.kind,
        weight_decay: plan.optimizer.weightDecay, max_grad_norm: plan.maxGradNorm ?? 'none', seed: plan.seed, labels: labelSet.join(','),
        train_rows: trainInputs.length, validation_rows: validationInputs.length,
      });
    }
    for (const callback of plan.callbacks) await callback.on_train_begin?.(state);
    const gradient = new Float64Array(parameters.length);
    while (globalStep < maxSteps && !state.should_training_stop) {
      if (nextBatch === 0) order = random.shuffle(trainInputs.map((_, index) => index));
      const indices = order.slice(nextBatch * plan.batchSize, (nextBatch + 1) * plan.batchSize);
      gradient.fill(0);
      const loss = lossAndGradient(shape, parameters, indices.map((i) => trainInputs[i]!), indices.map((i) => trainLabels[i]!), gradient);
      if (plan.maxGradNorm !== null) clipGradientNorm(gradient, plan.maxGradNorm);
      applyUpdate(plan.optimizer, optimizerState, parameters, gradient, rateAt(globalStep));
      globalStep++;
      stepsRun++;
      nextBatch++;
      const epochDone = nextBatch >= batchesPerEpoch;
      if (epochDone) nextBatch = 0;
      state.global_step = globalStep;
      state.epoch = epoch + (epochDone ? 1 : nextBatch / batchesPerEpoch);
      lossSum += loss;
      lossCount++;
      if ((plan.logging.strategy === 'steps' && globalStep % plan.logging.steps === 0) || (plan.logging.strategy === 'epoch' && epochDone)) {
        await log({ loss: lossSum / lossCount, learning_rate: rateAt(globalStep - 1) });
        lossSum = 0;
        lossCount = 0;
      }
      context.onProgress?.({ epoch, step: globalStep, totalSteps: maxSteps, loss });
      if (plan.evaluate.strategy === 'steps' && globalStep % plan.evaluate.steps === 0) await evaluate();
      if (epochDone) {
        epoch++;
        if (plan.evaluate.strategy === 'epoch') await evaluate();
      }
      for (const callback of plan.callbacks) await callback.on_step_end?.(state);
      if (epochDone) for (const callback of plan.callbacks) await callback.on_epoch_end?.(state);
      if ((plan.save.strategy === 'steps' && globalStep % plan.save.steps === 0) || (plan.save.strategy === 'epoch' && epochDone)) await save();
      if (context.signal?.aborted) {
        throw trainerError({ code: 'TRAINER_CANCELLED', plugin: plan.trainer, problem: `training was cancelled at step ${globalStep} of ${maxSteps}`, hint: 'Resume from the last checkpoint artifact to continue.' });
      }
    }
    const finalBest = best as BestEvaluation | null;
    if (plan.loadBestAtEnd && finalBest) {
      parameters.set(finalBest.parameters);
      lastEvaluation = validationInputs.length > 0 ? evaluateHead(shape, parameters, validationInputs, validationLabels) : null;
    }
    const trainingMs = performance.now() - trainingStart;
    for (const callback of plan.callbacks) await callback.on_train_end?.(state);
    let modelVersion: TrainingResult['modelVersion'] = null;
    if (tracking) {
      const head = { format: 'plugboard.classifier-head', version: 1, shape, labels: labelSet, parameters: Array.from(parameters), encoder: encoderRecord };
      await tracking.logArtifact(new Blob([JSON.stringify(head)], { type: 'application/json' }), 'model/head.json');
      if (plan.registerAs !== null && context.registry && run) {
        await context.registry.createRegisteredModel(plan.registerAs).catch((thrown: unknown) => {
          if ((thrown as { code?: unknown }).code !== 'RESOURCE_ALREADY_EXISTS') throw thrown;
        });
        // The version carries the encoder's digests as its own tag too: a registered head is only right on that encoder's embeddings.
        const versionTags = Object.entries(modelTags).map(([key, value]) => ({ key, value }));
        const version = await context.registry.createModelVersion(plan.registerAs, `${run.info.artifactUri}/model`, runId!, versionTags);
        modelVersion = { name: plan.registerAs, version: String(version.version) };
      }
      await tracking.endRun('FINISHED');
    }
    const bestSummary = finalBest ? { metric: `eval_${plan.bestMetric}`, value: finalBest.value, step: finalBest.step } : null;
    return {
      classifier: {
        labels: labelSet,
        shape,
        parameters,
        async predict(texts) {
          const inputs = await embed([...texts]);
          return inputs.map((input) => labelSet[predictedClass(shape, parameters, input)]!);
        },
      },
      runId,
      globalStep,
      epochs: epoch,
      stoppedEarly,
      curve,
      best: bestSummary,
      evaluation: lastEvaluation,
      checkpoints,
      lastCheckpoint: makeCheckpoint(),
      modelVersion,
      encoder: encoderRecord,
      validation: {
        texts: validationRows.texts,
        labels: validationRows.labels,
        predictions: validationInputs.map((input) => labelSet[predictedClass(shape, parameters, input)]!),
      },
      timings: { embeddingMs, trainingMs, stepsPerSecond: stepsRun / Math.max(trainingMs / 1000, 1e-9) },
    };
  } catch (thrown) {
    const cancelled = thrown instanceof PlugboardError && thrown.code === 'TRAINER_CANCELLED';
    await tracking?.endRun(cancelled ? 'KILLED' : 'FAILED').catch(() => undefined);
    throw thrown;
  }
}
