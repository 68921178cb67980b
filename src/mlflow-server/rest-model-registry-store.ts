import {
  REGISTRY_LIMITS,
  copyModelVersion,
  type ModelRegistryStore,
  type ModelVersion,
  type ModelVersionsPage,
  type RegisteredModel,
  type RegisteredModelsPage,
  type RegistryTag,
  type SearchModelVersionsInput,
  type SearchRegisteredModelsInput,
  type VersionNumber,
} from '../model-registry/index.ts';
import { describeValue } from '../errors/index.ts';
import { TrackingError } from '../store-kit/index.ts';
import { RestClient, type RequestHeaders, type RestClientOptions } from './rest-client.ts';
import { fromWireModelVersion, fromWireRegisteredModel, type WireModelVersion, type WireRegisteredModel } from './registry-wire.ts';

const MODELS = 'api/2.0/mlflow/registered-models';
const VERSIONS = 'api/2.0/mlflow/model-versions';

/** A version as the REST API carries it: a string (`3`, `"3"` → `"3"`; anything else as written, for the server to judge). */
const wireVersion = (version: VersionNumber): string => String(version).trim();

/**
 * Checks the tags of a request for what JSON cannot carry to the server: a null or missing value reaches it as
 * an empty string, so one is refused here (INVALID_PARAMETER_VALUE naming the tag) before anything is sent.
 */
function checkTags(tags: readonly RegistryTag[] | undefined, field: string): void {
  (tags ?? []).forEach((tag, index) => checkTag(tag, `${field}[${index}]`));
}

function checkTag(tag: RegistryTag, field: string): void {
  if (typeof tag !== 'object' || tag === null || typeof tag.key !== 'string') {
    throw new TrackingError('INVALID_PARAMETER_VALUE', `a tag must be { key, value } with a string key, received ${describeValue(tag)}`, { field });
  }
  if (typeof tag.value !== 'string') {
    throw new TrackingError('INVALID_PARAMETER_VALUE', `tag "${tag.key}" value must be a string, received ${describeValue(tag.value)}`, {
      field: `${field}.value`,
      hint: 'Pass the value as a string (String(value)), as MLflow\'s client does.',
    });
  }
}

/** Sends only the fields that are set, as MLflow's client leaves unset protobuf fields out. */
function defined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== null));
}

/**
 * MLflow's model registry over a tracking server's REST API (`/api/2.0/mlflow/registered-models/…`,
 * `/model-versions/…`), the same contract as the IndexedDB registry. The server holds every rule but one this
 * store checks first — a tag value that is not a string, which JSON would carry as '' or not at all; its error
 * JSON becomes a TrackingError with MLflow's code, and an unreachable server, a CORS refusal or an answer that
 * is not JSON fail as the tracking store's do (same client). `copyModelVersion` is client-side, as in MLflow.
 */
export class RestModelRegistryStore implements ModelRegistryStore {
  /** The client of the server. */
  readonly client: RestClient;

  constructor(baseUrl: string, options: RestClientOptions = {}) {
    this.client = new RestClient(baseUrl, options);
  }

  /** Sets the headers every request carries (credentials from request header providers). */
  useRequestHeaders(headers: RequestHeaders): void {
    this.client.useRequestHeaders(headers);
  }

