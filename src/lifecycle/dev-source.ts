import { PlugboardError, type ErrorFields } from '../errors/index.ts';
import { originOf } from '../loader/index.ts';
import { readManifest, type EntryPoint } from '../manifest/index.ts';
import type { ManagedHost, PluginsChangedDetail } from './plugin-manager.ts';

/** A `plugboard dev` server the host follows, as the plugin manager lists it. */
export interface DevSourceStatus {
  /** The manifest URL that was connected (`http://127.0.0.1:5183/plugins-manifest.json`). */
  url: string;
  origin: string;
  /** `connecting` until the first manifest is in force; `connected`; `lost` while the server cannot be reached (it is retried). */
  state: 'connecting' | 'connected' | 'lost';
  /** The generation of the dev server's files now in force (0 before the first). */
  generation: number;
  /** The development plugins it puts in force. */
  plugins: Array<{ group: string; name: string; url: string }>;
  /** What is wrong now: the folder's manifest problems as the dev server reports them, or why it cannot be reached. */
  problems: ErrorFields[];
  /** When its plugins were last put in force (ISO 8601). */
  reloadedAt?: string;
}

/** What a dev server's `ready` and `change` events carry (see `plugboard dev`). */
interface DevEvent {
  generation: number;
  manifest: string;
  files: string[];
  problems: ErrorFields[];
}

/** What a DevSource needs from the plugin manager. */
export interface DevSourceHost {
  readonly host: ManagedHost;
  /** The entry point in force under a name when no dev source gives one: an installed plugin, else the manifests'. */
  underlying(group: string, name: string): EntryPoint | undefined;
  changed(action: PluginsChangedDetail['action'], plugins: ReadonlyArray<{ group: string; name: string }>): void;
}

// Taken now, as the loader takes its platform functions: a plugin that replaces fetch later cannot feed the dev stream.
const fetchEvents = typeof fetch === 'function' ? fetch.bind(globalThis) : undefined;

/** The URL of the change stream of the dev server that serves `manifestUrl`. */
export function eventsUrlOf(manifestUrl: string): string {
  return new URL('/@dev/events', manifestUrl).href;
}

/**
 * Follows one `plugboard dev` server: on its `ready` event and after each `change` it reads that generation's
 * manifest and puts every entry point in force as a development plugin (no pin: its bytes change by design), at
 * URLs under `/@dev/<generation>/`, so the next load imports the new module and the modules it imports. The registry
 * entries are replaced, each plugin is loaded again at once (a failure is recorded like any load's), and a name the
 * manifest no longer declares gets back what it had before. A lost stream is retried until `stop()`.
 */
export class DevSource {
  readonly url: string;
  readonly origin: string;
  #owner: DevSourceHost;
  #state: DevSourceStatus['state'] = 'connecting';
  #generation = 0;
  #entries = new Map<string, EntryPoint>();
  #problems: ErrorFields[] = [];
  #reloadedAt: string | undefined;
  #stop = new AbortController();
  /** Changes are applied one at a time, in the order the server sent them. */
  #queue: Promise<unknown> = Promise.resolve();

  /** Made by `host.plugins.develop`; nothing happens until `start()`. */
  constructor(url: string, owner: DevSourceHost) {
    this.url = url;
    this.origin = originOf(url);
    this.#owner = owner;
  }

