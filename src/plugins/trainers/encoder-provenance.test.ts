import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../host/index.ts';
import { sourceEnvironment } from '../../host/source-environment.test-helpers.ts';
import { minilm, type EncoderModel } from '../models/index.ts';
import type { Checkpoint } from './checkpoint.ts';
import { functional } from './functional.ts';
import { hfTrainer } from './hf-trainer.ts';

const FIXTURE = new URL('../models/fixtures/tiny-minilm/', import.meta.url);
const FILES = ['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json'];
const sha384 = (bytes: Uint8Array) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

/** The SHA-384 of each fixture file, read here from disk rather than taken from the loader. */
async function digestsOnDisk(folder: URL): Promise<Record<string, string>> {
  return Object.fromEntries(await Promise.all(FILES.map(async (file) => [file, sha384(new Uint8Array(await readFile(new URL(file, folder))))] as const)));
}

const rows = (count: number) => Array.from({ length: count }, (_, index) => (index % 2 === 0 ? { text: 'model reads file line', label: 'first' } : { text: 'browser streams texts words', label: 'second' }));

let encoder: EncoderModel;
let host: Host;
let expected: Record<string, string>;
const temporary: string[] = [];

async function stores() {
  const uri = `idb://encoder-provenance-${Math.random().toString(36).slice(2)}`;
  return { tracking: host.tracking({ uri }), store: await host.trackingStore(uri), registry: await host.modelRegistry(uri) };
}

beforeAll(async () => {
  [encoder] = await minilm({ model_name: FIXTURE.href });
  host = await createHost({ environment: sourceEnvironment(), onWarning: () => {} });
  expected = await digestsOnDisk(FIXTURE);
});
afterAll(async () => {
  await Promise.all(temporary.map((folder) => rm(folder, { recursive: true, force: true })));
});

describe('a training run records its encoder', () => {
  it('functional: the run’s plugboard.provenance.model.functional tag, the head, every checkpoint and the registered version carry each encoder file’s SHA-384', async () => {
    const { tracking, store, registry } = await stores();
    const result = await functional({ epochs: 2, seed: 1, register_as: 'recorded-head' }, { model: encoder, data: rows(20), tracking, registry } as never);
    const run = await store.getRun(result.runId!);
    const tag = run.data.tags.find((candidate) => candidate.key === 'plugboard.provenance.model.functional');
    const recorded = JSON.parse(tag!.value) as { plugin: string; model_name: string; files: Record<string, string> }[];
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ plugin: 'minilm', model_name: FIXTURE.href, files: expected });

    const artifacts = await host.artifactRepository(run.info.artifactUri);
    const head = JSON.parse(await (await artifacts.downloadArtifact('model/head.json')).text()) as { encoder: { files: { file: string; sha384: string; url: string }[] } };
    expect(Object.fromEntries(head.encoder.files.map((file) => [file.file, file.sha384]))).toEqual(expected);
    expect(result.checkpoints).toHaveLength(2);
    for (const path of result.checkpoints) {
      const checkpoint = JSON.parse(await (await artifacts.downloadArtifact(path)).text()) as Checkpoint;
      expect(Object.fromEntries(checkpoint.encoder!.files.map((file) => [file.file, file.sha384]))).toEqual(expected);
    }

    const version = await registry.getModelVersion('recorded-head', 1);
    expect(version.runId).toBe(result.runId);
    expect(version.tags).toEqual([{ key: 'plugboard.provenance.model.functional', value: tag!.value }]);
  });

  it('hf_trainer: the tag is named after the trainer, and tags the caller gives go into the run beside it', async () => {
    const { tracking, store } = await stores();
    const given = { 'plugboard.provenance.codex_ml.trainers.hf_trainer': '{"url":"https://cdn.example/hf-trainer.js"}' };
    const result = await hfTrainer({ num_train_epochs: 1, save_strategy: 'no' }, { model: encoder, data: rows(20), tracking, tags: given } as never);
    const tags = Object.fromEntries((await store.getRun(result.runId!)).data.tags.map((tag) => [tag.key, tag.value]));
    expect(tags).toMatchObject(given);
    expect(JSON.parse(tags['plugboard.provenance.model.hf_trainer']!)[0].files).toEqual(expected);
    expect(Object.fromEntries(result.encoder!.files.map((file) => [file.file, file.sha384]))).toEqual(expected);
  });

  it('refuses to resume from a checkpoint trained on an encoder whose file has changed, naming the file and both digests', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'plugboard-encoder-'));
    temporary.push(folder);
    await cp(fileURLToPath(FIXTURE), folder, { recursive: true });
    const copy = pathToFileURL(`${folder}/`);
    const [before] = await minilm({ model_name: copy.href });
    const { tracking, store } = await stores();
    const stopAfterOne = { on_epoch_end: (state: { should_training_stop: boolean }) => void (state.should_training_stop = true) };
    const first = await functional({ epochs: 3, seed: 2, callbacks: [stopAfterOne] }, { model: before, data: rows(20), tracking } as never);
    const artifacts = await host.artifactRepository((await store.getRun(first.runId!)).info.artifactUri);
    const checkpoint = await artifacts.downloadArtifact(first.checkpoints.at(-1)!);

    // The same bytes from another folder resume.
    const resumed = await functional({ epochs: 3, seed: 2, resume_from: checkpoint }, { model: encoder, data: rows(20), tracking } as never);
    expect(resumed.globalStep).toBeGreaterThan(first.globalStep);

    const changed = new TextEncoder().encode(`${await readFile(join(folder, 'tokenizer_config.json'), 'utf8')}\n`);
    await writeFile(join(folder, 'tokenizer_config.json'), changed);
    const [after] = await minilm({ model_name: copy.href });
    const error = await functional({ epochs: 3, seed: 2, resume_from: checkpoint }, { model: after, data: rows(20), tracking } as never).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'TRAINER_ENCODER_CHANGED', group: 'codex_ml.trainers', plugin: 'functional', field: 'resume_from', url: new URL('tokenizer_config.json', copy).href });
    const { problem, hint } = error as { problem: string; hint: string };
    expect(problem).toContain('"tokenizer_config.json"');
    expect(problem).toContain(expected['tokenizer_config.json']);
    expect(problem).toContain(sha384(changed));
    expect(hint).toContain(copy.href);
    expect(hint).toContain('without resume_from');

    const hf = await hfTrainer({ num_train_epochs: 3, resume_from_checkpoint: checkpoint }, { model: after, data: rows(20) } as never).catch((thrown: unknown) => thrown);
    expect(hf).toMatchObject({ code: 'TRAINER_ENCODER_CHANGED', plugin: 'hf_trainer', field: 'resume_from_checkpoint' });
  });

  it('refuses an encoder whose provenance is not a ModelProvenance, naming the field', async () => {
    const broken = { embed: encoder.embed.bind(encoder), provenance: { ...encoder.provenance, files: [{ file: 'config.json', url: 'x', sha384: 'not a digest', size: 1 }] } };
    await expect(functional({ epochs: 1 }, { model: broken, data: rows(10) } as never)).rejects.toMatchObject({ code: 'TRAINER_BAD_MODEL', field: 'model.provenance.files[0].sha384' });
  });
});
