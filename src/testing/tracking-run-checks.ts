import type { Run, RunStatus, TrackingStore } from '../tracking/index.ts';
import { assertEqual, assertRejects, assertTrue, toRecord, type Check } from './check.ts';

const check = (name: string, run: (store: TrackingStore) => Promise<void>): Check<TrackingStore> => ({ name, run });
const T0 = 1_700_000_000_000;
const STATUSES: RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];

/** Creates a run in the default experiment. */
export async function newRun(store: TrackingStore, extra: Partial<Parameters<TrackingStore['createRun']>[0]> = {}): Promise<Run> {
  return store.createRun({ experimentId: '0', startTime: T0, ...extra });
}

/** Run behaviours: creation, names, status updates, soft delete and what a deleted run refuses. */
export const runChecks: readonly Check<TrackingStore>[] = [
  check('creates a RUNNING run with its start time, tags and an mlflow.runName tag', async (store) => {
    const run = await newRun(store, { runName: 'first', tags: [{ key: 'a', value: '1' }] });
    assertTrue(/^[a-zA-Z0-9][\w-]{0,255}$/.test(run.info.runId), `run id ${run.info.runId} has MLflow's form`);
    assertEqual(
      [run.info.experimentId, run.info.runName, run.info.status, run.info.startTime, run.info.endTime ?? null, run.info.lifecycleStage],
      ['0', 'first', 'RUNNING', T0, null, 'active'],
      'run info',
    );
    assertEqual(toRecord(run.data.tags), { a: '1', 'mlflow.runName': 'first' }, 'run tags');
    assertTrue(run.info.artifactUri.includes(run.info.runId), 'the artifact URI holds the run id');
    assertEqual(await store.getRun(run.info.runId), run, 'getRun returns what createRun returned');
  }),
  check('gives distinct run ids', async (store) => {
    const ids = new Set<string>();
    for (let index = 0; index < 5; index++) ids.add((await newRun(store)).info.runId);
    assertEqual(ids.size, 5, 'distinct ids');
  }),
  check('generates a run name when none or "" is given and keeps the mlflow.runName tag equal to it', async (store) => {
    for (const runName of [undefined, '']) {
      const run = await newRun(store, runName === undefined ? {} : { runName });
      assertTrue(run.info.runName.length > 0, 'a generated name is not empty');
      assertEqual(toRecord(run.data.tags)['mlflow.runName'], run.info.runName, 'mlflow.runName tag');
    }
    const tagged = await newRun(store, { tags: [{ key: 'mlflow.runName', value: 'from-tag' }] });
    assertEqual(tagged.info.runName, 'from-tag', 'the name comes from the mlflow.runName tag');
  }),
  check('refuses a run name that differs from the mlflow.runName tag given with it', async (store) => {
    await assertRejects(newRun(store, { runName: 'a', tags: [{ key: 'mlflow.runName', value: 'b' }] }), 'INVALID_PARAMETER_VALUE', 'conflicting names');
    const same = await newRun(store, { runName: 'a', tags: [{ key: 'mlflow.runName', value: 'a' }] });
    assertEqual(same.info.runName, 'a', 'the same name twice is fine');
  }),
  check('refuses a run in an unknown experiment with RESOURCE_DOES_NOT_EXIST', async (store) => {
    await assertRejects(store.createRun({ experimentId: '424242' }), 'RESOURCE_DOES_NOT_EXIST', 'createRun in experiment 424242');
    await assertRejects(store.getRun('0123456789abcdef0123456789abcdef'), 'RESOURCE_DOES_NOT_EXIST', 'getRun of an unknown id');
  }),
  check('accepts every status in updateRunInfo, sets the end time and returns the new info', async (store) => {
    const run = await newRun(store);
    for (const [index, status] of STATUSES.entries()) {
      const info = await store.updateRunInfo(run.info.runId, { status, endTime: T0 + index });
      assertEqual([info.status, info.endTime], [status, T0 + index], `info after ${status}`);
      assertEqual((await store.getRun(run.info.runId)).info.status, status, `stored status ${status}`);
    }
    await assertRejects(store.updateRunInfo(run.info.runId, { status: 'DONE' as RunStatus }), 'INVALID_PARAMETER_VALUE', 'unknown status');
  }),
  check('renames through updateRunInfo, setTag and logBatch, keeping name and tag in sync; "" leaves the name', async (store) => {
    const run = await newRun(store, { runName: 'one' });
    const id = run.info.runId;
    const name = async (): Promise<[string, string | undefined]> => {
      const current = await store.getRun(id);
      return [current.info.runName, toRecord(current.data.tags)['mlflow.runName']];
    };
    await store.updateRunInfo(id, { runName: 'two', status: 'FINISHED', endTime: T0 + 5 });
    assertEqual(await name(), ['two', 'two'], 'after updateRunInfo');
    await store.updateRunInfo(id, { runName: '' });
    assertEqual(await name(), ['two', 'two'], 'after an empty name');
    const info = (await store.getRun(id)).info;
    assertEqual([info.status, info.endTime], ['FINISHED', T0 + 5], 'a name-only update keeps status and end time');
    await store.setTag(id, { key: 'mlflow.runName', value: 'three' });
    assertEqual(await name(), ['three', 'three'], 'after setTag');
    await store.logBatch(id, { tags: [{ key: 'mlflow.runName', value: 'four' }] });
    assertEqual(await name(), ['four', 'four'], 'after logBatch');
  }),
  check('soft-deletes and restores a run idempotently; getRun still returns a deleted run', async (store) => {
    const run = await newRun(store);
    const id = run.info.runId;
    await store.restoreRun(id);
    await store.deleteRun(id);
    await store.deleteRun(id);
    assertEqual((await store.getRun(id)).info.lifecycleStage, 'deleted', 'stage after delete');
    await store.restoreRun(id);
    await store.restoreRun(id);
    assertEqual((await store.getRun(id)).info.lifecycleStage, 'active', 'stage after restore');
    await assertRejects(store.deleteRun('0123456789abcdef0123456789abcdef'), 'RESOURCE_DOES_NOT_EXIST', 'delete of an unknown run');
  }),
  check('refuses every write to a deleted run with INVALID_PARAMETER_VALUE and accepts them after restore', async (store) => {
    const run = await newRun(store, { tags: [{ key: 't', value: 'v' }] });
    const id = run.info.runId;
    await store.deleteRun(id);
    await assertRejects(store.logParam(id, { key: 'p', value: '1' }), 'INVALID_PARAMETER_VALUE', 'logParam');
    await assertRejects(store.logMetric(id, { key: 'm', value: 1, timestamp: T0, step: 0 }), 'INVALID_PARAMETER_VALUE', 'logMetric');
    await assertRejects(store.setTag(id, { key: 't', value: 'w' }), 'INVALID_PARAMETER_VALUE', 'setTag');
    await assertRejects(store.deleteTag(id, 't'), 'INVALID_PARAMETER_VALUE', 'deleteTag');
    await assertRejects(store.updateRunInfo(id, { status: 'FINISHED' }), 'INVALID_PARAMETER_VALUE', 'updateRunInfo');
    await assertRejects(store.logBatch(id, { metrics: [{ key: 'm', value: 1, timestamp: T0, step: 0 }] }), 'INVALID_PARAMETER_VALUE', 'logBatch');
    assertEqual((await store.getRun(id)).data.params, [], 'nothing was written');
    await store.restoreRun(id);
    await store.logParam(id, { key: 'p', value: '1' });
    await store.logMetric(id, { key: 'm', value: 1, timestamp: T0, step: 0 });
    await store.setTag(id, { key: 't', value: 'w' });
    const after = await store.getRun(id);
    assertEqual([toRecord(after.data.params), toRecord(after.data.tags).t, after.data.metrics.length], [{ p: '1' }, 'w', 1], 'writes after restore');
  }),
  check('hands out copies: changing what createRun, getRun, updateRunInfo or searchRuns returned changes nothing stored', async (store) => {
    const run = await newRun(store, { runName: 'original' });
    run.info.runName = 'changed by caller';
    run.data.tags.length = 0;
    await store.logParam(run.info.runId, { key: 'p', value: '1' });
    const first = await store.getRun(run.info.runId);
    first.info.runName = 'mutated';
    first.data.params.push({ key: 'q', value: '2' });
    first.data.tags.length = 0;
    const info = await store.updateRunInfo(run.info.runId, { status: 'FINISHED' });
    info.status = 'FAILED';
    const [found] = (await store.searchRuns({ experimentIds: ['0'] })).runs;
    if (found) found.data.params.length = 0;
    const second = await store.getRun(run.info.runId);
    assertEqual(
      [second.info.runName, second.info.status, second.data.params.length, toRecord(second.data.tags)['mlflow.runName']],
      ['original', 'FINISHED', 1, 'original'],
      'stored run',
    );
    const [again] = (await store.searchRuns({ experimentIds: ['0'] })).runs;
    assertEqual([again?.info.status, again?.data.params.length], ['FINISHED', 1], 'run found by a later search');
  }),
  check('keeps dataset inputs as MLflow does: once per name and digest, first tags, tags by key, the experiment\'s first copy', async (store) => {
    const run = await newRun(store);
    if (!store.logInputs) {
      assertEqual(run.inputs?.datasetInputs ?? [], [], 'a store without logInputs lists no inputs');
      return;
    }
    const data = { name: 'reviews', digest: 'abc123', sourceType: 'local', source: '{"uri": "reviews.csv"}' };
    await store.logInputs(run.info.runId, [
      { dataset: data, tags: [{ key: 'mlflow.data.context', value: 'eval' }, { key: 'a', value: 'first' }] },
      { dataset: { ...data, source: 'ignored' }, tags: [] },
      { dataset: { name: 'extra', digest: 'e', sourceType: 'http', source: 'https://example.test/x', profile: '{"num_rows": 2}' }, tags: [] },
    ]);
    await store.logInputs(run.info.runId, [{ dataset: data, tags: [{ key: 'mlflow.data.context', value: 'train' }] }]);
    const inputs = (await store.getRun(run.info.runId)).inputs?.datasetInputs;
    assertEqual(
      inputs,
      [
        { dataset: data, tags: [{ key: 'a', value: 'first' }, { key: 'mlflow.data.context', value: 'eval' }] },
        { dataset: { name: 'extra', digest: 'e', sourceType: 'http', source: 'https://example.test/x', profile: '{"num_rows": 2}' }, tags: [] },
      ],
      'inputs after logging one dataset twice',
    );
    const other = await newRun(store);
    await store.logInputs(other.info.runId, [{ dataset: { ...data, source: 'elsewhere' }, tags: [] }]);
    assertEqual((await store.getRun(other.info.runId)).inputs?.datasetInputs[0]?.dataset.source, data.source, 'the experiment keeps the first copy of a dataset');
    await assertRejects(store.logInputs(other.info.runId, [{ dataset: { ...data, digest: 'x'.repeat(37) }, tags: [] }]), 'INVALID_PARAMETER_VALUE', 'a 37-character digest');
    await store.deleteRun(other.info.runId);
    await assertRejects(store.logInputs(other.info.runId, [{ dataset: data, tags: [] }]), 'INVALID_PARAMETER_VALUE', 'inputs of a deleted run');
  }),
];