  /** The source as the plugin manager lists it. */
  status(): DevSourceStatus {
    return {
      url: this.url,
      origin: this.origin,
      state: this.#state,
      generation: this.#generation,
      plugins: [...this.#entries.values()].map(({ group, name, url }) => ({ group, name, url })),
      problems: this.#problems.map((problem) => ({ ...problem })),
      ...(this.#reloadedAt ? { reloadedAt: this.#reloadedAt } : {}),
    };
  }

  /** Whether this source has a development plugin in force under the group and name. */
  develops(group: string, name: string): boolean {
    return this.#entries.has(keyOf({ group, name }));
  }

  /** Whether `entry` is one of the development plugins this source has in force now. */
  owns(entry: EntryPoint): boolean {
    return this.#entries.get(keyOf(entry)) === entry;
  }

  /**
   * Connects to the change stream and resolves once the first generation's plugins are in force (their loads
   * done, failed or not). Rejects with DEV_SERVER_UNREACHABLE, or the manifest's first problem, when the first
   * connection fails; the source is then stopped. With `keepTrying` (a source followed before a reload) it
   * resolves then instead, its state `lost` or its manifest's problems shown, and keeps waiting for the server.
   */
  start(options: { keepTrying?: boolean } = {}): Promise<void> {
    this.#keepTrying = options.keepTrying === true;
    return new Promise<void>((resolve, reject) => {
      void this.#follow(resolve, (thrown) => {
        this.#stop.abort();
        reject(thrown);
      });
    });
  }

  #keepTrying = false;

