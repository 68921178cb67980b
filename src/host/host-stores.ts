import type { ArtifactRepository } from '../artifacts/types.ts';
import type { RequestHeaderProvider, RunContextProvider } from '../adapters/index.ts';
import { resolveArtifactUri } from '../mlflow-server/index.ts';
import { PlugboardError } from '../errors/index.ts';
import type { EntryPoint } from '../manifest/index.ts';
import type { ModelRegistryStore } from '../model-registry/types.ts';
import type { Registry } from '../registry/index.ts';
import type { NamedContextProvider } from '../tracking/context-tags.ts';
import { createFluentTracking, type FluentTracking } from '../tracking/fluent.ts';
import { copyRun, type RunCopy, type RunCopyProgress } from '../tracking/copy-run.ts';
import { DEFAULT_STORE_URI, schemeOf } from '../tracking/store-uri.ts';
import type { TrackingStore } from '../tracking/types.ts';

/** What the stores need of the host: its entry points, registries and loads. */
export interface StoreHost {
  discover(group: string): EntryPoint[];
  load(group: string, name: string): Promise<unknown>;
  registry<T>(group: string): Registry<T>;
  /** Whether an entry point comes from the built-in manifest. */
  isBuiltin(entry: EntryPoint): boolean;
  warn(warning: PlugboardError): void;
}

export const TRACKING_STORE_GROUP = 'mlflow.tracking_store';
export const ARTIFACT_REPOSITORY_GROUP = 'mlflow.artifact_repository';
export const MODEL_REGISTRY_GROUP = 'mlflow.model_registry_store';
export const RUN_CONTEXT_GROUP = 'mlflow.run_context_provider';
export const REQUEST_HEADER_GROUP = 'mlflow.request_header_provider';

/**
 * Stores by URI scheme, as MLflow picks them: the scheme names an entry point of the store's group (the
 * built-in `idb` one included), which is loaded on first use; one store per URI is kept.
 */
export class HostStores {
  #host: StoreHost;
  #stores = new Map<string, Promise<unknown>>();

  constructor(host: StoreHost) {
    this.#host = host;
  }

  /** The tracking store of a URI (default `idb:`, the database `plugboard`). */
  trackingStore(uri?: string): Promise<TrackingStore> {
    return this.#open<TrackingStore>(TRACKING_STORE_GROUP, uri || DEFAULT_STORE_URI);
  }

  /** The artifact repository rooted at an artifact URI (a run's `artifactUri`). */
  artifactRepository(uri: string): Promise<ArtifactRepository> {
    return this.#open<ArtifactRepository>(ARTIFACT_REPOSITORY_GROUP, uri);
  }

  /** The model registry of a URI (default `idb:`). */
  modelRegistry(uri?: string): Promise<ModelRegistryStore> {
    return this.#open<ModelRegistryStore>(MODEL_REGISTRY_GROUP, uri || DEFAULT_STORE_URI);
  }

  /** MLflow's fluent API over the tracking store of `uri`, with every run context provider's tags merged at startRun. */
  tracking(options: { uri?: string; defaultExperimentId?: string } = {}): FluentTracking {
    return createFluentTracking({
      store: () => this.trackingStore(options.uri),
      contextProviders: () => this.contextProviders(),
      // A server's `mlflow-artifacts:/…` URIs name no server: they resolve against the tracking URI, as in MLflow.
      artifactRepository: (artifactUri) => this.artifactRepository(resolveArtifactUri(artifactUri, options.uri)),
      onWarning: (warning) => this.#host.warn(warning),
      ...(options.defaultExperimentId !== undefined ? { defaultExperimentId: options.defaultExperimentId } : {}),
    });
  }

