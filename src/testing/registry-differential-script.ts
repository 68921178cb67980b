import type { ModelRegistryStore, ModelVersion, RegisteredModel } from '../model-registry/index.ts';
import type { DifferentialStep } from './differential.ts';

const step = (name: string, run: DifferentialStep<ModelRegistryStore>['run']): DifferentialStep<ModelRegistryStore> => ({ name, run });
const id = (version: ModelVersion): string => `${version.name}/${version.version}`;
const modelNames = (page: { registeredModels: RegisteredModel[] }): string[] => page.registeredModels.map((model) => model.name);
const versionIds = (page: { modelVersions: ModelVersion[] }): string[] => page.modelVersions.map(id);
const byNameAndVersion = ['name ASC', 'version_number ASC'];

/**
 * The differential script for model registries: models, versions, tags, aliases, stages, search and
 * copyModelVersion, including each place where Plugboard's IndexedDB registry used to differ from MLflow's
 * server (`name IN (…)`, quoted `version_number`, registry tag length, `models:/` sources, version 0).
 * Every step starts from what the steps before it left.
 */
export const registryDifferentialScript: readonly DifferentialStep<ModelRegistryStore>[] = [
  step('creates a registered model with tags and a description', (store) =>
    store.createRegisteredModel('clf', { tags: [{ key: 'team', value: 'nlp' }], description: 'a classifier' })),
  step('refuses a taken model name', (store) => store.createRegisteredModel('clf')),
  step('refuses an empty model name', (store) => store.createRegisteredModel('')),
  step('creates version 1 with a run id, tags and a description', (store) =>
    store.createModelVersion('clf', 's3://bucket/clf/1', 'run-a', [{ key: 'k', value: 'v' }], 'first')),
  step('creates versions 2 and 3', async (store) => [
    await store.createModelVersion('clf', 's3://bucket/clf/2', 'run-b'),
    await store.createModelVersion('clf', 's3://bucket/clf/3'),
  ]),
  step('refuses a version of an unknown model', (store) => store.createModelVersion('nope', 's3://bucket/x')),
  step('points aliases at versions and reads them back', async (store) => {
    await store.setRegisteredModelAlias('clf', 'champion', 2);
    await store.setRegisteredModelAlias('clf', 'challenger', '3');
    return [await store.getModelVersionByAlias('clf', 'champion'), (await store.getRegisteredModel('clf')).aliases];
  }),
  step('refuses an alias of a missing version', (store) => store.setRegisteredModelAlias('clf', 'ghost', 9)),
  step('refuses reading an unknown alias', (store) => store.getModelVersionByAlias('clf', 'nobody')),
  step('refuses a reserved alias', (store) => store.setRegisteredModelAlias('clf', 'latest', 1)),
  step('reads a version given as a number and as a string', async (store) => [await store.getModelVersion('clf', 1), await store.getModelVersion('clf', '1')]),
  step('finds no version 0', (store) => store.getModelVersion('clf', '0')),
  step('refuses a version that is not a whole number', (store) => store.getModelVersion('clf', 'abc')),
  step('refuses a version with a fraction', (store) => store.getModelVersion('clf', 1.5)),
  step('finds no version 7', (store) => store.getModelVersion('clf', 7)),
  step('moves versions between stages, archiving the one in Production', async (store) => {
    await store.transitionModelVersionStage('clf', 1, 'production');
    const moved = await store.transitionModelVersionStage('clf', 2, 'Production', true);
    return [moved, await store.getModelVersion('clf', 1)];
  }),
  step('reports the latest version of each stage and of two stages', async (store) => [
    await store.getLatestVersions('clf'),
    await store.getLatestVersions('clf', ['production', 'None']),
  ]),
  step('refuses an unknown stage', (store) => store.transitionModelVersionStage('clf', 3, 'Shipping')),
  step('reads the model with its latest versions and aliases', (store) => store.getRegisteredModel('clf')),
  step('updates the model and version descriptions', async (store) => [
    await store.updateRegisteredModel('clf', 'better words'),
    await store.updateModelVersion('clf', 3, 'third'),
  ]),
  step('sets, overwrites and deletes tags of a model and a version', async (store) => {
    await store.setRegisteredModelTag('clf', { key: 'team', value: 'vision' });
    await store.setRegisteredModelTag('clf', { key: 'gone', value: 'soon' });
    await store.deleteRegisteredModelTag('clf', 'gone');
    await store.deleteRegisteredModelTag('clf', 'never-set');
    await store.setModelVersionTag('clf', 3, { key: 'a', value: '1' });
    await store.setModelVersionTag('clf', '3', { key: 'b', value: '2' });
    await store.deleteModelVersionTag('clf', 3, 'a');
    return [(await store.getRegisteredModel('clf')).tags, (await store.getModelVersion('clf', 3)).tags];
  }),
  step('keeps a 5001-character registry tag value', async (store) => {
    await store.setModelVersionTag('clf', 3, { key: 'long', value: 'x'.repeat(5001) });
    return (await store.getModelVersion('clf', 3)).tags.find((tag) => tag.key === 'long')?.value.length;
  }),
  step('refuses a 100,001-character registry tag value', (store) => store.setRegisteredModelTag('clf', { key: 'long', value: 'x'.repeat(100_001) })),
  step('creates more models to search', async (store) => {
    for (const name of ['cls-b', 'cls-a', 'CLS-c', 'reg-x']) {
      await store.createRegisteredModel(name, { tags: [{ key: 'kind', value: name.toLowerCase().startsWith('cls') ? 'classifier' : 'regressor' }] });
      await store.createModelVersion(name, `s3://bucket/${name}/1`, name === 'reg-x' ? 'run-a' : 'run-c');
    }
    return modelNames(await store.searchRegisteredModels());
  }),
  step('searches models by name LIKE, ILIKE and =, and by tag', async (store) => [
    modelNames(await store.searchRegisteredModels({ filter: "name LIKE 'cls-%'" })),
    modelNames(await store.searchRegisteredModels({ filter: "name ILIKE 'cls-%'", orderBy: ['name DESC'] })),
    modelNames(await store.searchRegisteredModels({ filter: "name = 'reg-x'" })),
    modelNames(await store.searchRegisteredModels({ filter: "tags.kind = 'classifier' AND name != 'cls-a'" })),
  ]),
  step('searches models by name IN and NOT IN', async (store) => [
    modelNames(await store.searchRegisteredModels({ filter: "name IN ('cls-a', 'reg-x', 'absent')" })),
    modelNames(await store.searchRegisteredModels({ filter: "name NOT IN ('cls-a', 'reg-x')" })),
  ]),
  step('walks pages of two models', async (store) => {
    const first = await store.searchRegisteredModels({ maxResults: 2, orderBy: ['name'] });
    const second = await store.searchRegisteredModels({ maxResults: 2, orderBy: ['name'], pageToken: first.nextPageToken });
    const third = await store.searchRegisteredModels({ maxResults: 2, orderBy: ['name'], pageToken: second.nextPageToken });
    return [modelNames(first), modelNames(second), modelNames(third), third.nextPageToken];
  }),
  step('refuses an OR filter on models', (store) => store.searchRegisteredModels({ filter: "name = 'a' OR name = 'b'" })),
  step('refuses an unknown model order key', (store) => store.searchRegisteredModels({ orderBy: ['colour'] })),
  step('searches versions by name, name IN and run_id IN', async (store) => [
    versionIds(await store.searchModelVersions({ filter: "name = 'clf'", orderBy: byNameAndVersion })),
    versionIds(await store.searchModelVersions({ filter: "name IN ('cls-a', 'reg-x')", orderBy: byNameAndVersion })),
    versionIds(await store.searchModelVersions({ filter: "run_id IN ('run-a', 'run-b')", orderBy: byNameAndVersion })),
    versionIds(await store.searchModelVersions({ filter: "run_id NOT IN ('run-c')", orderBy: byNameAndVersion })),
  ]),
  step('searches versions by version_number, quoted or not', async (store) => [
    versionIds(await store.searchModelVersions({ filter: "name = 'clf' AND version_number = '2'" })),
    versionIds(await store.searchModelVersions({ filter: "name = 'clf' AND version_number >= 2", orderBy: byNameAndVersion })),
    versionIds(await store.searchModelVersions({ filter: "version_number > '1'", orderBy: byNameAndVersion })),
  ]),
  step('refuses a fractional or non-numeric version_number', async (store) => {
    const codes = [];
    for (const filter of ['version_number = 1.5', "version_number = 'x'", "version_number IN ('1')"]) {
      codes.push(await store.searchModelVersions({ filter }).then(() => 'resolved', (error: { code?: string }) => error.code));
    }
    return codes;
  }),
  step('searches versions by tag and source_path', async (store) => [
    versionIds(await store.searchModelVersions({ filter: "tags.k = 'v'" })),
    versionIds(await store.searchModelVersions({ filter: "source_path LIKE 's3://bucket/cls-%'", orderBy: byNameAndVersion })),
  ]),
  step('walks pages of three versions', async (store) => {
    const first = await store.searchModelVersions({ maxResults: 3, orderBy: byNameAndVersion });
    const second = await store.searchModelVersions({ maxResults: 3, orderBy: byNameAndVersion, pageToken: first.nextPageToken });
    const third = await store.searchModelVersions({ maxResults: 3, orderBy: byNameAndVersion, pageToken: second.nextPageToken });
    return [versionIds(first), versionIds(second), versionIds(third), third.nextPageToken];
  }),
  step('orders versions by version_number DESC, ties by name', async (store) =>
    versionIds(await store.searchModelVersions({ filter: "name LIKE 'cl%'", orderBy: ['version_number DESC'] }))),
  step('refuses a model-version page size of 0', (store) => store.searchModelVersions({ maxResults: 0 })),
  step('copies the champion into a new model', async (store) => {
    const copy = await store.copyModelVersion('models:/clf@champion', 'clf-prod');
    return [copy, await store.getRegisteredModel('clf-prod'), await store.getModelVersionDownloadUri('clf-prod', 1)];
  }),
  step('copies a version by number and by stage into an existing model', async (store) => [
    await store.copyModelVersion('models:/clf/1', 'clf-prod'),
    await store.copyModelVersion('models:/clf/Production', 'clf-prod'),
    await store.copyModelVersion('models:/clf/latest', 'clf-prod'),
  ]),
  step('refuses to copy a missing version', (store) => store.copyModelVersion('models:/clf/9', 'clf-prod')),
  step('refuses to copy from a URI that is not models:/', (store) => store.copyModelVersion('runs:/abc/model', 'clf-prod')),
  step('creates a version whose source is another version, inheriting its run id', async (store) => {
    const made = await store.createModelVersion('cls-a', 'models:/clf/2');
    return [made, await store.getModelVersionDownloadUri('cls-a', made.version)];
  }),
  step('refuses a models:/ source whose version is missing', (store) => store.createModelVersion('cls-a', 'models:/clf/9')),
  step('refuses a models:/ source whose model is missing', (store) => store.createModelVersion('cls-a', 'models:/nope/1')),
  step('refuses a models:/ source with an unknown alias', (store) => store.createModelVersion('cls-a', 'models:/clf@nobody')),
  step('refuses a models:/ source with another run id', (store) => store.createModelVersion('cls-a', 'models:/clf/2', 'run-z')),
  step('deletes a version and the aliases pointing at it, never reusing its number', async (store) => {
    await store.deleteModelVersion('clf', 3);
    const model = await store.getRegisteredModel('clf');
    const next = await store.createModelVersion('clf', 's3://bucket/clf/4');
    return [model.aliases, model.latestVersions.map(id), next.version];
  }),
  step('finds no deleted version', (store) => store.getModelVersion('clf', 3)),
  step('renames a model, its versions and aliases following', async (store) => {
    const renamed = await store.renameRegisteredModel('clf', 'classifier');
    return [renamed, await store.getModelVersionByAlias('classifier', 'champion')];
  }),
  step('refuses a rename to a taken name', (store) => store.renameRegisteredModel('classifier', 'reg-x')),
  step('deletes a model with its versions', async (store) => {
    await store.deleteRegisteredModel('reg-x');
    return versionIds(await store.searchModelVersions({ filter: "name = 'reg-x'" }));
  }),
  step('refuses to delete an unknown model', (store) => store.deleteRegisteredModel('reg-x')),
];
