// Artifacts: files under a run's artifact URI, as MLflow's ArtifactRepository, stored in IndexedDB.
//
// A repository is opened on a root URI, as MLflow's `ArtifactRepository(artifact_uri)`. For the built-in `idb`
// scheme the URI is `idb://<database>/<path>`: the authority picks the IndexedDB database (`plugboard` when
// the URI has none: `idb:/…`, `idb:…`) and the whole canonical URI is the root every record is stored under.
// Runs follow MLflow's layout `<experiment artifactLocation>/<runId>/artifacts`, which with the tracking
// store's default locations gives `idb://plugboard/<experimentId>/<runId>/artifacts`; any other path under
// `idb://<database>/` works the same way, so an experiment's `artifactLocation` may point anywhere.
export { openArtifactRepository, IdbArtifactRepository, DEFAULT_CHUNK_SIZE } from './idb-artifact-repository.ts';
export type { ArtifactRepositoryOptions } from './idb-artifact-repository.ts';
export type { ArtifactRepository, ArtifactBytes, FileInfo } from './types.ts';
export type { BytesMode } from './artifact-records.ts';
export { normalizeArtifactPath } from './artifact-path.ts';
export { parseIdbUri } from './parse-idb-uri.ts';
export type { IdbLocation } from './parse-idb-uri.ts';
