import { trimSlashes } from './trim-slashes.ts';

/**
 * Resolves a run's artifact URI against its tracking URI as MLflow's client does: `mlflow-artifacts:/path` (no
 * server named) under an http(s) tracking URI becomes that server's artifact proxy URL
 * (`http://host/api/2.0/mlflow-artifacts/artifacts/path`); every other URI is returned unchanged.
 */
export function resolveArtifactUri(artifactUri: string, trackingUri: string | undefined): string {
  const bare = /^mlflow-artifacts:(?:\/(?!\/)(.*))?$/i.exec(artifactUri);
  if (!bare || !trackingUri || !/^https?:\/\//i.test(trackingUri)) return artifactUri;
  return trimSlashes(`${trimSlashes(trackingUri)}/api/2.0/mlflow-artifacts/artifacts/${bare[1] ?? ''}`);
}
