import { historyIntervalFromHistories, type MetricHistoryIntervalInput, type MetricWithRunId, type Run, type TrackingStore } from '../tracking/index.ts';
import type { DifferentialStep } from './differential.ts';

const T0 = 1_700_000_000_000;
const step = (name: string, run: DifferentialStep['run']): DifferentialStep => ({ name, run });
const byKey = <T extends { key: string }>(list: T[]): T[] => [...list].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
/** A run without what a store may order freely (list order of params, tags and latest metrics). */
const sortedRun = (run: Run) => ({ info: run.info, data: { metrics: byKey(run.data.metrics), params: byKey(run.data.params), tags: byKey(run.data.tags) } });
const names = async (store: TrackingStore, experimentId: string, filter: string, orderBy?: string[]) =>
  (await store.searchRuns({ experimentIds: [experimentId], filter, ...(orderBy ? { orderBy } : {}) })).runs.map((run) => run.info.runName);

/** The store's bulk/interval history read, or the same read sampled from `getMetricHistory` for stores without one. */
export const bulkInterval = (store: TrackingStore): ((input: MetricHistoryIntervalInput) => Promise<MetricWithRunId[]>) =>
  store.getMetricHistoryBulkInterval
    ? (input) => store.getMetricHistoryBulkInterval!(input)
    : (input) => historyIntervalFromHistories(input, (runId, key) => store.getMetricHistory(runId, key));

/**
 * The differential script for tracking stores: experiments, runs, logging and search, including each place where
 * Plugboard's IndexedDB store used to differ from MLflow's SQL store (long values, ±Infinity and -0, history
 * order, unknown runs, experiment restore). Every step starts from what the steps before it left.
 */
