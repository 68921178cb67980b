import type { TrackingStore } from '../tracking/index.ts';
import { assertEqual, assertRejects, assertTrue, toRecord, type Check } from './check.ts';

const check = (name: string, run: (store: TrackingStore) => Promise<void>): Check<TrackingStore> => ({ name, run });
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Experiment behaviours: the default experiment, unique names, soft delete, rename, tags, search. */
export const experimentChecks: readonly Check<TrackingStore>[] = [
  check('starts with the active experiment "0" named Default', async (store) => {
    const experiment = await store.getExperiment('0');
    assertEqual([experiment.experimentId, experiment.name, experiment.lifecycleStage], ['0', 'Default', 'active'], 'default experiment');
    assertEqual((await store.getExperimentByName('Default'))?.experimentId, '0', 'getExperimentByName("Default")');
  }),
  check('creates an experiment with its tags and artifact location and returns its id as a string', async (store) => {
    const id = await store.createExperiment('exp-a', { artifactLocation: 'memory://somewhere/a', tags: [{ key: 'team', value: 'nlp' }] });
    assertTrue(typeof id === 'string' && id !== '0', `the new id is a string other than "0" (received ${String(id)})`);
    const experiment = await store.getExperiment(id);
    assertEqual(
      [experiment.name, experiment.artifactLocation, experiment.lifecycleStage, toRecord(experiment.tags)],
      ['exp-a', 'memory://somewhere/a', 'active', { team: 'nlp' }],
      'created experiment',
    );
    assertTrue(experiment.creationTime > 0 && experiment.lastUpdateTime >= experiment.creationTime, 'creation and update times are set');
    const other = await store.createExperiment('exp-b');
    assertTrue(other !== id, 'ids are unique');
    assertTrue((await store.getExperiment(other)).artifactLocation.length > 0, 'a default artifact location is given');
  }),
  check('refuses a taken experiment name with RESOURCE_ALREADY_EXISTS, deleted experiments included', async (store) => {
    const id = await store.createExperiment('taken');
    await assertRejects(store.createExperiment('taken'), 'RESOURCE_ALREADY_EXISTS', 'second "taken"');
    await store.deleteExperiment(id);
    await assertRejects(store.createExperiment('taken'), 'RESOURCE_ALREADY_EXISTS', '"taken" after deletion');
    await assertRejects(store.createExperiment('Default'), 'RESOURCE_ALREADY_EXISTS', '"Default"');
  }),
  check('refuses an empty experiment name and an artifact location starting with runs:', async (store) => {
    await assertRejects(store.createExperiment(''), 'INVALID_PARAMETER_VALUE', 'empty name');
    await assertRejects(store.createExperiment('x', { artifactLocation: 'runs:/abc/model' }), 'INVALID_PARAMETER_VALUE', 'runs: location');
    await assertRejects(store.createExperiment('y'.repeat(501)), 'INVALID_PARAMETER_VALUE', '501-character name');
  }),
  check('answers RESOURCE_DOES_NOT_EXIST for an unknown experiment id and null for an unknown name', async (store) => {
    await assertRejects(store.getExperiment('424242'), 'RESOURCE_DOES_NOT_EXIST', 'getExperiment("424242")');
    assertEqual(await store.getExperimentByName('no such experiment'), null, 'getExperimentByName of an unknown name');
  }),
  check('renames an experiment, bumps lastUpdateTime and refuses a taken name', async (store) => {
    const id = await store.createExperiment('before');
    await store.createExperiment('other');
    const before = await store.getExperiment(id);
    await pause(2);
    await store.renameExperiment(id, 'after');
    const after = await store.getExperiment(id);
    assertEqual(after.name, 'after', 'new name');
    assertTrue(after.lastUpdateTime > before.lastUpdateTime, 'lastUpdateTime grows on rename');
    assertEqual(await store.getExperimentByName('before'), null, 'old name is free');
    // MLflow's SQL store answers BAD_REQUEST here (the database's unique constraint), not RESOURCE_ALREADY_EXISTS.
    await assertRejects(store.renameExperiment(id, 'other'), ['RESOURCE_ALREADY_EXISTS', 'BAD_REQUEST'], 'rename to a taken name');
    assertEqual((await store.getExperiment(id)).name, 'after', 'the name after a refused rename');
    await assertRejects(store.renameExperiment('424242', 'x'), 'RESOURCE_DOES_NOT_EXIST', 'rename of an unknown id');
  }),
  check('refuses to rename a deleted experiment with INVALID_STATE', async (store) => {
    const id = await store.createExperiment('gone');
    await store.deleteExperiment(id);
    await assertRejects(store.renameExperiment(id, 'back'), 'INVALID_STATE', 'rename of a deleted experiment');
  }),
  check('soft-deletes and restores an experiment, still gets a deleted one, and refuses to delete it twice or restore an active one', async (store) => {
    const id = await store.createExperiment('lifecycle');
    const created = await store.getExperiment(id);
    await pause(2);
    await assertRejects(store.restoreExperiment(id), 'RESOURCE_DOES_NOT_EXIST', 'restore of an active experiment', `No Experiment with id=${id} exists`);
    await store.deleteExperiment(id);
    const deleted = await store.getExperiment(id);
    assertEqual(deleted.lifecycleStage, 'deleted', 'stage after delete');
    assertTrue(deleted.lastUpdateTime > created.lastUpdateTime, 'lastUpdateTime grows on delete');
    await assertRejects(store.deleteExperiment(id), 'RESOURCE_DOES_NOT_EXIST', 'delete of a deleted experiment', `No Experiment with id=${id} exists`);
    await store.restoreExperiment(id);
    assertEqual((await store.getExperiment(id)).lifecycleStage, 'active', 'stage after restore');
    await assertRejects(store.deleteExperiment('424242'), 'RESOURCE_DOES_NOT_EXIST', 'delete of an unknown id');
  }),
  check('deletes the runs of a deleted experiment and restores every run with it, runs deleted before included', async (store) => {
    const id = await store.createExperiment('with-runs');
    const run = await store.createRun({ experimentId: id });
    const earlier = await store.createRun({ experimentId: id });
    await store.deleteRun(earlier.info.runId);
    await store.deleteExperiment(id);
    assertEqual((await store.getRun(run.info.runId)).info.lifecycleStage, 'deleted', 'run stage after experiment delete');
    await assertRejects(store.createRun({ experimentId: id }), 'INVALID_PARAMETER_VALUE', 'createRun in a deleted experiment');
    await store.restoreExperiment(id);
    assertEqual((await store.getRun(run.info.runId)).info.lifecycleStage, 'active', 'run stage after experiment restore');
    assertEqual((await store.getRun(earlier.info.runId)).info.lifecycleStage, 'active', 'stage of the run deleted before the experiment');
  }),
  check('sets, overwrites and deletes experiment tags, each experiment its own', async (store) => {
    const a = await store.createExperiment('tags-a');
    const b = await store.createExperiment('tags-b');
    await store.setExperimentTag(a, { key: 'k', value: 'v1' });
    await store.setExperimentTag(a, { key: 'k', value: 'v2' });
    await store.setExperimentTag(b, { key: 'k', value: 'other' });
    assertEqual(toRecord((await store.getExperiment(a)).tags), { k: 'v2' }, 'tags of a');
    assertEqual(toRecord((await store.getExperiment(b)).tags), { k: 'other' }, 'tags of b');
    await store.deleteExperimentTag(a, 'k');
    assertEqual((await store.getExperiment(a)).tags, [], 'tags of a after delete');
    await assertRejects(store.deleteExperimentTag(a, 'k'), 'RESOURCE_DOES_NOT_EXIST', 'delete of a missing tag');
    await store.setExperimentTag(a, { key: 'long', value: 'x'.repeat(20000) });
    await assertRejects(store.setExperimentTag(a, { key: 'longer', value: 'x'.repeat(20001) }), 'INVALID_PARAMETER_VALUE', '20001-character experiment tag');
    await store.deleteExperimentTag(a, 'long');
    await store.deleteExperiment(b);
    await assertRejects(store.setExperimentTag(b, { key: 'k', value: 'v' }), 'INVALID_PARAMETER_VALUE', 'tag on a deleted experiment');
  }),
  check('searches experiments by view type', async (store) => {
    const kept = await store.createExperiment('kept');
    const dropped = await store.createExperiment('dropped');
    await store.deleteExperiment(dropped);
    const ids = async (viewType?: 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL'): Promise<string[]> =>
      (await store.searchExperiments(viewType ? { viewType } : {})).experiments.map((experiment) => experiment.experimentId).sort();
    assertEqual(await ids(), ['0', kept].sort(), 'default (active only)');
    assertEqual(await ids('DELETED_ONLY'), [dropped], 'deleted only');
    assertEqual(await ids('ALL'), ['0', kept, dropped].sort(), 'all');
  }),
  check('searches experiments by filter and walks pages with tokens', async (store) => {
    for (const name of ['nlp-1', 'nlp-2', 'nlp-3', 'vision-1']) await store.createExperiment(name);
    const matched = await store.searchExperiments({ filter: "name LIKE 'nlp-%'" });
    assertEqual(matched.experiments.map((experiment) => experiment.name).sort(), ['nlp-1', 'nlp-2', 'nlp-3'], 'name LIKE filter');
    const seen: string[] = [];
    let token: string | null = null;
    do {
      const page: Awaited<ReturnType<TrackingStore['searchExperiments']>> = await store.searchExperiments({ maxResults: 2, pageToken: token, orderBy: ['name ASC'] });
      assertTrue(page.experiments.length <= 2, 'a page holds at most maxResults');
      seen.push(...page.experiments.map((experiment) => experiment.name));
      token = page.nextPageToken;
    } while (token);
    assertEqual(seen, ['Default', 'nlp-1', 'nlp-2', 'nlp-3', 'vision-1'], 'names over all pages, in order');
  }),
  check('filters experiments by experiment_id (= != IN NOT IN, quoted whole numbers) and tags by presence', async (store) => {
    const a = await store.createExperiment('by-id-a', { tags: [{ key: 'team', value: 'nlp' }] });
    const b = await store.createExperiment('by-id-b');
    const names = async (filter: string): Promise<string[]> =>
      (await store.searchExperiments({ filter, orderBy: ['name ASC'] })).experiments.map((experiment) => experiment.name);
    assertEqual(await names(`experiment_id = '${a}'`), ['by-id-a'], 'experiment_id =');
    assertEqual(await names(`experiment_id != '${a}'`), ['Default', 'by-id-b'], 'experiment_id !=');
    assertEqual(await names(`experiment_id IN ('${a}', '${b}', '987654')`), ['by-id-a', 'by-id-b'], 'experiment_id IN');
    assertEqual(await names(`experiment_id NOT IN ('0', '${a}')`), ['by-id-b'], 'experiment_id NOT IN');
    assertEqual(await names(`experiment_id = '00${b}'`), ['by-id-b'], 'experiment_id with leading zeros');
    assertEqual(await names('tags.team IS NOT NULL'), ['by-id-a'], 'tags.team IS NOT NULL');
    assertEqual(await names('tags.team IS NULL'), ['Default', 'by-id-b'], 'tags.team IS NULL');
    for (const filter of ["experiment_id = 'abc'", 'experiment_id = 1', "experiment_id LIKE '1%'", 'name IS NULL']) {
      await assertRejects(store.searchExperiments({ filter }), 'INVALID_PARAMETER_VALUE', filter);
    }
  }),
  check('lists experiments newest first by default, renames not moving them', async (store) => {
    await store.getExperiment('0');
    await pause(2);
    const first = await store.createExperiment('older');
    await pause(2);
    await store.createExperiment('newer');
    await pause(2);
    await store.renameExperiment(first, 'older-renamed');
    const names = (await store.searchExperiments()).experiments.map((experiment) => experiment.name);
    assertEqual(names, ['newer', 'older-renamed', 'Default'], 'default order (creation_time DESC)');
  }),
];
