// The built-in `codex_ml.trainers`: a classifier head on frozen sentence embeddings, configured plainly or as Hugging Face's Trainer.
export { functional, FunctionalConfigSchema } from './functional.ts';
export type { FunctionalConfig } from './functional.ts';
export { hfTrainer, HfTrainerConfigSchema } from './hf-trainer.ts';
export { UNSUPPORTED_ARGUMENTS } from './unsupported-arguments.ts';
export type { HfTrainerConfig } from './hf-trainer.ts';
export { runTraining } from './training-loop.ts';
export type { TrainingPlan, TrainingContext, TrainingResult, ValidationPredictions, TrainedClassifier, TrainerCallback, TrainerState, TextEmbedder, TrainingTracking, TrainingRegistry } from './training-loop.ts';
export { readCheckpoint } from './checkpoint.ts';
export type { Checkpoint, CurvePoint } from './checkpoint.ts';
export { lossAndGradient, initialParameters, parameterCount, predictProbabilities } from './classifier-head.ts';
export type { HeadKind, HeadShape } from './classifier-head.ts';
export { TRAINERS_GROUP } from './trainer-error.ts';
