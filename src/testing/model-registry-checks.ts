import type { ModelRegistryStore } from '../model-registry/index.ts';
import { assertEqual, assertRejects, assertTrue, describeChecks, runChecks, toRecord, type Check, type CheckResult, type TestFramework } from './check.ts';

const check = (name: string, run: (store: ModelRegistryStore) => Promise<void>): Check<ModelRegistryStore> => ({ name, run });
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates a model with `count` versions whose sources are `s3://m/<n>`. */
async function modelWithVersions(store: ModelRegistryStore, name: string, count: number): Promise<void> {
  await store.createRegisteredModel(name);
  for (let index = 1; index <= count; index += 1) await store.createModelVersion(name, `s3://m/${index}`);
}

/**
 * Model registry behaviours (MLflow's model-registry store): each check gets a fresh, empty registry.
 * Aliases and tags are the surface MLflow recommends; stages are checked for compatibility.
 */
export const modelRegistryChecks: readonly Check<ModelRegistryStore>[] = [
  check('creates a registered model with its tags and description and reads it back', async (store) => {
    const created = await store.createRegisteredModel('clf', { tags: [{ key: 'team', value: 'nlp' }], description: 'a classifier' });
    const model = await store.getRegisteredModel('clf');
    assertEqual(
      [model.name, model.description, toRecord(model.tags), model.latestVersions, model.aliases],
      ['clf', 'a classifier', { team: 'nlp' }, [], []],
      'the registered model',
    );
    assertTrue(model.creationTimestamp > 0 && model.lastUpdatedTimestamp === model.creationTimestamp, 'creation and update times are set and equal');
    assertEqual(created.name, 'clf', 'createRegisteredModel resolves with the model');
  }),
  check('refuses a taken name, an empty name and reading an unknown model, with MLflow codes', async (store) => {
    await store.createRegisteredModel('taken');
    await assertRejects(store.createRegisteredModel('taken'), 'RESOURCE_ALREADY_EXISTS', 'a second "taken"');
    await assertRejects(store.createRegisteredModel(''), 'INVALID_PARAMETER_VALUE', 'an empty name');
    await assertRejects(store.getRegisteredModel('nope'), 'RESOURCE_DOES_NOT_EXIST', 'getRegisteredModel("nope")');
    await assertRejects(store.deleteRegisteredModel('nope'), 'RESOURCE_DOES_NOT_EXIST', 'deleteRegisteredModel("nope")');
  }),
  check('updates the description and bumps lastUpdatedTimestamp', async (store) => {
    const before = await store.createRegisteredModel('m');
    await pause(2);
    const after = await store.updateRegisteredModel('m', 'new words');
    assertEqual((await store.getRegisteredModel('m')).description, 'new words', 'stored description');
    assertTrue(after.lastUpdatedTimestamp > before.lastUpdatedTimestamp, 'lastUpdatedTimestamp grows');
    await assertRejects(store.updateRegisteredModel('nope', 'x'), 'RESOURCE_DOES_NOT_EXIST', 'update of an unknown model');
  }),
  check('renames a model, its versions and aliases following, and refuses a taken name', async (store) => {
    await modelWithVersions(store, 'old', 2);
    await store.setRegisteredModelAlias('old', 'champion', 2);
    await store.createRegisteredModel('other');
    await assertRejects(store.renameRegisteredModel('old', 'other'), 'RESOURCE_ALREADY_EXISTS', 'rename to a taken name');
    const renamed = await store.renameRegisteredModel('old', 'new');
    assertEqual(renamed.name, 'new', 'the renamed model');
    await assertRejects(store.getRegisteredModel('old'), 'RESOURCE_DOES_NOT_EXIST', 'the old name');
    assertEqual((await store.getModelVersion('new', 1)).source, 's3://m/1', 'version 1 under the new name');
    assertEqual((await store.getModelVersionByAlias('new', 'champion')).version, '2', 'the alias under the new name');
    assertEqual((await store.createModelVersion('new', 's3://m/3')).version, '3', 'numbering continues after a rename');
    await assertRejects(store.renameRegisteredModel('nope', 'x'), 'RESOURCE_DOES_NOT_EXIST', 'rename of an unknown model');
  }),
  check('deletes a model with its versions, tags and aliases', async (store) => {
    await modelWithVersions(store, 'gone', 2);
    await store.setRegisteredModelAlias('gone', 'champion', 1);
    await store.deleteRegisteredModel('gone');
    await assertRejects(store.getRegisteredModel('gone'), 'RESOURCE_DOES_NOT_EXIST', 'the deleted model');
    await assertRejects(store.getModelVersion('gone', 1), 'RESOURCE_DOES_NOT_EXIST', 'a version of the deleted model');
    assertEqual((await store.searchModelVersions({ filter: "name = 'gone'" })).modelVersions, [], 'no versions remain');
    await store.createRegisteredModel('gone');
    assertEqual((await store.getRegisteredModel('gone')).aliases, [], 'a new model of that name has no aliases');
    assertEqual((await store.createModelVersion('gone', 's3://bucket/again')).version, '1', 'a new model of that name starts at version 1');
  }),
  check('sets, overwrites and deletes registered-model tags; deleting a missing tag is a no-op', async (store) => {
    await store.createRegisteredModel('t', { tags: [{ key: 'a', value: '1' }] });
    await store.setRegisteredModelTag('t', { key: 'b', value: '2' });
    await store.setRegisteredModelTag('t', { key: 'a', value: 'one' });
    assertEqual(toRecord((await store.getRegisteredModel('t')).tags), { a: 'one', b: '2' }, 'tags after set and overwrite');
    await store.deleteRegisteredModelTag('t', 'a');
    await store.deleteRegisteredModelTag('t', 'never-set');
    assertEqual(toRecord((await store.getRegisteredModel('t')).tags), { b: '2' }, 'tags after delete');
    await store.setRegisteredModelTag('t', { key: 'long', value: 'x'.repeat(5001) });
    assertEqual((await store.getRegisteredModel('t')).tags.find((tag) => tag.key === 'long')?.value.length, 5001, 'a 5001-character value (MLflow 3 allows 100,000)');
    await assertRejects(store.setRegisteredModelTag('t', { key: 'long', value: 'x'.repeat(100_001) }), 'INVALID_PARAMETER_VALUE', 'a 100,001-character value');
    await assertRejects(store.setRegisteredModelTag('nope', { key: 'a', value: 'b' }), 'RESOURCE_DOES_NOT_EXIST', 'a tag on an unknown model');
  }),
  check('creates versions 1, 2, 3 — READY, stage None — with source, run id, tags and description', async (store) => {
    const model = await store.createRegisteredModel('v');
    await pause(2);
    const first = await store.createModelVersion('v', 'idb://plugboard/0/abc/artifacts/model', 'abc', [{ key: 'k', value: 'x' }], 'first');
    assertEqual(
      [first.name, first.version, first.status, first.currentStage, first.source, first.runId, first.description, toRecord(first.tags), first.aliases],
      ['v', '1', 'READY', 'None', 'idb://plugboard/0/abc/artifacts/model', 'abc', 'first', { k: 'x' }, []],
      'version 1',
    );
    assertEqual([(await store.createModelVersion('v', 's3://bucket/b')).version, (await store.createModelVersion('v', 's3://bucket/c')).version], ['2', '3'], 'the next numbers');
    assertTrue((await store.getRegisteredModel('v')).lastUpdatedTimestamp > model.lastUpdatedTimestamp, 'a new version bumps the model lastUpdatedTimestamp');
    await assertRejects(store.createModelVersion('nope', 's3://bucket/x'), 'RESOURCE_DOES_NOT_EXIST', 'a version of an unknown model');
    await assertRejects(store.createModelVersion('v', ''), 'INVALID_PARAMETER_VALUE', 'an empty source');
  }),
  check('never gives a deleted version number out again', async (store) => {
    await modelWithVersions(store, 'n', 2);
    await store.deleteModelVersion('n', 2);
    await assertRejects(store.getModelVersion('n', 2), 'RESOURCE_DOES_NOT_EXIST', 'the deleted version');
    assertEqual((await store.createModelVersion('n', 's3://bucket/three')).version, '3', 'the version after a deletion');
    await assertRejects(store.deleteModelVersion('n', 2), 'RESOURCE_DOES_NOT_EXIST', 'deleting it again');
  }),
  check('reads versions given as numbers or strings and refuses other version values', async (store) => {
    await modelWithVersions(store, 'r', 1);
    assertEqual([(await store.getModelVersion('r', 1)).version, (await store.getModelVersion('r', '1')).version], ['1', '1'], 'version 1 both ways');
    assertEqual(await store.getModelVersionDownloadUri('r', 1), 's3://m/1', 'the download URI is the source');
    for (const bad of ['abc', 1.5, '1.5']) await assertRejects(store.getModelVersion('r', bad), 'INVALID_PARAMETER_VALUE', `version ${JSON.stringify(bad)}`);
    // MLflow reads 0 and -1 as whole numbers no version has; a store may also refuse them as malformed.
    for (const absent of ['0', -1]) await assertRejects(store.getModelVersion('r', absent), ['RESOURCE_DOES_NOT_EXIST', 'INVALID_PARAMETER_VALUE'], `version ${JSON.stringify(absent)}`);
    await assertRejects(store.getModelVersion('r', 7), 'RESOURCE_DOES_NOT_EXIST', 'version 7');
  }),
  check('updates a version description and sets, overwrites and deletes version tags', async (store) => {
    await modelWithVersions(store, 'u', 1);
    const before = await store.getModelVersion('u', 1);
    await pause(2);
    const updated = await store.updateModelVersion('u', 1, 'better');
    assertEqual(updated.description, 'better', 'updated description');
    assertTrue(updated.lastUpdatedTimestamp > before.lastUpdatedTimestamp, 'the version lastUpdatedTimestamp grows');
    await store.setModelVersionTag('u', 1, { key: 'a', value: '1' });
    await store.setModelVersionTag('u', '1', { key: 'a', value: '2' });
    await store.setModelVersionTag('u', 1, { key: 'b', value: '3' });
    await store.deleteModelVersionTag('u', 1, 'b');
    await store.deleteModelVersionTag('u', 1, 'missing');
    assertEqual(toRecord((await store.getModelVersion('u', 1)).tags), { a: '2' }, 'version tags');
    await assertRejects(store.setModelVersionTag('u', 9, { key: 'a', value: 'b' }), 'RESOURCE_DOES_NOT_EXIST', 'a tag on an unknown version');
  }),
  check('points an alias at a version, moves it, lists it on the model and the version, and deletes it', async (store) => {
    await modelWithVersions(store, 'a', 3);
    await store.setRegisteredModelAlias('a', 'champion', 1);
    await store.setRegisteredModelAlias('a', 'challenger', '3');
    assertEqual((await store.getModelVersionByAlias('a', 'champion')).version, '1', 'champion → 1');
    await store.setRegisteredModelAlias('a', 'champion', 2);
    assertEqual((await store.getModelVersionByAlias('a', 'champion')).version, '2', 'champion moved to 2');
    assertEqual((await store.getRegisteredModel('a')).aliases, [{ alias: 'challenger', version: '3' }, { alias: 'champion', version: '2' }], 'model aliases');
    assertEqual([(await store.getModelVersion('a', 1)).aliases, (await store.getModelVersion('a', 2)).aliases], [[], ['champion']], 'version aliases');
    await store.deleteRegisteredModelAlias('a', 'champion');
    await store.deleteRegisteredModelAlias('a', 'never-set');
    await assertRejects(store.getModelVersionByAlias('a', 'champion'), 'INVALID_PARAMETER_VALUE', 'a deleted alias');
    assertEqual((await store.getRegisteredModel('a')).aliases, [{ alias: 'challenger', version: '3' }], 'aliases after delete');
  }),
  check('drops the aliases of a deleted version and keeps the others', async (store) => {
    await modelWithVersions(store, 'd', 2);
    await store.setRegisteredModelAlias('d', 'champion', 1);
    await store.setRegisteredModelAlias('d', 'backup', 1);
    await store.setRegisteredModelAlias('d', 'next', 2);
    await store.deleteModelVersion('d', 1);
    assertEqual((await store.getRegisteredModel('d')).aliases, [{ alias: 'next', version: '2' }], 'aliases after deleting version 1');
    await assertRejects(store.getModelVersionByAlias('d', 'champion'), 'INVALID_PARAMETER_VALUE', 'an alias of the deleted version');
  }),
  check('refuses reserved and malformed aliases and aliases of missing versions', async (store) => {
    await modelWithVersions(store, 'x', 1);
    for (const alias of ['latest', 'LATEST', 'v1', 'V12', 'two words', '', 'a'.repeat(256)]) {
      await assertRejects(store.setRegisteredModelAlias('x', alias, 1), 'INVALID_PARAMETER_VALUE', `alias ${JSON.stringify(alias.slice(0, 20))}`);
    }
    await assertRejects(store.setRegisteredModelAlias('x', 'champion', 5), 'RESOURCE_DOES_NOT_EXIST', 'an alias of version 5');
    await assertRejects(store.setRegisteredModelAlias('nope', 'champion', 1), 'RESOURCE_DOES_NOT_EXIST', 'an alias of an unknown model');
    await store.setRegisteredModelAlias('x', 'v1-candidate', 1);
    assertEqual((await store.getModelVersionByAlias('x', 'v1-candidate')).version, '1', 'an alias that merely starts with v1');
  }),
  check('moves versions between stages and reports the latest version of each stage', async (store) => {
    await modelWithVersions(store, 's', 4);
    await store.transitionModelVersionStage('s', 1, 'production');
    await store.transitionModelVersionStage('s', 2, 'Staging');
    const moved = await store.transitionModelVersionStage('s', 3, 'PRODUCTION', true);
    assertEqual(moved.currentStage, 'Production', 'canonical stage');
    assertEqual((await store.getModelVersion('s', 1)).currentStage, 'Archived', 'version 1 archived by the move of 3');
    const latest = await store.getLatestVersions('s');
    assertEqual(latest.map((version) => [version.version, version.currentStage]), [['1', 'Archived'], ['2', 'Staging'], ['3', 'Production'], ['4', 'None']], 'latest per stage');
    assertEqual((await store.getLatestVersions('s', ['production', 'None'])).map((version) => version.version), ['3', '4'], 'latest of two stages');
    assertEqual((await store.getRegisteredModel('s')).latestVersions.map((version) => version.version), ['1', '2', '3', '4'], 'latestVersions of the model');
    await assertRejects(store.transitionModelVersionStage('s', 4, 'Shipping'), 'INVALID_PARAMETER_VALUE', 'an unknown stage');
    // MLflow's server answers this caller mistake with INTERNAL_ERROR (a plain MlflowException).
    await assertRejects(store.transitionModelVersionStage('s', 4, 'Archived', true), ['INVALID_PARAMETER_VALUE', 'INTERNAL_ERROR'], 'archiving into Archived');
  }),
  check('searches registered models by name and tag, ordered, across pages', async (store) => {
    for (const name of ['cls-b', 'cls-a', 'reg-x', 'CLS-c']) await store.createRegisteredModel(name, { tags: [{ key: 'kind', value: name.toLowerCase().startsWith('cls') ? 'classifier' : 'regressor' }] });
    assertEqual((await store.searchRegisteredModels()).registeredModels.map((model) => model.name), ['CLS-c', 'cls-a', 'cls-b', 'reg-x'], 'default order by name');
    assertEqual((await store.searchRegisteredModels({ filter: "name LIKE 'cls-%'" })).registeredModels.map((model) => model.name), ['cls-a', 'cls-b'], 'name LIKE');
    assertEqual((await store.searchRegisteredModels({ filter: "name ILIKE 'cls-%'", orderBy: ['name DESC'] })).registeredModels.map((model) => model.name), ['cls-b', 'cls-a', 'CLS-c'], 'name ILIKE, name DESC');
    assertEqual((await store.searchRegisteredModels({ filter: "name = 'reg-x'" })).registeredModels.map((model) => model.name), ['reg-x'], 'name =');
    assertEqual((await store.searchRegisteredModels({ filter: "tags.kind = 'regressor'" })).registeredModels.map((model) => model.name), ['reg-x'], 'tag filter');
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<ModelRegistryStore['searchRegisteredModels']>> = await store.searchRegisteredModels({ maxResults: 3, pageToken: token });
      seen.push(...page.registeredModels.map((model) => model.name));
      token = page.nextPageToken;
      pages += 1;
    } while (token !== null && pages < 10);
    assertEqual([seen, pages], [['CLS-c', 'cls-a', 'cls-b', 'reg-x'], 2], 'pages of 3 walk every model once');
  }),
  check('refuses a malformed search: bad filter, unknown order key, page size and token', async (store) => {
    await assertRejects(store.searchRegisteredModels({ filter: "name = 'a' OR name = 'b'" }), 'INVALID_PARAMETER_VALUE', 'an OR filter');
    await assertRejects(store.searchRegisteredModels({ filter: 'run_id = 5' }), 'INVALID_PARAMETER_VALUE', 'an unknown attribute');
    await assertRejects(store.searchRegisteredModels({ orderBy: ['colour'] }), 'INVALID_PARAMETER_VALUE', 'an unknown order key');
    await assertRejects(store.searchRegisteredModels({ maxResults: 1001 }), 'INVALID_PARAMETER_VALUE', 'maxResults 1001');
    await assertRejects(store.searchModelVersions({ maxResults: 0 }), 'INVALID_PARAMETER_VALUE', 'model versions maxResults 0');
    await assertRejects(store.searchRegisteredModels({ pageToken: 'garbage' }), 'INVALID_PARAMETER_VALUE', 'a garbage page token');
  }),
  check('searches model versions by model name, run id and tags', async (store) => {
    await store.createRegisteredModel('m1');
    await store.createRegisteredModel('m2');
    await store.createModelVersion('m1', 's3://bucket/1', 'run-a');
    await store.createModelVersion('m1', 's3://bucket/2', 'run-b', [{ key: 'good', value: 'yes' }]);
    await store.createModelVersion('m2', 's3://bucket/3', 'run-a');
    const ids = (page: { modelVersions: { name: string; version: string }[] }) => page.modelVersions.map((version) => `${version.name}/${version.version}`).sort();
    assertEqual(ids(await store.searchModelVersions({ filter: "name = 'm1'" })), ['m1/1', 'm1/2'], 'by name');
    assertEqual(ids(await store.searchModelVersions({ filter: "run_id = 'run-a'" })), ['m1/1', 'm2/1'], 'by run id');
    assertEqual(ids(await store.searchModelVersions({ filter: "run_id IN ('run-b', 'zzz')" })), ['m1/2'], 'by run id IN');
    assertEqual(ids(await store.searchModelVersions({ filter: "tags.good = 'yes'" })), ['m1/2'], 'by tag');
    const ordered = await store.searchModelVersions({ orderBy: ['name ASC', 'version_number ASC'] });
    assertEqual(ordered.modelVersions.map((version) => `${version.name}/${version.version}`), ['m1/1', 'm1/2', 'm2/1'], 'ordered by name then version');
  }),
  check("searches by name IN and NOT IN, and by version_number quoted or not, as MLflow's server", async (store) => {
    for (const name of ['a', 'b', 'c']) await modelWithVersions(store, name, 2);
    const names = (page: { registeredModels: { name: string }[] }) => page.registeredModels.map((model) => model.name);
    assertEqual(names(await store.searchRegisteredModels({ filter: "name IN ('a', 'c', 'zzz')" })), ['a', 'c'], 'models by name IN');
    assertEqual(names(await store.searchRegisteredModels({ filter: "name NOT IN ('a', 'c')" })), ['b'], 'models by name NOT IN');
    const ids = (page: { modelVersions: { name: string; version: string }[] }) => page.modelVersions.map((version) => `${version.name}/${version.version}`);
    const order = ['name ASC', 'version_number ASC'];
    assertEqual(ids(await store.searchModelVersions({ filter: "name IN ('a', 'b') AND version_number = '2'", orderBy: order })), ['a/2', 'b/2'], "name IN with version_number = '2'");
    assertEqual(ids(await store.searchModelVersions({ filter: "name = 'c' AND version_number < 2" })), ['c/1'], 'version_number < 2');
    await assertRejects(store.searchModelVersions({ filter: 'version_number = 1.5' }), 'INVALID_PARAMETER_VALUE', 'a fractional version_number');
    await assertRejects(store.searchModelVersions({ filter: "version_number = 'two'" }), 'INVALID_PARAMETER_VALUE', 'a word as version_number');
  }),
  check('copies a model version as MLflow\'s client does: source models:/<name>/<version>, run, tags and description kept', async (store) => {
    await store.createRegisteredModel('src');
    await store.createModelVersion('src', 's3://bucket/src/1', 'run-1', [{ key: 'k', value: 'v' }], 'first', 'http://runs/1');
    await store.createModelVersion('src', 's3://bucket/src/2');
    await store.setRegisteredModelAlias('src', 'champion', 1);
    await store.transitionModelVersionStage('src', 2, 'Staging');
    const copy = await store.copyModelVersion('models:/src@champion', 'dst');
    assertEqual(
      [copy.name, copy.version, copy.source, copy.runId, copy.runLink, toRecord(copy.tags), copy.description, copy.currentStage, copy.aliases],
      ['dst', '1', 'models:/src/1', 'run-1', 'http://runs/1', { k: 'v' }, 'first', 'None', []],
      'the copy of the champion',
    );
    assertEqual(await store.getModelVersionDownloadUri('dst', 1), 's3://bucket/src/1', "the copy's files are the original's");
    assertEqual((await store.copyModelVersion('models:/src/Staging', 'dst')).source, 'models:/src/2', 'a copy by stage, into the existing model');
    assertEqual((await store.copyModelVersion('models:/src/latest', 'dst')).version, '3', 'a copy of the latest version');
    await assertRejects(store.copyModelVersion('models:/src/9', 'dst'), 'RESOURCE_DOES_NOT_EXIST', 'a copy of a missing version');
    await assertRejects(store.copyModelVersion('runs:/abc/model', 'dst'), 'INVALID_PARAMETER_VALUE', 'a copy from a runs:/ URI');
  }),
  check('resolves a models:/ source as MLflow\'s server: by number, inheriting the run id, refusing what does not exist', async (store) => {
    await store.createRegisteredModel('orig');
    await store.createModelVersion('orig', 's3://bucket/orig/1', 'run-1');
    await store.setRegisteredModelAlias('orig', 'best', 1);
    await store.createRegisteredModel('made');
    const made = await store.createModelVersion('made', 'models:/orig@best');
    assertEqual([made.source, made.runId], ['models:/orig/1', 'run-1'], 'an alias source names the version by number and keeps its run');
    assertEqual(await store.getModelVersionDownloadUri('made', made.version), 's3://bucket/orig/1', 'the download URI is the original\'s');
    await assertRejects(store.createModelVersion('made', 'models:/orig/9'), 'RESOURCE_DOES_NOT_EXIST', 'a missing source version');
    await assertRejects(store.createModelVersion('made', 'models:/nope/1'), 'RESOURCE_DOES_NOT_EXIST', 'a missing source model');
    await assertRejects(store.createModelVersion('made', 'models:/orig@nobody'), 'INVALID_PARAMETER_VALUE', 'an unknown source alias');
    await assertRejects(store.createModelVersion('made', 'models:/orig/1', 'run-2'), 'INVALID_PARAMETER_VALUE', 'another run id than the source version\'s');
  }),
  check("lists a registered model's latest versions without aliases, as MLflow's server; the version itself has them", async (store) => {
    await modelWithVersions(store, 'al', 1);
    await store.setRegisteredModelAlias('al', 'champion', 1);
    const model = await store.getRegisteredModel('al');
    assertEqual([model.latestVersions.map((version) => version.aliases), model.aliases], [[[]], [{ alias: 'champion', version: '1' }]], 'latest versions and model aliases');
    assertEqual((await store.getLatestVersions('al'))[0]?.aliases, ['champion'], 'getLatestVersions lists them');
  }),
];

/**
 * Registers the model-registry contract as tests of the given framework (Vitest's or Playwright's
 * `describe`/`it`); `makeStore` must return a fresh, empty registry on each call.
 */
export function describeModelRegistryConformance(makeStore: () => Promise<ModelRegistryStore>, framework: TestFramework): void {
  describeChecks('model registry conformance', modelRegistryChecks, makeStore, framework);
}

/** Runs the model-registry contract without a test framework and reports each check. */
export function runModelRegistryConformance(makeStore: () => Promise<ModelRegistryStore>): Promise<CheckResult[]> {
  return runChecks(modelRegistryChecks, makeStore);
}