  /**
   * Every run context provider that loads, built-ins first, then the manifests' in name order. A provider
   * that fails to load is reported in the host's report and left out.
   */
  async contextProviders(): Promise<NamedContextProvider[]> {
    const entries = this.#host.discover(RUN_CONTEXT_GROUP);
    const ordered = [...entries.filter((e) => this.#host.isBuiltin(e)), ...entries.filter((e) => !this.#host.isBuiltin(e))];
    const loaded = await Promise.allSettled(ordered.map((entry) => this.#host.load(RUN_CONTEXT_GROUP, entry.name)));
    return ordered.flatMap((entry, index) => {
      const outcome = loaded[index]!;
      return outcome.status === 'fulfilled' ? [[entry.name, outcome.value as RunContextProvider] as const] : [];
    });
  }

  /**
   * Copies a run from the tracking store of `from` to that of `to` (params, tags, every metric's history,
   * dataset inputs, artifacts), into `experimentId`, or by default into the experiment of the same name there
   * (created when missing). `onProgress` hears each stage as it starts. Resolves with the copy.
   */
  async copyRun(options: { runId: string; from?: string; to?: string; experimentId?: string; onProgress?: (progress: RunCopyProgress) => void }): Promise<RunCopy> {
    const [source, target] = await Promise.all([this.trackingStore(options.from), this.trackingStore(options.to)]);
    let experimentId = options.experimentId;
    if (experimentId === undefined) {
      const { name } = await source.getExperiment((await source.getRun(options.runId)).info.experimentId);
      experimentId = (await target.getExperimentByName(name))?.experimentId ?? (await target.createExperiment(name));
    }
    const side = (uri: string | undefined) => (artifactUri: string) => this.artifactRepository(resolveArtifactUri(artifactUri, uri));
    return copyRun({ store: source, artifacts: side(options.from) }, options.runId, { store: target, artifacts: side(options.to), experimentId }, options.onProgress ? { onProgress: options.onProgress } : {});
  }

  /**
   * The headers of every request header provider in context, merged in name order (a later provider wins a
   * header both set); none by default. A provider that fails to load is reported and left out.
   */
  async requestHeaders(): Promise<Record<string, string>> {
    const entries = [...this.#host.discover(REQUEST_HEADER_GROUP)].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const headers: Record<string, string> = {};
    for (const entry of entries) {
      const provider = (await this.#host.load(REQUEST_HEADER_GROUP, entry.name).catch(() => undefined)) as RequestHeaderProvider | undefined;
      if (provider && (await provider.inContext())) Object.assign(headers, await provider.requestHeaders());
    }
    return headers;
  }

  #open<S>(group: string, uri: string): Promise<S> {
    const key = `${group}\u0000${uri}`;
    let pending = this.#stores.get(key);
    if (!pending) {
      pending = (async () => {
        const scheme = schemeOf(uri, group);
        const declared = this.#host.discover(group).map((entry) => entry.name);
        const registry = this.#host.registry(group);
        if (declared.includes(scheme)) await this.#host.load(group, scheme);
        else if (!registry.has(scheme)) {
          const known = [...new Set([...declared, ...registry.names()])].sort();
          throw new PlugboardError({
            code: 'UNKNOWN_STORE_SCHEME',
            group,
            plugin: scheme,
            field: 'uri',
            problem: `no store is registered for scheme "${scheme}:" (URI "${uri}")`,
            hint: known.length
              ? `Known schemes: ${known.map((name) => `${name}:`).join(', ')}. Add a plugin for "${scheme}" to the ${group} group of a manifest.`
              : `No store is declared in ${group}; the idb: stores are built-in plugins, left out by createHost({ builtins: false }).`,
          });
        }
        // The scheme's factory is registered now (the idb: stores too: they are built-in plugins).
        const store = (await registry.resolveAndInstantiate(scheme, uri as never)) as S;
        // Stores that talk to a server take the app's credentials from the request header providers.
        const remote = store as { useRequestHeaders?: (headers: () => Promise<Record<string, string>>) => void };
        if (typeof remote.useRequestHeaders === 'function') remote.useRequestHeaders(() => this.requestHeaders());
        return store;
      })();
      this.#stores.set(key, pending);
      pending.catch(() => this.#stores.delete(key));
    }
    return pending as Promise<S>;
  }
}
