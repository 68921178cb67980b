import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sourceEnvironment } from '../host/source-environment.test-helpers.ts';
import { resetTestMlflowServer, runPython, testMlflowServer } from '../mlflow-server/test-server.test-helpers.ts';
import { runCli } from './run-cli.ts';

const server = testMlflowServer();
const environment = sourceEnvironment();
let folder: string;
const DATA = '{"prediction":"cat","reference":"cat"}\n{"prediction":"dog","reference":"cat"}\n{"prediction":"dog","reference":"dog"}\n';

async function cli(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd: folder, env, hostOptions: { environment } });
  return { code, stdout, stderr };
}

// MLflow's own client reads the run back: what a nightly job logged is what an analyst sees.
const READ_BACK = `
import hashlib, json, sys, mlflow
run = mlflow.get_run(sys.argv[1])
files = sorted(f.path for f in mlflow.MlflowClient().list_artifacts(sys.argv[1]))
results = json.load(open(mlflow.artifacts.download_artifacts(run_id=sys.argv[1], artifact_path="results.json")))
data = open(mlflow.artifacts.download_artifacts(run_id=sys.argv[1], artifact_path="data/labels.jsonl"), "rb").read()
print("JSON=" + json.dumps({"experiment": run.info.experiment_id, "name": run.info.run_name, "status": run.info.status,
  "params": run.data.params, "metrics": run.data.metrics, "tags": run.data.tags, "files": files,
  "scores": results["scores"], "data_sha256": hashlib.sha256(data).hexdigest(),
  "inputs": [d.dataset.digest for d in run.inputs.dataset_inputs]}))
`;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'plugboard-eval-mlflow-'));
  await writeFile(join(folder, 'labels.jsonl'), DATA);
});
afterAll(() => rm(folder, { recursive: true, force: true }));
beforeEach(() => resetTestMlflowServer(server));

describe('plugboard eval --tracking-uri', () => {
  it('logs the evaluation as a run on an MLflow server: params, metrics, provenance, results.json and the file', async () => {
    const { code, stdout, stderr } = await cli(['eval', '--metric', 'accuracy', '--data', 'labels.jsonl', '--tracking-uri', server.url, '--run-name', 'nightly']);
    expect(code).toBe(0);
    const output = JSON.parse(stdout) as { result: number; runId: string };
    expect(stderr).toContain(`plugboard: logged run ${output.runId} to ${server.url}`);
    const seen = JSON.parse(/^JSON=(.*)$/m.exec(await runPython(server, READ_BACK, [output.runId]))![1]!) as Record<string, any>;
    expect(seen).toMatchObject({ experiment: '0', name: 'nightly', status: 'FINISHED', metrics: { accuracy: 2 / 3, rows: 3, skipped: 0 } });
    expect(seen.params).toMatchObject({ source: 'labels.jsonl', rows: '3', loader: 'jsonl', metrics: 'accuracy' });
    expect(seen.tags['plugboard.kind']).toBe('evaluation');
    expect(JSON.parse(seen.tags['plugboard.provenance.codex_ml.metrics.accuracy'])).toMatchObject({ url: expect.stringContaining('accuracy') });
    expect(Object.keys(seen.tags).filter((key) => key.startsWith('mlflow.dataset'))).toEqual([]);
    expect(seen.files).toEqual(['data', 'results.json']);
    expect(seen.scores).toEqual({ accuracy: 2 / 3 });
    expect(seen.data_sha256).toBe(createHash('sha256').update(DATA).digest('hex'));
    expect(seen.inputs).toEqual([createHash('sha256').update(DATA).digest('hex').slice(0, 36)]);
  });

  it('reads MLFLOW_TRACKING_URI and MLFLOW_EXPERIMENT_ID as MLflow does, the flag winning', async () => {
    const created = /EXP=(\d+)/.exec(await runPython(server, 'import mlflow; print("EXP=" + mlflow.create_experiment("nightly-evals"))'))![1]!;
    const { code, stdout } = await cli(['eval', '--metric', 'accuracy', '--data', 'labels.jsonl'], { MLFLOW_TRACKING_URI: server.url, MLFLOW_EXPERIMENT_ID: created });
    expect(code).toBe(0);
    const { runId } = JSON.parse(stdout) as { runId: string };
    expect(/EXP=(\d+)/.exec(await runPython(server, 'import mlflow, sys; print("EXP=" + mlflow.get_run(sys.argv[1]).info.experiment_id)', [runId]))?.[1]).toBe(created);
    const unlogged = await cli(['eval', '--metric', 'accuracy', '--data', 'labels.jsonl', '--tracking-uri', ''], { MLFLOW_TRACKING_URI: server.url });
    expect(JSON.parse(unlogged.stdout).runId).toBeUndefined();
  });

  it('names the server and what to do when nothing answers there', async () => {
    const { code, stderr } = await cli(['eval', '--metric', 'accuracy', '--data', 'labels.jsonl', '--tracking-uri', 'http://127.0.0.1:9']);
    expect(code).toBe(1);
    expect(stderr).toContain('could not reach the MLflow server at http://127.0.0.1:9');
  });

  it('records the model files ppl ran in a tag MLflow’s own client reads, each with the SHA-384 of its bytes', { timeout: 120_000 }, async () => {
    const model = new URL('../plugins/models/fixtures/tiny-gpt2/', import.meta.url);
    await writeFile(join(folder, 'texts.jsonl'), '{"text":"every plugin scores"}\n{"text":"the cat sat on the mat"}\n');
    const { code, stdout } = await cli(['eval', '--metric', 'ppl', '--option', `model_id=${fileURLToPath(model)}`, '--data', 'texts.jsonl', '--predictions', 'text', '--tracking-uri', server.url]);
    expect(code).toBe(0);
    const { runId } = JSON.parse(stdout) as { runId: string };
    const tag = /^TAG=(.*)$/m.exec(await runPython(server, 'import mlflow, sys; print("TAG=" + mlflow.get_run(sys.argv[1]).data.tags["plugboard.provenance.model.ppl"])', [runId]))![1]!;
    const files = ['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json'];
    const digests = Object.fromEntries(await Promise.all(files.map(async (file) => [file, `sha384-${createHash('sha384').update(await readFile(new URL(file, model))).digest('base64')}`])));
    expect(JSON.parse(tag)).toEqual([expect.objectContaining({ plugin: 'gpt2', folder: model.href, dtype: 'fp32', files: digests })]);
  });
});
