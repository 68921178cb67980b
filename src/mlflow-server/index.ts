// The MLflow tracking server as Plugboard's stores: a REST client, and the tracking store, artifact repository and
// model registry over its REST API.
export { RestClient, codeOfStatus } from './rest-client.ts';
export type { RequestHeaders, RestClientOptions } from './rest-client.ts';
export { RestTrackingStore } from './rest-tracking-store.ts';
export { RestModelRegistryStore } from './rest-model-registry-store.ts';
export type { Dataset, DatasetInput, MetricHistoryPage } from './rest-tracking-store.ts';
export { toWireDouble, fromWireDouble } from './wire.ts';
export { RestArtifactRepository, parseArtifactUri, ARTIFACTS_ENDPOINT } from './rest-artifact-repository.ts';
export type { ArtifactLocation } from './rest-artifact-repository.ts';
export { resolveArtifactUri } from './resolve-artifact-uri.ts';
