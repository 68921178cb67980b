import { parseIdbUri } from '../artifacts/index.ts';
import { describeValue } from '../errors/index.ts';
import { openPlugboardDB, runInTransaction, type PlugboardStoreName } from '../storage/index.ts';
import { decodePageToken, encodePageToken, TrackingError, validateKey } from '../store-kit/index.ts';
import {
  latestVersionsOf,
  readAliasesOf,
  readModel,
  readRegisteredModel,
  readVersion,
  readVersionsOf,
  recordsOfModel,
  toModelVersion,
  toRegisteredModel,
  type RegistryTransaction,
  type StoredAlias,
  type StoredModelVersion,
  type StoredRegisteredModel,
} from './registry-records.ts';
import { copyModelVersion } from './copy-model-version.ts';
import { isModelsUri, parseModelUri, type ModelUri } from './parse-model-uri.ts';
import { compileModelVersionFilter, compileModelVersionOrderBy, compileRegisteredModelFilter, compileRegisteredModelOrderBy } from './registry-search.ts';
import {
  REGISTRY_LIMITS,
  canonicalStage,
  mergeTags,
  parseVersion,
  validateAlias,
  validateDescription,
  validateModelName,
  validatePageSize,
  validateRegistryTag,
  validateRegistryTags,
} from './registry-validation.ts';
import type {
  ModelRegistryStore,
  ModelVersion,
  ModelVersionsPage,
  RegisteredModel,
  RegisteredModelsPage,
  RegistryTag,
  SearchModelVersionsInput,
  SearchRegisteredModelsInput,
  VersionNumber,
} from './types.ts';

const ALL_STORES: PlugboardStoreName[] = ['registeredModels', 'modelVersions', 'modelAliases'];

function optionalText(value: unknown, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new TrackingError('INVALID_PARAMETER_VALUE', `${field} must be a string, received ${describeValue(value)}`, { field });
  return value;
}

/**
 * Resolves a `models:/` source inside the creating transaction, as MLflow's server does: the model must exist
 * (RESOURCE_DOES_NOT_EXIST), an alias must point somewhere (INVALID_PARAMETER_VALUE), the version must exist; the
 * new version's source names that version by number, its files are that version's files, and its run id is
 * inherited — or, when given, must be the same (INVALID_PARAMETER_VALUE).
 */
async function resolveRegistrySource(transaction: RegistryTransaction, parsed: ModelUri, source: string, runId: string | undefined): Promise<Pick<StoredModelVersion, 'source' | 'runId' | 'storageLocation'>> {
  await readModel(transaction, parsed.name);
  let number: number;
  if ('version' in parsed) number = parseVersion(parsed.version, 'source');
  else if ('alias' in parsed) {
    const alias = (await transaction.objectStore('modelAliases').get([parsed.name, parsed.alias])) as StoredAlias | undefined;
    if (!alias) {
      throw new TrackingError('INVALID_PARAMETER_VALUE', `registered model "${parsed.name}" has no alias "${parsed.alias}" (source ${source})`, {
        field: 'source',
        hint: 'Set the alias first, or name the version by number: models:/<name>/<version>.',
      });
    }
    number = alias.version;
  } else {
    const stage = 'stage' in parsed ? canonicalStage(parsed.stage, 'source') : undefined;
    const candidates = latestVersionsOf(await readVersionsOf(transaction, parsed.name)).filter((version) => stage === undefined || version.currentStage === stage);
    if (candidates.length === 0) {
      throw new TrackingError('RESOURCE_DOES_NOT_EXIST', `registered model "${parsed.name}" has no versions${stage ? ` in stage ${stage}` : ''} (source ${source})`, {
        field: 'source',
        hint: 'Name a version that exists: models:/<name>/<version>.',
      });
    }
    number = Math.max(...candidates.map((version) => version.version));
  }
  const original = await readVersion(transaction, parsed.name, number);
  if (runId !== undefined && runId !== null && runId !== original.runId) {
    throw new TrackingError('INVALID_PARAMETER_VALUE', `run id "${runId}" is not the run id of ${source} ("${original.runId}")`, {
      field: 'runId',
      hint: 'Leave the run id out: a version made from another version keeps its run id.',
    });
  }
  return { source: `models:/${parsed.name}/${number}`, runId: original.runId, storageLocation: original.storageLocation ?? original.source };
}

