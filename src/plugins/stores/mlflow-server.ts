// The stores of an MLflow tracking server: the tracking store and the model registry under the URI schemes
// `http` and `https` (the server's base URL), the artifact repository under `mlflow-artifacts`, `http` and `https`.
import { defineArtifactRepository, defineModelRegistryStore, defineTrackingStore } from 'plugboard/sdk';
import type { ArtifactRepository } from '../../artifacts/index.ts';
import { RestArtifactRepository, RestModelRegistryStore, RestTrackingStore } from '../../mlflow-server/index.ts';
import type { ModelRegistryStore } from '../../model-registry/index.ts';
import type { TrackingStore } from '../../tracking/index.ts';

/** `mlflow.tracking_store` under `http`/`https`: the tracking URI is the server's base URL (`http://127.0.0.1:5000`). */
export const mlflowTrackingStore = defineTrackingStore<TrackingStore>((uri) => new RestTrackingStore(uri));

/**
 * `mlflow.artifact_repository` under `mlflow-artifacts`, `http` and `https`: the server's artifact proxy, opened on
 * `mlflow-artifacts://host:port/path` or `http(s)://host/api/2.0/mlflow-artifacts/artifacts/path`.
 */
export const mlflowArtifactRepository = defineArtifactRepository<ArtifactRepository>((uri) => new RestArtifactRepository(uri));

/** `mlflow.model_registry_store` under `http`/`https`: the registry URI is the server's base URL, as the tracking URI. */
export const mlflowModelRegistryStore = defineModelRegistryStore<ModelRegistryStore>((uri) => new RestModelRegistryStore(uri));
