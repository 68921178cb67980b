import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHost } from '../host/index.ts';
import { sourceEnvironment } from '../host/source-environment.test-helpers.ts';
import { resetTestMlflowServer, runPython, testMlflowServer } from './test-server.test-helpers.ts';

const server = testMlflowServer();
beforeEach(() => resetTestMlflowServer(server));

const READ_BACK = `
import hashlib, json, sys, mlflow
from mlflow import MlflowClient
run_id = sys.argv[1]
run = mlflow.get_run(run_id)
client = MlflowClient()
history = [[m.step, m.timestamp, m.value] for m in client.get_metric_history(run_id, "loss")]
path = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="data/blob.bin")
digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
print("JSON=" + json.dumps({"params": run.data.params, "metrics": run.data.metrics, "tags": run.data.tags,
                  "status": run.info.status, "history": history, "sha256": digest}))
`;

const LOG_RUN = `
import json, mlflow
with mlflow.start_run(run_name="from-python") as run:
    mlflow.log_param("optimizer", "adam")
    for step, loss in enumerate([0.9, 0.5, 0.3]):
        mlflow.log_metric("loss", loss, step=step)
    mlflow.set_tag("team", "nlp")
print("RUN_ID=" + run.info.run_id)
`;

describe("MLflow's Python client and Plugboard on one server", () => {
  it('reads back the params, metrics, history, tags and a byte-identical artifact of a run the host logged', async () => {
    const host = await createHost({ environment: sourceEnvironment(), onWarning: () => {} });
    const tracking = host.tracking({ uri: server.url });
    const run = await tracking.startRun({ runName: 'from-plugboard' });
    await tracking.logParams({ lr: '0.01', layers: 4 });
    await tracking.logMetric('loss', 0.5, 0);
    await tracking.logMetric('loss', 0.25, 1);
    await tracking.setTag('team', 'nlp');
    const bytes = Uint8Array.from({ length: 70_000 }, (_, index) => (index * 7919) % 256);
    await tracking.logArtifact(new Blob([bytes]), 'data/blob.bin');
    await tracking.endRun();
    const seen = JSON.parse(/^JSON=(.*)$/m.exec(await runPython(server, READ_BACK, [run.info.runId]))![1]!) as Record<string, any>;
    expect(seen.params).toEqual({ lr: '0.01', layers: '4' });
    expect(seen.metrics).toEqual({ loss: 0.25 });
    expect(seen.tags).toMatchObject({ team: 'nlp', 'mlflow.runName': 'from-plugboard' });
    expect(seen.status).toBe('FINISHED');
    const history = await (await tracking.store()).getMetricHistory(run.info.runId, 'loss');
    expect(seen.history).toEqual(history.map((point) => [point.step, point.timestamp, point.value]));
    expect(seen.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('finds a run logged by the Python client, with its params, metrics, history and tags', async () => {
    const runId = /RUN_ID=(\w+)/.exec(await runPython(server, LOG_RUN))?.[1] ?? '';
    const host = await createHost({ environment: sourceEnvironment(), onWarning: () => {} });
    const store = await host.trackingStore(server.url);
    const { runs } = await store.searchRuns({ experimentIds: ['0'], filter: "params.optimizer = 'adam'" });
    expect(runs.map((run) => run.info.runId)).toEqual([runId]);
    const [found] = runs;
    expect(found?.info.runName).toBe('from-python');
    expect(found?.data.metrics.map((metric) => [metric.key, metric.value, metric.step])).toEqual([['loss', 0.3, 2]]);
    expect((await store.getMetricHistory(runId, 'loss')).map((point) => point.value)).toEqual([0.9, 0.5, 0.3]);
    expect(Object.fromEntries(found!.data.tags.map((tag) => [tag.key, tag.value]))).toMatchObject({ team: 'nlp' });
  });
});
