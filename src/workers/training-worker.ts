// The training Worker: imports a trainer and a model factory under the host's import map, trains on the rows
// it is sent, and reaches the page's tracking store and model registry by message, so runs land where the
// page logs them (IndexedDB or a server) and the page can end a run it terminated.
import { pluginProvenanceTags, type PluginProvenance } from '../evaluation/index.ts';
import type { DataRecord } from '../sdk/index.ts';
import { WorkerImporter } from './import-in-worker.ts';
import { fromErrorRecord, type ErrorRecord } from './evaluation-protocol.ts';
import { trainingErrorRecord, type TrainMessage, type TrainingCall, type TrainingReply, type TrainingResultRecord } from './train-in-worker.ts';

const post = (reply: TrainingReply) => (self as unknown as Worker).postMessage(reply);
const pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
let nextCall = 0;

/** Calls a method of the page's tracking store or model registry and resolves with its answer. */
function call(target: TrainingCall['target'], method: string, args: unknown[]): Promise<unknown> {
  const id = nextCall++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    post({ type: 'call', id, target, method, args });
  });
}

const remote = (target: TrainingCall['target'], methods: readonly string[]) =>
  Object.fromEntries(methods.map((method) => [method, (...args: unknown[]) => call(target, method, args)]));

self.addEventListener('message', (event: MessageEvent<TrainMessage | { type: 'answer'; id: number; value?: unknown; error?: ErrorRecord }>) => {
  const message = event.data;
  if (message.type === 'answer') {
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiting?.reject(fromErrorRecord(message.error));
    else waiting?.resolve(message.value);
    return;
  }
  void train(message).then(
    (result) => post({ type: 'done', result }),
    (thrown: unknown) => post({ type: 'error', error: trainingErrorRecord(thrown) }),
  );
});

/** The plugins' provenance with the SHA-384 of the entry bytes this Worker read and ran (the page's digest where it read none). */
async function ranProvenance(importer: WorkerImporter, records: readonly PluginProvenance[]): Promise<PluginProvenance[]> {
  return Promise.all(records.map(async (record) => {
    const sha384 = await importer.digestOf(record.url);
    return sha384 ? { ...record, sha384 } : record;
  }));
}

async function train(message: TrainMessage): Promise<TrainingResultRecord> {
  const importer = new WorkerImporter({ imports: message.imports });
  // The pins the host recorded travel with the URLs (the entry's and each imported module's): bytes that changed
  // since are refused here, before they run.
  const [trainerModule, modelModule] = await Promise.all([importer.import(message.trainer.url, message.trainer), importer.import(message.model.url, message.model)]);
  // What the trainer returns: the record sent back, but with the classifier (whose labels it carries) and validation optional.
  const trainer = trainerModule[message.trainer.export] as (
    config: unknown,
    context: unknown,
  ) => Promise<Omit<TrainingResultRecord, 'labels' | 'validation' | 'encoder'> & { classifier: { labels: unknown[] }; validation?: TrainingResultRecord['validation']; encoder?: TrainingResultRecord['encoder'] }>;
  const factory = modelModule[message.model.export] as (config: unknown) => Promise<readonly [unknown, unknown]>;
  const [encoder] = await factory(message.modelConfig);
  const result = await trainer(message.config, {
    model: encoder,
    data: message.rows as DataRecord[],
    tracking: remote('tracking', ['startRun', 'logParams', 'logMetrics', 'setTags', 'logArtifact', 'endRun']),
    tags: pluginProvenanceTags(await ranProvenance(importer, message.provenance ?? [])),
    ...(message.register ? { registry: remote('registry', ['createRegisteredModel', 'createModelVersion']) } : {}),
    onProgress: (progress: { epoch: number; step: number; totalSteps: number; loss: number }) => post({ type: 'progress', ...progress }),
  });
  return {
    runId: result.runId,
    epochs: result.epochs,
    globalStep: result.globalStep,
    evaluation: result.evaluation,
    modelVersion: result.modelVersion,
    encoder: result.encoder ?? null,
    stoppedEarly: result.stoppedEarly,
    labels: result.classifier.labels.map(String),
    validation: result.validation ?? null,
    timings: { embeddingMs: result.timings.embeddingMs, trainingMs: result.timings.trainingMs },
  };
}
