import type { Run, RunsPage, SearchRunsInput, TrackingStore } from '../tracking/index.ts';
import { assertEqual, assertRejects, type Check } from './check.ts';

const check = (name: string, run: (store: TrackingStore) => Promise<void>): Check<TrackingStore> => ({ name, run });
const T0 = 1_700_000_000_000;

interface Seed {
  name: string;
  startTime?: number;
  metrics?: Record<string, number>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
}

async function seed(store: TrackingStore, experimentId: string, seeds: Seed[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const [index, spec] of seeds.entries()) {
    const run = await store.createRun({ experimentId, runName: spec.name, startTime: spec.startTime ?? T0 + index });
    await store.logBatch(run.info.runId, {
      metrics: Object.entries(spec.metrics ?? {}).map(([key, value]) => ({ key, value, timestamp: T0, step: 0 })),
      params: Object.entries(spec.params ?? {}).map(([key, value]) => ({ key, value })),
      tags: Object.entries(spec.tags ?? {}).map(([key, value]) => ({ key, value })),
    });
    ids.set(spec.name, run.info.runId);
  }
  return ids;
}

async function names(store: TrackingStore, input: SearchRunsInput): Promise<string[]> {
  return (await store.searchRuns(input)).runs.map((run: Run) => run.info.runName);
}

const sorted = (list: string[]): string[] => [...list].sort();

