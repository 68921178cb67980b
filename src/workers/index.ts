// plugboard/worker: run plugins in module Workers under the host's import map, and score evaluations there.
export { WorkerImporter } from './import-in-worker.ts';
export type { WorkerImportOptions } from './import-in-worker.ts';
export { createWorkerScorer } from './score-in-workers.ts';
export type { StartWorker } from './score-in-workers.ts';
export { splitSource, SPLIT_MIN_BYTES } from './split-source.ts';
export { toErrorRecord, fromErrorRecord } from './evaluation-protocol.ts';
export type { ScoreMessage, WorkerReply, ErrorRecord } from './evaluation-protocol.ts';
export { trainInWorker } from './train-in-worker.ts';
export type { TrainMessage, TrainingReply, TrainingResultRecord, TrainingStores, StartTrainingWorker } from './train-in-worker.ts';