  async createRegisteredModel(name: string, options: { tags?: RegistryTag[]; description?: string } = {}): Promise<RegisteredModel> {
    checkTags(options.tags, 'tags');
    const answer = await this.client.send<{ registered_model: WireRegisteredModel }>(`${MODELS}/create`, defined({
      name,
      tags: options.tags?.length ? options.tags : undefined,
      description: options.description,
    }));
    return fromWireRegisteredModel(answer.registered_model ?? {});
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    const answer = await this.client.get<{ registered_model: WireRegisteredModel }>(`${MODELS}/get`, { name });
    return fromWireRegisteredModel(answer.registered_model ?? {});
  }

  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    const answer = await this.client.send<{ registered_model: WireRegisteredModel }>(`${MODELS}/rename`, { name, new_name: newName });
    return fromWireRegisteredModel(answer.registered_model ?? {});
  }

  async updateRegisteredModel(name: string, description: string): Promise<RegisteredModel> {
    const answer = await this.client.send<{ registered_model: WireRegisteredModel }>(`${MODELS}/update`, { name, description }, 'PATCH');
    return fromWireRegisteredModel(answer.registered_model ?? {});
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    await this.client.send(`${MODELS}/delete`, { name }, 'DELETE');
  }

  async searchRegisteredModels(input: SearchRegisteredModelsInput = {}): Promise<RegisteredModelsPage> {
    const answer = await this.client.get<{ registered_models?: WireRegisteredModel[]; next_page_token?: string }>(`${MODELS}/search`, {
      // MLflow's client sends its default page size (100) rather than leave it to the server.
      max_results: input.maxResults ?? REGISTRY_LIMITS.registeredModelsDefault,
      filter: input.filter || undefined,
      order_by: input.orderBy?.length ? input.orderBy : undefined,
      page_token: input.pageToken || undefined,
    });
    return { registeredModels: (answer.registered_models ?? []).map(fromWireRegisteredModel), nextPageToken: answer.next_page_token || null };
  }

  async setRegisteredModelTag(name: string, tag: RegistryTag): Promise<void> {
    checkTag(tag, 'tag');
    await this.client.send(`${MODELS}/set-tag`, { name, key: tag.key, value: tag.value });
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    await this.client.send(`${MODELS}/delete-tag`, { name, key }, 'DELETE');
  }

  async createModelVersion(name: string, source: string, runId?: string, tags?: RegistryTag[], description?: string, runLink?: string): Promise<ModelVersion> {
    checkTags(tags, 'tags');
    const answer = await this.client.send<{ model_version: WireModelVersion }>(`${VERSIONS}/create`, defined({
      name,
      source,
      run_id: runId,
      tags: tags?.length ? tags : undefined,
      description,
      run_link: runLink,
    }));
    return fromWireModelVersion(answer.model_version ?? {});
  }

  async getModelVersion(name: string, version: VersionNumber): Promise<ModelVersion> {
    const answer = await this.client.get<{ model_version: WireModelVersion }>(`${VERSIONS}/get`, { name, version: wireVersion(version) });
    return fromWireModelVersion(answer.model_version ?? {});
  }

  async updateModelVersion(name: string, version: VersionNumber, description: string): Promise<ModelVersion> {
    const answer = await this.client.send<{ model_version: WireModelVersion }>(`${VERSIONS}/update`, { name, version: wireVersion(version), description }, 'PATCH');
    return fromWireModelVersion(answer.model_version ?? {});
  }

  async deleteModelVersion(name: string, version: VersionNumber): Promise<void> {
    await this.client.send(`${VERSIONS}/delete`, { name, version: wireVersion(version) }, 'DELETE');
  }

  async transitionModelVersionStage(name: string, version: VersionNumber, stage: string, archiveExistingVersions = false): Promise<ModelVersion> {
    const answer = await this.client.send<{ model_version: WireModelVersion }>(`${VERSIONS}/transition-stage`, {
      name,
      version: wireVersion(version),
      stage,
      archive_existing_versions: archiveExistingVersions,
    });
    return fromWireModelVersion(answer.model_version ?? {});
  }

  async getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]> {
    const answer = await this.client.send<{ model_versions?: WireModelVersion[] }>(`${MODELS}/get-latest-versions`, defined({ name, stages: stages?.length ? stages : undefined }));
    return (answer.model_versions ?? []).map(fromWireModelVersion).sort((a, b) => Number(a.version) - Number(b.version));
  }

  async getModelVersionDownloadUri(name: string, version: VersionNumber): Promise<string> {
    const answer = await this.client.get<{ artifact_uri?: string }>(`${VERSIONS}/get-download-uri`, { name, version: wireVersion(version) });
    return answer.artifact_uri ?? '';
  }

  async searchModelVersions(input: SearchModelVersionsInput = {}): Promise<ModelVersionsPage> {
    const answer = await this.client.get<{ model_versions?: WireModelVersion[]; next_page_token?: string }>(`${VERSIONS}/search`, {
      max_results: input.maxResults ?? REGISTRY_LIMITS.modelVersionsDefault,
      filter: input.filter || undefined,
      order_by: input.orderBy?.length ? input.orderBy : undefined,
      page_token: input.pageToken || undefined,
    });
    return { modelVersions: (answer.model_versions ?? []).map(fromWireModelVersion), nextPageToken: answer.next_page_token || null };
  }

  async setModelVersionTag(name: string, version: VersionNumber, tag: RegistryTag): Promise<void> {
    checkTag(tag, 'tag');
    await this.client.send(`${VERSIONS}/set-tag`, { name, version: wireVersion(version), key: tag.key, value: tag.value });
  }

  async deleteModelVersionTag(name: string, version: VersionNumber, key: string): Promise<void> {
    await this.client.send(`${VERSIONS}/delete-tag`, { name, version: wireVersion(version), key }, 'DELETE');
  }

  copyModelVersion(srcModelUri: string, dstName: string): Promise<ModelVersion> {
    return copyModelVersion(this, srcModelUri, dstName);
  }

  async setRegisteredModelAlias(name: string, alias: string, version: VersionNumber): Promise<void> {
    await this.client.send(`${MODELS}/alias`, { name, alias, version: wireVersion(version) });
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    await this.client.send(`${MODELS}/alias`, { name, alias }, 'DELETE');
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const answer = await this.client.get<{ model_version: WireModelVersion }>(`${MODELS}/alias`, { name, alias });
    return fromWireModelVersion(answer.model_version ?? {});
  }
}