/** Search behaviours: view types, MLflow's filter grammar, order_by with NaN and missing values, pages. */
export const searchChecks: readonly Check<TrackingStore>[] = [
  check('searches runs by view type across delete and restore', async (store) => {
    const experimentId = await store.createExperiment('views');
    const ids = await seed(store, experimentId, [{ name: 'kept' }, { name: 'dropped' }]);
    await store.deleteRun(ids.get('dropped')!);
    assertEqual(sorted(await names(store, { experimentIds: [experimentId] })), ['kept'], 'default (active only)');
    assertEqual(await names(store, { experimentIds: [experimentId], runViewType: 'DELETED_ONLY' }), ['dropped'], 'deleted only');
    assertEqual(sorted(await names(store, { experimentIds: [experimentId], runViewType: 'ALL' })), ['dropped', 'kept'], 'all');
    await store.restoreRun(ids.get('dropped')!);
    assertEqual(await names(store, { experimentIds: [experimentId], runViewType: 'DELETED_ONLY' }), [], 'deleted only after restore');
  }),
  check('searches only the experiments asked for', async (store) => {
    const a = await store.createExperiment('a');
    const b = await store.createExperiment('b');
    await seed(store, a, [{ name: 'in-a' }]);
    await seed(store, b, [{ name: 'in-b' }]);
    assertEqual(await names(store, { experimentIds: [a] }), ['in-a'], 'experiment a');
    assertEqual(sorted(await names(store, { experimentIds: [a, b] })), ['in-a', 'in-b'], 'experiments a and b');
    assertEqual(await names(store, { experimentIds: [] }), [], 'no experiments');
  }),
  check('filters on metrics, params, tags and attributes joined by AND', async (store) => {
    const experimentId = await store.createExperiment('filters');
    await seed(store, experimentId, [
      { name: 'r1', metrics: { acc: 0.9, loss: 0.1 }, params: { model: 'cnn', lr: '0.01' }, tags: { team: 'nlp' } },
      { name: 'r2', metrics: { acc: 0.7 }, params: { model: 'rnn' }, tags: { team: 'vision' } },
      { name: 'r3', metrics: { acc: 0.95 }, params: { model: 'cnn' } },
    ]);
    const search = (filter: string): Promise<string[]> => names(store, { experimentIds: [experimentId], filter }).then(sorted);
    assertEqual(await search('metrics.acc > 0.8'), ['r1', 'r3'], 'metrics.acc > 0.8');
    assertEqual(await search("metrics.acc >= 0.7 AND params.model = 'cnn'"), ['r1', 'r3'], 'metric AND param');
    assertEqual(await search("tags.team = 'nlp'"), ['r1'], 'tag equality');
    assertEqual(await search("attributes.run_name = 'r2'"), ['r2'], 'attribute run_name');
    assertEqual(await search(`attributes.start_time > ${T0}`), ['r2', 'r3'], 'attribute start_time');
    assertEqual(await search("params.`lr` = '0.01'"), ['r1'], 'backquoted key');
    assertEqual(await search(''), ['r1', 'r2', 'r3'], 'an empty filter matches every run');
  }),
  check('matches params and tags IS NULL (the run lacks the key) and IS NOT NULL', async (store) => {
    const experimentId = await store.createExperiment('presence');
    await seed(store, experimentId, [{ name: 'has', params: { x: 'a' }, tags: { t: '' } }, { name: 'lacks' }]);
    const search = (filter: string): Promise<string[]> => names(store, { experimentIds: [experimentId], filter });
    assertEqual(await search('params.x IS NULL'), ['lacks'], 'params.x IS NULL');
    assertEqual(await search('params.x IS NOT NULL'), ['has'], 'params.x IS NOT NULL');
    assertEqual(await search('tags.t is not null'), ['has'], 'tags.t is not null (an empty value is present)');
    assertEqual(await search("tags.t IS NULL AND params.x = 'a'"), [], 'IS NULL joined by AND');
    await assertRejects(store.searchRuns({ experimentIds: [experimentId], filter: 'metrics.m IS NULL' }), 'INVALID_PARAMETER_VALUE', 'metrics.m IS NULL');
  }),
  check('never matches a run lacking the key, even with !=', async (store) => {
    const experimentId = await store.createExperiment('missing');
    await seed(store, experimentId, [{ name: 'has', params: { x: 'a' }, metrics: { m: 1 }, tags: { t: 'a' } }, { name: 'lacks' }]);
    const search = (filter: string): Promise<string[]> => names(store, { experimentIds: [experimentId], filter });
    assertEqual(await search("params.x != 'b'"), ['has'], "params.x != 'b'");
    assertEqual(await search('metrics.m != 5'), ['has'], 'metrics.m != 5');
    assertEqual(await search("tags.t != 'z'"), ['has'], "tags.t != 'z'");
  }),
  check('compares = and != case-sensitively, LIKE case-sensitively with anchors and ILIKE without case', async (store) => {
    const experimentId = await store.createExperiment('like');
    await seed(store, experimentId, [{ name: 'upper', params: { p: 'Other value' } }, { name: 'lower', params: { p: 'another' } }]);
    const search = (filter: string): Promise<string[]> => names(store, { experimentIds: [experimentId], filter }).then(sorted);
    assertEqual(await search("params.p = 'other value'"), [], '= is case-sensitive');
    assertEqual(await search("params.p LIKE '%other%'"), ['lower'], "LIKE '%other%'");
    assertEqual(await search("params.p LIKE 'other%'"), [], "LIKE 'other%' is anchored");
    assertEqual(await search("params.p ILIKE '%OTHER%'"), ['lower', 'upper'], "ILIKE '%OTHER%'");
    assertEqual(await search("params.p LIKE 'an_ther'"), ['lower'], 'LIKE _ matches one character');
  }),
  check('filters run ids with IN and NOT IN', async (store) => {
    const experimentId = await store.createExperiment('in');
    const ids = await seed(store, experimentId, [{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    const list = `('${ids.get('a')}', '${ids.get('c')}')`;
    assertEqual(sorted(await names(store, { experimentIds: [experimentId], filter: `attributes.run_id IN ${list}` })), ['a', 'c'], 'IN');
    assertEqual(await names(store, { experimentIds: [experimentId], filter: `attributes.run_id NOT IN ${list}` }), ['b'], 'NOT IN');
  }),
  check('refuses a malformed filter with INVALID_PARAMETER_VALUE', async (store) => {
    for (const filter of ['metrics.acc >', "params.x = 'a' OR params.y = 'b'", 'metrics.acc = \'high\'', "nonsense.key = 'x'", 'metrics.acc >> 1']) {
      await assertRejects(store.searchRuns({ experimentIds: ['0'], filter }), 'INVALID_PARAMETER_VALUE', `filter ${JSON.stringify(filter)}`);
    }
  }),
  check('orders by start time descending by default, ties broken by run id', async (store) => {
    const experimentId = await store.createExperiment('default-order');
    const ids = await seed(store, experimentId, [
      { name: 'old', startTime: T0 },
      { name: 'new', startTime: T0 + 10 },
      { name: 'tie-1', startTime: T0 + 5 },
      { name: 'tie-2', startTime: T0 + 5 },
    ]);
    const ties = [ids.get('tie-1')!, ids.get('tie-2')!].sort().map((id) => (id === ids.get('tie-1') ? 'tie-1' : 'tie-2'));
    assertEqual(await names(store, { experimentIds: [experimentId] }), ['new', ...ties, 'old'], 'default order');
  }),
  check('orders by metrics with NaN and missing values last in both directions', async (store) => {
    const experimentId = await store.createExperiment('order');
    await seed(store, experimentId, [
      { name: 'mid', metrics: { m: 1 } },
      { name: 'nan', metrics: { m: Number.NaN } },
      { name: 'none' },
      { name: 'inf', metrics: { m: Infinity } },
      { name: 'ninf', metrics: { m: -Infinity } },
      { name: 'low', metrics: { m: -3 } },
    ]);
    const order = (direction: string): Promise<string[]> => names(store, { experimentIds: [experimentId], orderBy: [`metrics.m ${direction}`] });
    assertEqual(await order('ASC'), ['ninf', 'low', 'mid', 'inf', 'nan', 'none'], 'ascending');
    assertEqual(await order('DESC'), ['inf', 'mid', 'low', 'ninf', 'nan', 'none'], 'descending');
  }),
  check('orders by several keys: params, tags and attributes, ASC by default', async (store) => {
    const experimentId = await store.createExperiment('multi-order');
    await seed(store, experimentId, [
      { name: 'b1', params: { group: 'b' }, tags: { rank: '1' } },
      { name: 'a2', params: { group: 'a' }, tags: { rank: '2' } },
      { name: 'a1', params: { group: 'a' }, tags: { rank: '1' } },
    ]);
    assertEqual(await names(store, { experimentIds: [experimentId], orderBy: ['params.group', 'tags.rank DESC'] }), ['a2', 'a1', 'b1'], 'params ASC, tags DESC');
    assertEqual(await names(store, { experimentIds: [experimentId], orderBy: ['attributes.run_name DESC'] }), ['b1', 'a2', 'a1'], 'run_name DESC');
  }),
  check('walks every result through page tokens without repeats, the last page without a token', async (store) => {
    const experimentId = await store.createExperiment('pages');
    await seed(store, experimentId, Array.from({ length: 7 }, (_, index) => ({ name: `r${index}`, startTime: T0 + index })));
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const page: RunsPage = await store.searchRuns({ experimentIds: [experimentId], maxResults: 3, pageToken: token });
      seen.push(...page.runs.map((run) => run.info.runName));
      token = page.nextPageToken;
      pages += 1;
    } while (token && pages < 10);
    assertEqual(seen, ['r6', 'r5', 'r4', 'r3', 'r2', 'r1', 'r0'], 'runs over all pages');
    assertEqual(pages, 3, 'pages');
  }),
  check('refuses maxResults outside 1–50000 and a garbled page token', async (store) => {
    await assertRejects(store.searchRuns({ experimentIds: ['0'], maxResults: 50001 }), 'INVALID_PARAMETER_VALUE', 'maxResults 50001');
    await assertRejects(store.searchRuns({ experimentIds: ['0'], maxResults: 0 }), 'INVALID_PARAMETER_VALUE', 'maxResults 0');
    await assertRejects(store.searchRuns({ experimentIds: ['0'], pageToken: 'not-a-token' }), 'INVALID_PARAMETER_VALUE', 'garbled token');
    assertEqual((await store.searchRuns({ experimentIds: ['0'], maxResults: 50000 })).runs, [], 'maxResults 50000 is allowed');
  }),
  check('returns the latest metrics, params and tags of each run found', async (store) => {
    const experimentId = await store.createExperiment('data');
    const ids = await seed(store, experimentId, [{ name: 'full', params: { p: '1' }, tags: { t: 'x' } }]);
    const id = ids.get('full')!;
    await store.logMetric(id, { key: 'm', value: 1, timestamp: T0, step: 0 });
    await store.logMetric(id, { key: 'm', value: 2, timestamp: T0, step: 1 });
    const [found] = (await store.searchRuns({ experimentIds: [experimentId] })).runs;
    assertEqual(found, await store.getRun(id), 'the searched run equals getRun');
    assertEqual(found?.data.metrics.map((metric) => [metric.key, metric.value, metric.step]), [['m', 2, 1]], 'latest metric');
  }),
];