export const trackingDifferentialScript: readonly DifferentialStep[] = [
  step('creates an experiment with tags', async (store, ids) => {
    const id = ids.keep('exp', await store.createExperiment('differential', { tags: [{ key: 'team', value: 'nlp' }] }));
    return store.getExperiment(id);
  }),
  step('refuses a taken experiment name', (store) => store.createExperiment('differential')),
  step('creates a run with a name, start time and tags', async (store, ids) => {
    const run = await store.createRun({ experimentId: ids.id('exp'), runName: 'alpha', startTime: T0, tags: [{ key: 'stage', value: 'dev' }] });
    ids.keep('alpha', run.info.runId);
    return sortedRun(run);
  }),
  step('logs params, tags and metrics in one batch', async (store, ids) => {
    await store.logBatch(ids.id('alpha'), {
      params: [{ key: 'lr', value: '0.01' }, { key: 'model', value: 'cnn' }],
      tags: [{ key: 'note', value: 'two\nlines' }],
      metrics: [{ key: 'acc', value: 0.9, timestamp: T0, step: 0 }, { key: 'loss', value: 0.5, timestamp: T0, step: 0 }],
    });
    return sortedRun(await store.getRun(ids.id('alpha')));
  }),
  step('refuses to change a param', (store, ids) => store.logParam(ids.id('alpha'), { key: 'lr', value: '0.02' })),
  step('cuts a long param and a long tag to the limits', async (store, ids) => {
    await store.logParam(ids.id('alpha'), { key: 'long', value: 'p'.repeat(6100) });
    await store.setTag(ids.id('alpha'), { key: 'long', value: 't'.repeat(8100) });
    const run = await store.getRun(ids.id('alpha'));
    return [run.data.params.find((param) => param.key === 'long')?.value.length, run.data.tags.find((tag) => tag.key === 'long')?.value.length];
  }),
  step('reads ±Infinity, -0 and NaN back as the SQL store keeps them', async (store, ids) => {
    await store.logBatch(ids.id('alpha'), {
      metrics: [
        { key: 'inf', value: Infinity, timestamp: T0, step: 0 },
        { key: 'ninf', value: -Infinity, timestamp: T0, step: 0 },
        { key: 'zero', value: -0, timestamp: T0, step: 0 },
        { key: 'nan', value: Number.NaN, timestamp: T0, step: 0 },
      ],
    });
    return Promise.all(['inf', 'ninf', 'zero', 'nan'].map((key) => store.getMetricHistory(ids.id('alpha'), key)));
  }),
  step('orders a history by timestamp, then step, then value, duplicates once', async (store, ids) => {
    const points = [[3, 2, T0 + 1], [1, -1, T0 + 9], [2, 2, T0], [5, 0, T0 + 5], [4, 1, T0 + 3], [4, 1, T0 + 3], [0, 1, T0 + 3]];
    await store.logBatch(ids.id('alpha'), { metrics: points.map(([value, step, timestamp]) => ({ key: 'curve', value: value!, step: step!, timestamp: timestamp! })) });
    return store.getMetricHistory(ids.id('alpha'), 'curve');
  }),
  step('pages a history three points at a time', async (store, ids) => {
    const paged = store as TrackingStore & { getMetricHistoryPage?: (runId: string, key: string, options: { maxResults?: number; pageToken?: string | null }) => Promise<{ metrics: unknown[]; nextPageToken: string | null }> };
    if (!paged.getMetricHistoryPage) return 'no paged history';
    const pages: unknown[][] = [];
    let token: string | null = null;
    do {
      const page: { metrics: unknown[]; nextPageToken: string | null } = await paged.getMetricHistoryPage(ids.id('alpha'), 'curve', { maxResults: 3, pageToken: token });
      pages.push(page.metrics);
      token = page.nextPageToken;
    } while (token);
    return pages;
  }),
  step('keeps as latest the greatest by step, then timestamp, then value', async (store, ids) => {
    const run = await store.getRun(ids.id('alpha'));
    return run.data.metrics.find((metric) => metric.key === 'curve');
  }),
  step('answers an empty history for an unknown run and a key never logged', async (store, ids) => [
    await store.getMetricHistory('0123456789abcdef0123456789abcdef', 'curve'),
    await store.getMetricHistory(ids.id('alpha'), 'never'),
  ]),
  step('samples histories of several runs for charts (get-history-bulk-interval)', async (store, ids) => {
    const long = await store.createRun({ experimentId: ids.id('exp'), runName: 'long', startTime: T0 - 10 });
    const flat = await store.createRun({ experimentId: ids.id('exp'), runName: 'flat', startTime: T0 });
    ids.keep('long', long.info.runId);
    ids.keep('flat', flat.info.runId);
    await store.logBatch(long.info.runId, {
      metrics: [
        ...Array.from({ length: 23 }, (_, index) => ({ key: 'm', value: index * 1.5, timestamp: T0 + index, step: index })),
        { key: 'm', value: Number.NaN, timestamp: T0 - 1, step: 5 },
        { key: 'm', value: 0, timestamp: T0 - 1, step: 5 },
        { key: 'm', value: 7, timestamp: T0 + 1000, step: 3 },
      ],
    });
    await store.logBatch(flat.info.runId, {
      metrics: [...Array.from({ length: 10 }, (_, index) => ({ key: 'm', value: index, timestamp: T0, step: 0 })), { key: 'm', value: Infinity, timestamp: T0 + 1, step: 100 }],
    });
    await store.deleteRun(flat.info.runId);
    const read = (input: Partial<MetricHistoryIntervalInput>) => bulkInterval(store)({ runIds: [long.info.runId, flat.info.runId], metricKey: 'm', ...input });
    return [
      await read({ maxResults: 5, runIds: [long.info.runId] }),
      await read({ maxResults: 4 }),
      await read({ maxResults: 1 }),
      await read({ maxResults: 6, startStep: 4, endStep: 10 }),
      await read({ startStep: -5, endStep: -1 }),
      await read({ runIds: [long.info.runId, long.info.runId, '0123456789abcdef0123456789abcdef'], maxResults: 2 }),
      await read({ metricKey: 'never' }),
    ];
  }),
  step('refuses bulk interval reads the server refuses', async (store, ids) => {
    const runIds = [ids.id('long')];
    const inputs = [
      { runIds, metricKey: 'm', startStep: 4 },
      { runIds, metricKey: 'm', startStep: 4, endStep: 3 },
      { runIds, metricKey: 'm', maxResults: 0 },
      { runIds, metricKey: 'm', maxResults: 2501 },
      { runIds: [], metricKey: 'm' },
      { runIds: Array.from({ length: 101 }, () => ids.id('long')), metricKey: 'm' },
    ];
    return Promise.all(inputs.map((input) => bulkInterval(store)(input).then(() => 'accepted', (error: { code?: string }) => error.code)));
  }),
  step('logs dataset inputs once per run and keeps the experiment\'s first copy of a dataset', async (store, ids) => {
    if (!store.logInputs) return 'no dataset inputs';
    const zeta = { name: 'zeta', digest: 'd1', sourceType: 'local', source: '{"uri": "s1"}', schema: '{"mlflow_colspec": []}' };
    const first = await store.createRun({ experimentId: ids.id('exp'), runName: 'inputs-a', startTime: T0 - 30 });
    const second = await store.createRun({ experimentId: ids.id('exp'), runName: 'inputs-b', startTime: T0 - 40 });
    ids.keep('inputs-a', first.info.runId);
    await store.logInputs(first.info.runId, [
      { dataset: zeta, tags: [{ key: 'mlflow.data.context', value: 'train' }, { key: 'b', value: 'yes' }] },
      { dataset: { ...zeta, source: 'other' }, tags: [{ key: 'mlflow.data.context', value: 'other' }] },
      { dataset: { name: 'alpha', digest: 'd2', sourceType: 'http', source: 'S2', profile: '{"rows": 3}' }, tags: [] },
    ]);
    await store.logInputs(first.info.runId, [
      { dataset: zeta, tags: [{ key: 'mlflow.data.context', value: 'eval' }] },
      { dataset: { name: 'mid', digest: 'd3', sourceType: 'local', source: 's3' }, tags: [] },
    ]);
    await store.logInputs(second.info.runId, [{ dataset: { ...zeta, sourceType: 'other', source: 'SB', schema: 'S' }, tags: [{ key: 'mlflow.data.context', value: 'eval' }] }]);
    const listed = (await store.searchRuns({ experimentIds: [ids.id('exp')], filter: "attributes.run_name LIKE 'inputs-%'", orderBy: ['attributes.run_name ASC'] })).runs;
    return [(await store.getRun(first.info.runId)).inputs, (await store.getRun(second.info.runId)).inputs, listed.map((run) => run.inputs)];
  }),
  step('refuses dataset inputs MLflow refuses', async (store, ids) => {
    if (!store.logInputs) return 'no dataset inputs';
    const dataset = { name: 'n', digest: 'd', sourceType: 'local', source: 's' };
    const run = await store.createRun({ experimentId: ids.id('exp'), runName: 'inputs-deleted', startTime: T0 - 50 });
    await store.deleteRun(run.info.runId);
    const attempts: [string, { dataset: typeof dataset; tags: { key: string; value: string }[] }[]][] = [
      [ids.id('inputs-a'), [{ dataset: { ...dataset, digest: 'x'.repeat(37) }, tags: [] }]],
      [ids.id('inputs-a'), [{ dataset: { ...dataset, name: 'x'.repeat(501) }, tags: [] }]],
      [ids.id('inputs-a'), [{ dataset, tags: [{ key: 'k', value: 'v'.repeat(501) }] }]],
      [run.info.runId, [{ dataset, tags: [] }]],
      ['0123456789abcdef0123456789abcdef', [{ dataset, tags: [] }]],
    ];
    const outcomes = await Promise.all(attempts.map(([runId, datasets]) => store.logInputs!(runId, datasets).then(() => 'accepted', (error: { code?: string }) => error.code)));
    return [outcomes, (await store.getRun(ids.id('inputs-a'))).inputs?.datasetInputs.length];
  }),
  step('refuses a batch over the limits', (store, ids) =>
    store.logBatch(ids.id('alpha'), { metrics: Array.from({ length: 1001 }, (_, index) => ({ key: 'm', value: index, timestamp: T0, step: index })) }),
  ),
  step('deletes a tag and refuses to delete it again', async (store, ids) => {
    await store.deleteTag(ids.id('alpha'), 'note');
    return store.deleteTag(ids.id('alpha'), 'note');
  }),
  step('updates status and end time', (store, ids) => store.updateRunInfo(ids.id('alpha'), { status: 'FINISHED', endTime: T0 + 1000 })),
  step('seeds runs to search', async (store, ids) => {
    for (const [index, [name, acc, model]] of ([['beta', 0.7, 'rnn'], ['gamma', 0.95, 'cnn'], ['delta', Number.NaN, 'cnn']] as const).entries()) {
      const run = await store.createRun({ experimentId: ids.id('exp'), runName: name, startTime: T0 + index + 1 });
      ids.keep(name, run.info.runId);
      await store.logBatch(run.info.runId, { params: [{ key: 'model', value: model }], metrics: [{ key: 'acc', value: acc, timestamp: T0, step: 0 }] });
    }
    return null;
  }),
  step('filters on metrics, params and attributes', async (store, ids) => [
    await names(store, ids.id('exp'), 'metrics.acc > 0.8', ['attributes.run_name ASC']),
    await names(store, ids.id('exp'), "params.model = 'cnn' AND metrics.acc >= 0.9", ['attributes.run_name ASC']),
    await names(store, ids.id('exp'), "attributes.run_name LIKE '%a'", ['attributes.run_name ASC']),
    await names(store, ids.id('exp'), "params.model != 'rnn'", ['attributes.run_name ASC']),
  ]),
  step('tests params and tags for presence with IS NULL and IS NOT NULL', async (store, ids) => [
    await names(store, ids.id('exp'), 'params.lr IS NULL', ['attributes.run_name ASC']),
    await names(store, ids.id('exp'), 'params.lr IS NOT NULL', ['attributes.run_name ASC']),
    await names(store, ids.id('exp'), 'tags.stage IS NOT NULL', ['attributes.run_name ASC']),
  ]),
  step('orders by a metric with NaN and missing values', async (store, ids) => [
    await names(store, ids.id('exp'), '', ['metrics.acc DESC']),
    await names(store, ids.id('exp'), '', ['metrics.acc ASC']),
    await names(store, ids.id('exp'), ''),
  ]),
  step('walks pages of two runs', async (store, ids) => {
    const pages: string[][] = [];
    let token: string | null = null;
    do {
      const page: Awaited<ReturnType<TrackingStore['searchRuns']>> = await store.searchRuns({ experimentIds: [ids.id('exp')], maxResults: 2, orderBy: ['attributes.run_name ASC'], pageToken: token });
      pages.push(page.runs.map((run) => run.info.runName));
      token = page.nextPageToken;
    } while (token);
    return pages;
  }),
  step('deletes a run and searches by view type', async (store, ids) => {
    await store.deleteRun(ids.id('beta'));
    return [
      await names(store, ids.id('exp'), '', ['attributes.run_name ASC']),
      (await store.searchRuns({ experimentIds: [ids.id('exp')], runViewType: 'DELETED_ONLY' })).runs.map((run) => run.info.runName),
    ];
  }),
  step('refuses to restore an active experiment', (store, ids) => store.restoreExperiment(ids.id('exp'))),
  step('deletes an experiment with its runs and refuses to delete it again', async (store, ids) => {
    await store.deleteExperiment(ids.id('exp'));
    const stages = [(await store.getExperiment(ids.id('exp'))).lifecycleStage, (await store.getRun(ids.id('alpha'))).info.lifecycleStage];
    return [stages, await store.deleteExperiment(ids.id('exp')).then(() => 'deleted twice', (error: { code?: string }) => error.code)];
  }),
  step('restores an experiment with every run, one deleted before included', async (store, ids) => {
    await store.restoreExperiment(ids.id('exp'));
    return Promise.all(['alpha', 'beta', 'gamma', 'delta'].map(async (name) => (await store.getRun(ids.id(name))).info.lifecycleStage));
  }),
  step('searches experiments by name and view type', async (store) => {
    await store.createExperiment('other-1');
    // A later millisecond for the next one, so "newest first" below never falls back to its experiment_id tie-break.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const dropped = await store.createExperiment('other-2');
    await store.deleteExperiment(dropped);
    const listed = async (input: Parameters<TrackingStore['searchExperiments']>[0]) => (await store.searchExperiments(input)).experiments.map((experiment) => experiment.name);
    return [
      await listed({ filter: "name LIKE 'other%'", orderBy: ['name ASC'] }),
      await listed({ viewType: 'ALL', orderBy: ['name ASC'] }),
      await listed({ viewType: 'DELETED_ONLY' }),
    ];
  }),
  step('lists experiments newest first by default, a rename not moving them', async (store) => {
    const older = await store.createExperiment('newest-a');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.createExperiment('newest-b');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.renameExperiment(older, 'newest-a2');
    return (await store.searchExperiments({ filter: "name LIKE 'newest%'" })).experiments.map((experiment) => experiment.name);
  }),
  step('filters experiments by experiment_id and tests their tags for presence', async (store, ids) => {
    const exp = ids.id('exp');
    const listed = async (filter: string) => (await store.searchExperiments({ filter, viewType: 'ALL', orderBy: ['name ASC'] })).experiments.map((experiment) => experiment.name);
    return [
      await listed(`experiment_id = '${exp}'`),
      await listed(`experiment_id != '${exp}'`),
      await listed(`experiment_id IN ('0', '${exp}', '9999')`),
      await listed(`experiment_id NOT IN ('0', '${exp}')`),
      await listed(`experiment_id IN ('${exp}',)`),
      await listed(`experiment_id = '0${exp}'`),
      await listed('tags.team IS NOT NULL'),
      await listed('tags.team IS NULL'),
    ];
  }),
  step('refuses experiment_id filters MLflow refuses', async (store) =>
    Promise.all(
      ["experiment_id = 'abc'", 'experiment_id = 1', "experiment_id LIKE '1%'", "experiment_id > '1'", 'name IS NULL', "name IN ('Default')"].map((filter) =>
        store.searchExperiments({ filter }).then(() => `accepted ${filter}`, (error: { code?: string }) => error.code),
      ),
    ),
  ),
];
