// Entities and the store contract of the model registry, in MLflow's REST JSON shapes (camelCase). Strings
// MLflow leaves unset (a description, a run id) are '' here, as protobuf's defaults read.

/** A registered-model or model-version tag. */
export interface RegistryTag {
  key: string;
  value: string;
}

/** A model version's stage; deprecated in MLflow since 2.9 in favour of aliases, kept for compatibility. */
export type ModelVersionStage = 'None' | 'Staging' | 'Production' | 'Archived';

/** The stages in MLflow's order. */
export const MODEL_VERSION_STAGES: readonly ModelVersionStage[] = ['None', 'Staging', 'Production', 'Archived'];

/** A model version's registration status; versions in this registry are READY as soon as they exist. */
export type ModelVersionStatus = 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';

/** One version of a registered model. `version` is a string of digits, as MLflow's REST sends it. */
export interface ModelVersion {
  name: string;
  version: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  userId: string;
  currentStage: ModelVersionStage;
  description: string;
  source: string;
  runId: string;
  runLink: string;
  status: ModelVersionStatus;
  statusMessage: string;
  tags: RegistryTag[];
  /** The aliases pointing at this version, sorted. */
  aliases: string[];
}

/** An alias of a registered model and the version it points at. */
export interface RegisteredModelAlias {
  alias: string;
  version: string;
}

/** A registered model. `latestVersions` holds the newest version of each stage in use, without their aliases (as MLflow gives them). */
export interface RegisteredModel {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description: string;
  latestVersions: ModelVersion[];
  tags: RegistryTag[];
  /** Sorted by alias. */
  aliases: RegisteredModelAlias[];
}

/** Arguments of `searchRegisteredModels`. */
export interface SearchRegisteredModelsInput {
  /** `name LIKE 'cls-%' AND tags.team = 'nlp'`; keys `name` and `tags.<key>`. */
  filter?: string;
  /** Default 100, at most 1000. */
  maxResults?: number;
  /** Keys `name`, `creation_timestamp`, `last_updated_timestamp` (alias `timestamp`); ties by name ASC. */
  orderBy?: string[];
  pageToken?: string | null;
}

/** One page of registered models; `nextPageToken` is null on the last page. */
export interface RegisteredModelsPage {
  registeredModels: RegisteredModel[];
  nextPageToken: string | null;
}

/** Arguments of `searchModelVersions`. */
export interface SearchModelVersionsInput {
  /** Keys `name`, `run_id` (also IN), `source_path`, `version_number` and `tags.<key>`. */
  filter?: string;
  /** Default 10000, at most 200000. */
  maxResults?: number;
  /** Keys `name`, `version_number`, `creation_timestamp`, `last_updated_timestamp`; default `last_updated_timestamp DESC`. */
  orderBy?: string[];
  pageToken?: string | null;
}

/** One page of model versions; `nextPageToken` is null on the last page. */
export interface ModelVersionsPage {
  modelVersions: ModelVersion[];
  nextPageToken: string | null;
}

/** A version number as callers may give it: `3` or `"3"`. */
export type VersionNumber = number | string;

/**
 * MLflow's model-registry AbstractStore, camelCase and promise-based. Every failure rejects with an error
 * whose `code` is MLflow's: RESOURCE_DOES_NOT_EXIST, RESOURCE_ALREADY_EXISTS, INVALID_PARAMETER_VALUE.
 */
export interface ModelRegistryStore {
  /** Creates a registered model; a taken name is RESOURCE_ALREADY_EXISTS, an empty one INVALID_PARAMETER_VALUE. */
  createRegisteredModel(name: string, options?: { tags?: RegistryTag[]; description?: string }): Promise<RegisteredModel>;
  /** Resolves with the registered model; an unknown name is RESOURCE_DOES_NOT_EXIST. */
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  /** Renames a registered model; its versions, tags and aliases follow. A taken new name is RESOURCE_ALREADY_EXISTS. */
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel>;
  /** Replaces the description and bumps lastUpdatedTimestamp. */
  updateRegisteredModel(name: string, description: string): Promise<RegisteredModel>;
  /** Deletes a registered model with its versions, tags and aliases; an unknown name is RESOURCE_DOES_NOT_EXIST. */
  deleteRegisteredModel(name: string): Promise<void>;
  /** Searches registered models with a filter, an order and page tokens. */
  searchRegisteredModels(input?: SearchRegisteredModelsInput): Promise<RegisteredModelsPage>;
  /** Sets (or overwrites) a tag: key at most 250, value at most 100,000 characters. */
  setRegisteredModelTag(name: string, tag: RegistryTag): Promise<void>;
  /** Deletes a tag; a missing tag is a no-op, an unknown model RESOURCE_DOES_NOT_EXIST. */
  deleteRegisteredModelTag(name: string, key: string): Promise<void>;

  /** Creates the next version (1, 2, …; numbers are never reused) of an existing model, READY in stage None. */
  createModelVersion(name: string, source: string, runId?: string, tags?: RegistryTag[], description?: string, runLink?: string): Promise<ModelVersion>;
  /** Resolves with a version; an unknown or deleted one is RESOURCE_DOES_NOT_EXIST. */
  getModelVersion(name: string, version: VersionNumber): Promise<ModelVersion>;
  /** Replaces a version's description and bumps its lastUpdatedTimestamp. */
  updateModelVersion(name: string, version: VersionNumber, description: string): Promise<ModelVersion>;
  /** Deletes a version and the aliases pointing at it; its number is not given out again. */
  deleteModelVersion(name: string, version: VersionNumber): Promise<void>;
  /** Moves a version to a stage (any case), optionally archiving the versions now in Staging/Production. */
  transitionModelVersionStage(name: string, version: VersionNumber, stage: string, archiveExistingVersions?: boolean): Promise<ModelVersion>;
  /** The newest version of each stage (of the given stages, any case), sorted by version. */
  getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]>;
  /** Where a version's files are: its source URI. */
  getModelVersionDownloadUri(name: string, version: VersionNumber): Promise<string>;
  /** Searches model versions with a filter, an order and page tokens. */
  searchModelVersions(input?: SearchModelVersionsInput): Promise<ModelVersionsPage>;
  /** Sets (or overwrites) a version tag. */
  setModelVersionTag(name: string, version: VersionNumber, tag: RegistryTag): Promise<void>;
  /** Deletes a version tag; a missing tag is a no-op. */
  deleteModelVersionTag(name: string, version: VersionNumber, key: string): Promise<void>;
  /**
   * Copies the version a `models:/` URI names (`models:/clf/3`, `models:/clf@champion`, `models:/clf/Production`)
   * into `dstName` (created when missing) as its next version, with source `models:/<name>/<version>` and the
   * original's run id, run link, tags and description, as MLflow's `MlflowClient.copy_model_version`.
   */
  copyModelVersion(srcModelUri: string, dstName: string): Promise<ModelVersion>;

  /** Points an alias (`champion`) at a version, moving it if it pointed elsewhere. */
  setRegisteredModelAlias(name: string, alias: string, version: VersionNumber): Promise<void>;
  /** Deletes an alias; a missing alias is a no-op, an unknown model RESOURCE_DOES_NOT_EXIST. */
  deleteRegisteredModelAlias(name: string, alias: string): Promise<void>;
  /** Resolves with the version an alias points at; an unknown alias is INVALID_PARAMETER_VALUE, as in MLflow. */
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
}