  /** Stops following the server and gives every name back what it had before; resolves once that is done. */
  stop(): Promise<void> {
    this.#stop.abort();
    return this.#serial(async () => {
      const removed = [...this.#entries.values()];
      for (const entry of removed) {
        this.#owner.host.setEntry(entry.group, entry.name, this.#owner.underlying(entry.group, entry.name));
        this.#owner.host.loader.forget(entry.url);
      }
      this.#entries.clear();
      this.#owner.changed('stop-developing', removed);
    });
  }

  async #follow(started: () => void, failed: (thrown: unknown) => void): Promise<void> {
    let first = true;
    let delay = 250;
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      try {
        for await (const event of this.#events(signal)) {
          this.#state = 'connected';
          delay = 250;
          await this.#serial(() => this.#apply(event, first));
          if (first) {
            first = false;
            started();
          }
        }
        if (signal.aborted) return;
        throw new PlugboardError({ code: 'DEV_SERVER_LOST', url: this.url, problem: `the dev server at ${this.origin} closed the change stream`, hint: 'Start plugboard dev again; the page reconnects by itself.' });
      } catch (thrown) {
        if (signal.aborted) return;
        if (first && !this.#keepTrying) return failed(thrown);
        if (first) started();
        this.#state = 'lost';
        this.#problems = [fieldsOf(thrown)];
        this.#owner.changed('reload', []);
      }
      // Retried until stopped, waiting longer each time up to 5 s, as EventSource does after a lost stream.
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }

  /** Reads the Server-Sent Events stream, yielding each `ready` and `change` event's data. */
  async *#events(signal: AbortSignal): AsyncGenerator<DevEvent> {
    const url = eventsUrlOf(this.url);
    if (!fetchEvents) throw new PlugboardError({ code: 'DEV_SERVER_UNREACHABLE', url, problem: 'this runtime has no fetch to follow a dev server with' });
    let response: Response;
    try {
      response = await fetchEvents(url, { signal, cache: 'no-store', headers: { accept: 'text/event-stream' } });
    } catch (cause) {
      if (signal.aborted) return;
      throw new PlugboardError({
        code: 'DEV_SERVER_UNREACHABLE',
        url,
        problem: `the dev server's change stream ${url} could not be reached: ${cause instanceof Error ? cause.message : String(cause)}`,
        hint: `Start it with "npx plugboard dev <folder>" and give the manifest URL it prints; a page's Content-Security-Policy must allow ${this.origin} in connect-src and script-src.`,
        cause,
      });
    }
    if (!response.ok || !response.body || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      throw new PlugboardError({
        code: 'DEV_SERVER_UNREACHABLE',
        url,
        problem: `${url} answered ${response.status} ${response.statusText || ''}${response.ok ? ' without an event stream' : ''}: this is not a plugboard dev server`.replace(/\s+:/, ':'),
        hint: 'Give the manifest URL "npx plugboard dev <folder>" prints.',
      });
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value.replace(/\r\n?/g, '\n');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let name = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) name = line.slice(6).trim();
            else if (line.startsWith('data:')) data += line.slice(5).trimStart();
          }
          if ((name === 'ready' || name === 'change') && data) yield JSON.parse(data) as DevEvent;
        }
      }
    } finally {
      reader.releaseLock();
    }
  }

  /** Puts a generation's plugins in force (skipping one already in force, as after a reconnect) and loads them. */
  async #apply(event: DevEvent, first: boolean): Promise<void> {
    if (event.generation === this.#generation) {
      this.#problems = event.problems;
      return;
    }
    const manifestUrl = new URL(event.manifest, this.url).href;
    if (originOf(manifestUrl) !== this.origin) {
      throw new PlugboardError({ code: 'DEV_SERVER_UNREACHABLE', url: manifestUrl, problem: `the dev server named a manifest on another origin (${manifestUrl})`, hint: 'Connect to the dev server by its own address.' });
    }
    const read = await readManifest(manifestUrl, this.#owner.host.environment);
    if ('problems' in read) {
      // A broken manifest keeps the plugins of the last good one in force; its problems show until it is fixed.
      if (first && !this.#keepTrying) throw read.problems[0]!;
      this.#generation = event.generation;
      // The dev server names the file on disk; the page's own reading is the fallback.
      this.#problems = event.problems.length > 0 ? event.problems : read.problems.map(fieldsOf);
      this.#owner.changed('reload', []);
      return;
    }
    const host = this.#owner.host;
    // An import target on an origin the person never confirmed is not mapped: a change cannot widen what was allowed.
    const imports: Record<string, string> = {};
    const refused: ErrorFields[] = [];
    for (const [specifier, target] of Object.entries(read.manifest.imports)) {
      if (host.allowedOrigins.has(originOf(target))) imports[specifier] = target;
      else {
        refused.push({
          code: 'ORIGIN_NOT_ALLOWED',
          stage: 'origin',
          url: target,
          field: `imports[${JSON.stringify(specifier)}]`,
          problem: `the import map entry "${specifier}" → ${target} is on ${originOf(target)}, which was not confirmed when the dev server was connected`,
          hint: 'Disconnect and connect the dev server again to review and confirm its origins.',
        });
      }
    }
    if (Object.keys(imports).length > 0) await host.mapImports(imports);
    const next = new Map<string, EntryPoint>();
    for (const declared of read.manifest.entryPoints) {
      // No pin: a development plugin's bytes change by design.
      const { integrity: _pin, ...entry } = declared;
      next.set(keyOf(entry), { ...entry, source: this.url });
    }
    const previous = this.#entries;
    for (const [key, entry] of previous) {
      host.loader.forget(entry.url);
      if (!next.has(key)) host.setEntry(entry.group, entry.name, this.#owner.underlying(entry.group, entry.name));
    }
    for (const entry of next.values()) host.setEntry(entry.group, entry.name, entry);
    this.#entries = next;
    this.#generation = event.generation;
    this.#problems = [...event.problems, ...refused];
    this.#reloadedAt = new Date().toISOString();
    // At once, so the page shows the new behaviour or the failure (its stage and hint) without being asked.
    await Promise.allSettled([...next.values()].map((entry) => host.load(entry.group, entry.name)));
    this.#owner.changed(first ? 'develop' : 'reload', [...new Map([...previous, ...next]).values()]);
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}

function fieldsOf(thrown: unknown): ErrorFields {
  if (thrown instanceof PlugboardError) {
    const { code, problem, hint, url, field, group, plugin, stage } = thrown;
    return { code, problem, ...(hint ? { hint } : {}), ...(url ? { url } : {}), ...(field ? { field } : {}), ...(group ? { group } : {}), ...(plugin ? { plugin } : {}), ...(stage ? { stage } : {}) };
  }
  return { code: 'DEV_SERVER_LOST', problem: thrown instanceof Error ? thrown.message : String(thrown) };
}

function keyOf(entry: { group: string; name: string }): string {
  return `${entry.group}\u0000${entry.name}`;
}