/** The model registry on IndexedDB: registered models, versions and aliases in Plugboard's database. */
export class IdbModelRegistryStore implements ModelRegistryStore {
  /** The IndexedDB database the registry lives in. */
  readonly database: string;

  constructor(database: string) {
    this.database = database;
  }

  async #run<T>(mode: IDBTransactionMode, what: string, work: (transaction: RegistryTransaction) => Promise<T>): Promise<T> {
    const db = await openPlugboardDB(this.database);
    return runInTransaction(db, ALL_STORES, mode, what, (transaction) => work(transaction as unknown as RegistryTransaction));
  }

  async createRegisteredModel(name: string, options: { tags?: RegistryTag[]; description?: string } = {}): Promise<RegisteredModel> {
    validateModelName(name);
    const tags = validateRegistryTags(options.tags);
    const description = optionalText(options.description, 'description');
    return this.#run('readwrite', `creating registered model "${name}"`, async (transaction) => {
      const store = transaction.objectStore('registeredModels');
      if (await store.getKey(name)) {
        throw new TrackingError('RESOURCE_ALREADY_EXISTS', `registered model "${name}" already exists`, { field: 'name', hint: 'Pick another name, or add a version to the existing model.' });
      }
      const now = Date.now();
      const record: StoredRegisteredModel = { name, creationTimestamp: now, lastUpdatedTimestamp: now, description, tags, nextVersion: 1 };
      await store.put(record);
      return toRegisteredModel(record, [], []);
    });
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    validateModelName(name);
    return this.#run('readonly', `reading registered model "${name}"`, (transaction) => readRegisteredModel(transaction, name));
  }

  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    validateModelName(name);
    validateModelName(newName, 'newName');
    return this.#run('readwrite', `renaming registered model "${name}" to "${newName}"`, async (transaction) => {
      const record = await readModel(transaction, name);
      const models = transaction.objectStore('registeredModels');
      if (newName !== name && (await models.getKey(newName))) {
        throw new TrackingError('RESOURCE_ALREADY_EXISTS', `registered model "${newName}" already exists`, { field: 'newName', hint: 'Pick a name no other model has.' });
      }
      const now = Date.now();
      const versions = await readVersionsOf(transaction, name);
      const aliases = await readAliasesOf(transaction, name);
      const moved = versions.map((version) => ({ ...version, name: newName, lastUpdatedTimestamp: now }));
      const movedAliases = aliases.map((alias) => ({ ...alias, name: newName }));
      await models.delete(name);
      await transaction.objectStore('modelVersions').delete(recordsOfModel(name));
      await transaction.objectStore('modelAliases').delete(recordsOfModel(name));
      const renamed = { ...record, name: newName, lastUpdatedTimestamp: now };
      await models.put(renamed);
      for (const version of moved) await transaction.objectStore('modelVersions').put(version);
      for (const alias of movedAliases) await transaction.objectStore('modelAliases').put(alias);
      return toRegisteredModel(renamed, moved, movedAliases);
    });
  }

  async updateRegisteredModel(name: string, description: string): Promise<RegisteredModel> {
    validateModelName(name);
    validateDescription(description);
    return this.#run('readwrite', `updating registered model "${name}"`, async (transaction) => {
      const record = await readModel(transaction, name);
      await transaction.objectStore('registeredModels').put({ ...record, description, lastUpdatedTimestamp: Date.now() });
      return readRegisteredModel(transaction, name);
    });
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    validateModelName(name);
    await this.#run('readwrite', `deleting registered model "${name}"`, async (transaction) => {
      await readModel(transaction, name);
      await transaction.objectStore('registeredModels').delete(name);
      await transaction.objectStore('modelVersions').delete(recordsOfModel(name));
      await transaction.objectStore('modelAliases').delete(recordsOfModel(name));
    });
  }

  async searchRegisteredModels(input: SearchRegisteredModelsInput = {}): Promise<RegisteredModelsPage> {
    const maxResults = input.maxResults ?? REGISTRY_LIMITS.registeredModelsDefault;
    validatePageSize(maxResults, REGISTRY_LIMITS.registeredModelsMax);
    const matches = compileRegisteredModelFilter<StoredRegisteredModel>(input.filter);
    const order = compileRegisteredModelOrderBy<StoredRegisteredModel>(input.orderBy);
    const fingerprint = JSON.stringify(['registeredModels', input.filter ?? '', input.orderBy ?? []]);
    const offset = decodePageToken(input.pageToken, fingerprint);
    return this.#run('readonly', 'searching registered models', async (transaction) => {
      const all = ((await transaction.objectStore('registeredModels').getAll()) as StoredRegisteredModel[]).filter(matches).sort(order);
      const page: RegisteredModel[] = [];
      for (const record of all.slice(offset, offset + maxResults)) {
        page.push(toRegisteredModel(record, await readVersionsOf(transaction, record.name), await readAliasesOf(transaction, record.name)));
      }
      return { registeredModels: page, nextPageToken: offset + maxResults < all.length ? encodePageToken(offset + maxResults, fingerprint) : null };
    });
  }

  async setRegisteredModelTag(name: string, tag: RegistryTag): Promise<void> {
    validateModelName(name);
    validateRegistryTag(tag);
    await this.#run('readwrite', `tagging registered model "${name}"`, async (transaction) => {
      const record = await readModel(transaction, name);
      await transaction.objectStore('registeredModels').put({ ...record, tags: mergeTags(record.tags, [{ key: tag.key, value: tag.value }]) });
    });
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    validateModelName(name);
    validateKey(key, 'key', 'tag key');
    await this.#run('readwrite', `deleting tag "${key}" of registered model "${name}"`, async (transaction) => {
      const record = await readModel(transaction, name);
      await transaction.objectStore('registeredModels').put({ ...record, tags: record.tags.filter((tag) => tag.key !== key) });
    });
  }

  async createModelVersion(name: string, source: string, runId?: string, tags?: RegistryTag[], description?: string, runLink?: string): Promise<ModelVersion> {
    validateModelName(name);
    if (typeof source !== 'string' || source === '') {
      throw new TrackingError('INVALID_PARAMETER_VALUE', `a model version needs a source URI, received ${typeof source === 'string' ? 'an empty string' : describeValue(source)}`, {
        field: 'source',
        hint: "Give the URI of the model's files, such as runs:/<runId>/model or the run's artifact URI.",
      });
    }
    const fields = {
      runId: optionalText(runId, 'runId'),
      tags: validateRegistryTags(tags),
      description: optionalText(description, 'description'),
      runLink: optionalText(runLink, 'runLink'),
    };
    const registrySource = isModelsUri(source) ? parseModelUri(source, 'source') : undefined;
    return this.#run('readwrite', `creating a version of registered model "${name}"`, async (transaction) => {
      const lineage = registrySource ? await resolveRegistrySource(transaction, registrySource, source, runId) : undefined;
      const model = await readModel(transaction, name);
      const now = Date.now();
      const version: StoredModelVersion = {
        name,
        version: model.nextVersion,
        creationTimestamp: now,
        lastUpdatedTimestamp: now,
        userId: '',
        currentStage: 'None',
        source,
        status: 'READY',
        statusMessage: '',
        ...fields,
        ...lineage,
      };
      await transaction.objectStore('modelVersions').put(version);
      await transaction.objectStore('registeredModels').put({ ...model, nextVersion: model.nextVersion + 1, lastUpdatedTimestamp: now });
      return toModelVersion(version, []);
    });
  }

  async getModelVersion(name: string, version: VersionNumber): Promise<ModelVersion> {
    validateModelName(name);
    const number = parseVersion(version);
    return this.#run('readonly', `reading version ${number} of "${name}"`, async (transaction) => toModelVersion(await readVersion(transaction, name, number), await readAliasesOf(transaction, name)));
  }

  async updateModelVersion(name: string, version: VersionNumber, description: string): Promise<ModelVersion> {
    validateModelName(name);
    const number = parseVersion(version);
    validateDescription(description);
    return this.#run('readwrite', `updating version ${number} of "${name}"`, async (transaction) => {
      const updated = { ...(await readVersion(transaction, name, number)), description, lastUpdatedTimestamp: Date.now() };
      await transaction.objectStore('modelVersions').put(updated);
      return toModelVersion(updated, await readAliasesOf(transaction, name));
    });
  }

  async deleteModelVersion(name: string, version: VersionNumber): Promise<void> {
    validateModelName(name);
    const number = parseVersion(version);
    await this.#run('readwrite', `deleting version ${number} of "${name}"`, async (transaction) => {
      await readVersion(transaction, name, number);
      const model = await readModel(transaction, name);
      await transaction.objectStore('modelVersions').delete([name, number]);
      for (const alias of await readAliasesOf(transaction, name)) {
        if (alias.version === number) await transaction.objectStore('modelAliases').delete([name, alias.alias]);
      }
      await transaction.objectStore('registeredModels').put({ ...model, lastUpdatedTimestamp: Date.now() });
    });
  }

  async transitionModelVersionStage(name: string, version: VersionNumber, stage: string, archiveExistingVersions = false): Promise<ModelVersion> {
    validateModelName(name);
    const number = parseVersion(version);
    const target = canonicalStage(stage);
    if (archiveExistingVersions && target !== 'Staging' && target !== 'Production') {
      throw new TrackingError('INVALID_PARAMETER_VALUE', `archiveExistingVersions only applies to Staging and Production, not "${target}"`, {
        field: 'archiveExistingVersions',
        hint: 'Pass archiveExistingVersions: false, or move the version to Staging or Production.',
      });
    }
    return this.#run('readwrite', `moving version ${number} of "${name}" to ${target}`, async (transaction) => {
      const current = await readVersion(transaction, name, number);
      const now = Date.now();
      const versions = transaction.objectStore('modelVersions');
      if (archiveExistingVersions) {
        for (const other of await readVersionsOf(transaction, name)) {
          if (other.version !== number && other.currentStage === target) await versions.put({ ...other, currentStage: 'Archived', lastUpdatedTimestamp: now });
        }
      }
      const moved: StoredModelVersion = { ...current, currentStage: target, lastUpdatedTimestamp: now };
      await versions.put(moved);
      const model = await readModel(transaction, name);
      await transaction.objectStore('registeredModels').put({ ...model, lastUpdatedTimestamp: now });
      return toModelVersion(moved, await readAliasesOf(transaction, name));
    });
  }

  async getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]> {
    validateModelName(name);
    const wanted = stages === undefined || stages === null || stages.length === 0 ? undefined : new Set(stages.map((stage, index) => canonicalStage(stage, `stages[${index}]`)));
    return this.#run('readonly', `reading the latest versions of "${name}"`, async (transaction) => {
      await readModel(transaction, name);
      const aliases = await readAliasesOf(transaction, name);
      return latestVersionsOf(await readVersionsOf(transaction, name))
        .filter((version) => wanted === undefined || wanted.has(version.currentStage))
        .map((version) => toModelVersion(version, aliases));
    });
  }

  async getModelVersionDownloadUri(name: string, version: VersionNumber): Promise<string> {
    validateModelName(name);
    const number = parseVersion(version);
    return this.#run('readonly', `reading where version ${number} of "${name}" is`, async (transaction) => {
      const record = await readVersion(transaction, name, number);
      return record.storageLocation ?? record.source;
    });
  }

  async searchModelVersions(input: SearchModelVersionsInput = {}): Promise<ModelVersionsPage> {
    const maxResults = input.maxResults ?? REGISTRY_LIMITS.modelVersionsDefault;
    validatePageSize(maxResults, REGISTRY_LIMITS.modelVersionsMax);
    const matches = compileModelVersionFilter<StoredModelVersion>(input.filter);
    const order = compileModelVersionOrderBy<StoredModelVersion>(input.orderBy);
    const fingerprint = JSON.stringify(['modelVersions', input.filter ?? '', input.orderBy ?? []]);
    const offset = decodePageToken(input.pageToken, fingerprint);
    return this.#run('readonly', 'searching model versions', async (transaction) => {
      const all = ((await transaction.objectStore('modelVersions').getAll()) as StoredModelVersion[]).filter(matches).sort(order);
      const aliases = (await transaction.objectStore('modelAliases').getAll()) as StoredAlias[];
      return {
        modelVersions: all.slice(offset, offset + maxResults).map((version) => toModelVersion(version, aliases)),
        nextPageToken: offset + maxResults < all.length ? encodePageToken(offset + maxResults, fingerprint) : null,
      };
    });
  }

  async setModelVersionTag(name: string, version: VersionNumber, tag: RegistryTag): Promise<void> {
    validateModelName(name);
    const number = parseVersion(version);
    validateRegistryTag(tag);
    await this.#run('readwrite', `tagging version ${number} of "${name}"`, async (transaction) => {
      const record = await readVersion(transaction, name, number);
      await transaction.objectStore('modelVersions').put({ ...record, tags: mergeTags(record.tags, [{ key: tag.key, value: tag.value }]) });
    });
  }

  async deleteModelVersionTag(name: string, version: VersionNumber, key: string): Promise<void> {
    validateModelName(name);
    const number = parseVersion(version);
    validateKey(key, 'key', 'tag key');
    await this.#run('readwrite', `deleting tag "${key}" of version ${number} of "${name}"`, async (transaction) => {
      const record = await readVersion(transaction, name, number);
      await transaction.objectStore('modelVersions').put({ ...record, tags: record.tags.filter((tag) => tag.key !== key) });
    });
  }

  copyModelVersion(srcModelUri: string, dstName: string): Promise<ModelVersion> {
    return copyModelVersion(this, srcModelUri, dstName);
  }

  async setRegisteredModelAlias(name: string, alias: string, version: VersionNumber): Promise<void> {
    validateModelName(name);
    validateAlias(alias);
    const number = parseVersion(version);
    await this.#run('readwrite', `pointing alias "${alias}" of "${name}" at version ${number}`, async (transaction) => {
      await readModel(transaction, name);
      await readVersion(transaction, name, number);
      await transaction.objectStore('modelAliases').put({ name, alias, version: number } satisfies StoredAlias);
    });
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    validateModelName(name);
    validateAlias(alias);
    await this.#run('readwrite', `deleting alias "${alias}" of "${name}"`, async (transaction) => {
      await readModel(transaction, name);
      await transaction.objectStore('modelAliases').delete([name, alias]);
    });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    validateModelName(name);
    validateAlias(alias);
    return this.#run('readonly', `reading alias "${alias}" of "${name}"`, async (transaction) => {
      await readModel(transaction, name);
      const record = (await transaction.objectStore('modelAliases').get([name, alias])) as StoredAlias | undefined;
      if (!record) {
        throw new TrackingError('INVALID_PARAMETER_VALUE', `registered model "${name}" has no alias "${alias}"`, {
          field: 'alias',
          hint: 'Set it with setRegisteredModelAlias; getRegisteredModel lists the aliases a model has.',
        });
      }
      return toModelVersion(await readVersion(transaction, name, record.version), await readAliasesOf(transaction, name));
    });
  }
}

/**
 * Opens the model registry of an `idb:` URI (`idb:` or absent → database `plugboard`, `idb://<database>`;
 * a path after the database is ignored). Rejects with INVALID_PARAMETER_VALUE for another scheme, and with
 * the storage error when the database cannot be opened.
 */
export async function openModelRegistryStore(uri?: string): Promise<ModelRegistryStore> {
  const { database } = parseIdbUri(uri === undefined || uri === '' ? 'idb:' : uri, 'uri');
  await openPlugboardDB(database);
  return new IdbModelRegistryStore(database);
}
