// The built-in IndexedDB stores, one export per store group, all under the URI scheme `idb`.
import { defineArtifactRepository, defineModelRegistryStore, defineTrackingStore } from 'plugboard/sdk';
import { openArtifactRepository, type ArtifactRepository } from '../../artifacts/index.ts';
import { openModelRegistryStore, type ModelRegistryStore } from '../../model-registry/index.ts';
import { IdbTrackingStore, idbDatabaseOf, type TrackingStore } from '../../tracking/index.ts';

/** `mlflow.tracking_store` under `idb`: `idb:` opens database `plugboard`, `idb://name` database `name`. */
export const idbTrackingStore = defineTrackingStore<TrackingStore>((uri) => new IdbTrackingStore(idbDatabaseOf(uri)));

/** `mlflow.artifact_repository` under `idb`: opened on a run's artifact URI, `idb://<database>/<path>`. */
export const idbArtifactRepository = defineArtifactRepository<ArtifactRepository>((uri) => openArtifactRepository(uri));

/** `mlflow.model_registry_store` under `idb`: `idb:` opens database `plugboard`, `idb://name` database `name`. */
export const idbModelRegistryStore = defineModelRegistryStore<ModelRegistryStore>((uri) => openModelRegistryStore(uri));
