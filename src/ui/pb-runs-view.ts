import { LitElement, css, html, nothing } from 'lit';
import { describeProvenanceChanges, modelFileChanges, provenanceChanges, type EvaluationResult, type PluginProvenance, type ProvenanceChange } from '../evaluation/index.ts';
import type { ModelProvenance } from '../sdk/index.ts';
import type { Host } from '../host/index.ts';
import type { ArtifactRepository, FileInfo } from '../artifacts/index.ts';
import { resolveArtifactUri } from '../mlflow-server/index.ts';
import { compileRunSearch, readSampledHistories, type Experiment, type Run, type RunCopy, type RunCopyProgress, type TrackingStore } from '../tracking/index.ts';
import { mlflowRunLink, openServer, readServerUrl, recentServers, rememberOpenServer, rememberRecentServer } from './mlflow-server-choice.ts';
import { renderProblem } from './problem-message.ts';
import { formatNumber } from './pb-evaluator.ts';
import { theme } from './theme.ts';
import { timeAxisRange } from './time-axis-range.ts';

/** A copy between the browser and an MLflow server under way: what is copied where, and how far it got. */
interface CopyUnderWay {
  runName: string;
  to: string;
  progress?: RunCopyProgress;
}

/** What the last copy came to: a line to show and, for a run sent to a server, its address there. */
interface CopyOutcome {
  text: string;
  runId: string;
  /** The experiment and what was copied. */
  detail: string;
  link?: string;
}

const STAGE_TEXT: Record<RunCopyProgress['stage'], string> = {
  run: 'creating the run',
  params: 'params and tags',
  metrics: 'metric history',
  datasets: 'dataset inputs',
  artifacts: 'artifact',
  done: 'done',
};

/** Whether a tracking URI names an MLflow tracking server (http or https) rather than a store in the browser. */
const isServer = (uri: string): boolean => /^https?:\/\//i.test(uri);

/**
 * The Runs view: the runs of an experiment in a table — filtered with MLflow's search grammar (a parse
 * error shows under the box at its column), sorted by any column, selected to compare side by side and
 * to chart a metric across runs and across steps (uPlot, loaded only here) — with each run's artifacts to
 * download, delete and restore, and “Re-run”, which scores the saved file again with the same plugin bytes
 * or says which plugin changed. The store is pluggable: set `store` (any TrackingStore) or `trackingUri`.
 * “Open an MLflow server” shows a tracking server's experiments and runs the same way (remembered across
 * reloads in localStorage until “Back to this browser's runs”); “Send to MLflow” copies a browser run to the
 * server typed in the URL box, and “Copy to this browser” copies a server run back, both through `host.copyRun`.
 * Fires `pb-rerun-done` (detail: the new result) and `pb-run-copied` (detail: the RunCopy and the target URI).
 */
export class PbRunsView extends LitElement {
  static override properties = {
    host: { attribute: false },
    store: { attribute: false },
    trackingUri: { attribute: 'tracking-uri' },
    experimentId: { attribute: 'experiment-id' },
    localTrackingUri: { attribute: 'local-tracking-uri' },
    runs: { state: true },
    experiments: { state: true },
    serverText: { state: true },
    copying: { state: true },
    copied: { state: true },
    failure: { state: true },
    filter: { state: true },
    filterError: { state: true },
    orderBy: { state: true },
    showDeleted: { state: true },
    selected: { state: true },
    chartMetric: { state: true },
    artifacts: { state: true },
    message: { state: true },
    problem: { state: true },
  };

  host?: Host;
  /** The tracking store to show; when unset, the host's store for `trackingUri`. */
  store?: TrackingStore;
  trackingUri = 'idb:';
  experimentId = '0';
  /** The browser's own store, which “Back to this browser's runs” shows again; by default `idb:`. */
  localTrackingUri = 'idb:';
  runs: Run[] = [];
  experiments: Experiment[] = [];
  /** The text of the MLflow server URL box. */
  serverText = '';
  copying?: CopyUnderWay;
  copied?: CopyOutcome;
  /** A failure to open or copy to a server: what was being done, and the error. */
  failure?: { doing: string; error: unknown };
  /** The store an embedder set, kept while a server is shown so “back” returns to it. */
  #ownStore?: TrackingStore;
  #searches = 0;
  #draws = 0;
  filter = '';
  filterError?: { problem: string; column?: number; hint?: string };
  orderBy = 'attributes.start_time DESC';
  showDeleted = false;
  selected = new Set<string>();
  chartMetric = '';
  artifacts?: { runId: string; files: FileInfo[] };
  message = '';
  problem?: unknown;

  static override styles = [
    theme,
    css`
      .bar { display: flex; gap: .8rem; align-items: end; flex-wrap: wrap; margin-bottom: .6rem; }
      .bar label.field { display: flex; flex-direction: column; gap: .2rem; flex: 1 1 22rem; }
      .filter-error { color: var(--pb-error, #b3261e); font-size: .92em; }
      .filter-error pre { margin: .2rem 0; font-family: ui-monospace, monospace; }
      th button { border: none; background: none; padding: 0; font-weight: 600; }
      td.num { font-variant-numeric: tabular-nums; }
      tr.deleted { opacity: .6; }
      .chart { margin: 1rem 0; min-height: 10rem; }
      .compare { overflow-x: auto; margin: 1rem 0; }
      .scroll { overflow-x: auto; }
      .actions button { padding: .1rem .5rem; margin-right: .2rem; }
      .source { display: flex; gap: .6rem; align-items: end; flex-wrap: wrap; margin-bottom: .8rem; padding-bottom: .6rem; border-bottom: 1px solid var(--pb-border, #e1e4e8); }
      .source label.field { display: flex; flex-direction: column; gap: .2rem; flex: 1 1 18rem; }
      .source .showing { flex-basis: 100%; margin: 0; }
      .copy progress { width: 14rem; vertical-align: middle; margin-right: .5rem; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    if (!isServer(this.trackingUri)) this.localTrackingUri = this.trackingUri;
    // A server opened before the reload is opened again, as MLFLOW_TRACKING_URI stays set in a shell.
    const remembered = openServer();
    if (remembered && !this.store && !isServer(this.trackingUri)) this.trackingUri = remembered;
    this.serverText = isServer(this.trackingUri) ? this.trackingUri : (recentServers()[0] ?? '');
    void this.refresh();
  }

  /** Whether the view shows an MLflow tracking server's runs (not the browser's own). */
  get showsServer(): boolean {
    return !this.store && isServer(this.trackingUri);
  }

  async #store(): Promise<TrackingStore> {
    if (this.store) return this.store;
    if (!this.host) throw new Error('pb-runs-view needs a host or a store');
    return this.host.trackingStore(this.trackingUri);
  }

  /**
   * Shows the experiments and runs of the MLflow tracking server at `url` (the URL box's text by default) and
   * remembers it; a URL that is malformed, a server that is down or not MLflow, or one that refuses this page's
   * origin leaves the view where it was and shows what went wrong and what to do. Resolves with whether it opened.
   */
  async openServer(url: string = this.serverText): Promise<boolean> {
    this.failure = undefined;
    this.message = '';
    let uri: string;
    try {
      uri = readServerUrl(url);
      if (!this.host) throw new Error('pb-runs-view needs a host to open an MLflow server');
      // One answer from the server first: an unreachable or foreign URL fails here, before the view switches.
      await (await this.host.trackingStore(uri)).searchExperiments({ maxResults: 1 });
    } catch (error) {
      this.failure = { doing: `Could not open the MLflow server at ${url.trim() || '(no URL)'}.`, error };
      return false;
    }
    if (this.store) this.#ownStore = this.store;
    this.store = undefined;
    this.trackingUri = uri;
    this.serverText = uri;
    rememberOpenServer(uri);
    await this.#switched();
    return true;
  }

  /** Shows the browser's own runs again (the store an embedder set, or `localTrackingUri`) and forgets the open server. */
  async showLocal(): Promise<void> {
    this.failure = undefined;
    this.message = '';
    if (this.#ownStore) this.store = this.#ownStore;
    this.trackingUri = this.localTrackingUri;
    rememberOpenServer(undefined);
    await this.#switched();
  }

  async #switched(): Promise<void> {
    // The other store's rows must not show (with this store's actions) while its runs load.
    this.runs = [];
    this.experimentId = '0';
    this.experiments = [];
    this.selected = new Set();
    this.artifacts = undefined;
    this.copied = undefined;
    this.problem = undefined;
    await this.refresh();
  }

  async #loadExperiments(store: TrackingStore): Promise<void> {
    const { experiments } = await store.searchExperiments({ maxResults: 1000 });
    this.experiments = experiments;
    if (experiments.length && !experiments.some((experiment) => experiment.experimentId === this.experimentId)) this.experimentId = experiments[0]!.experimentId;
  }

  /**
   * Copies a run of the browser's store to the MLflow server in the URL box (`to` overrides it) through
   * host.copyRun, into the experiment of the same name there, showing progress, then the new run's ID and its
   * address in the server's UI; a failure shows what went wrong and what to do. Resolves with the copy, or
   * undefined when it failed.
   */
  async sendToMlflow(runId: string, to: string = this.serverText): Promise<{ runId: string; link: string } | undefined> {
    let uri: string;
    try {
      uri = readServerUrl(to);
    } catch (error) {
      this.failure = { doing: 'Enter the MLflow server to send the run to in the “MLflow server URL” box.', error };
      return undefined;
    }
    const copy = await this.#copy(runId, this.trackingUri, uri);
    if (!copy) return undefined;
    const link = mlflowRunLink(uri, copy.run.info.experimentId, copy.run.info.runId);
    rememberRecentServer(uri);
    this.copied = { ...this.#copiedText(copy, `to ${uri}`), link };
    return { runId: copy.run.info.runId, link };
  }

  /** Copies a run of the open MLflow server into the browser's own store; resolves with the copy's run ID, or undefined when it failed. */
  async copyToBrowser(runId: string): Promise<string | undefined> {
    const copy = await this.#copy(runId, this.trackingUri, this.localTrackingUri);
    if (!copy) return undefined;
    this.copied = this.#copiedText(copy, 'into this browser');
    return copy.run.info.runId;
  }

  #copiedText(copy: RunCopy, where: string): CopyOutcome {
    const { run } = copy;
    const counts = [
      `${run.data.params.length} params`,
      `${run.data.tags.length} tags`,
      `${copy.metricPoints} metric points`,
      `${copy.artifacts.length} artifacts`,
      `${copy.datasetInputs} dataset inputs`,
    ];
    return { text: `Copied ${run.info.runName ?? 'the run'} ${where} as run`, runId: run.info.runId, detail: `in experiment ${run.info.experimentId}: ${counts.join(', ')}.` };
  }

  async #copy(runId: string, from: string, to: string): Promise<RunCopy | undefined> {
    const run = this.runs.find((candidate) => candidate.info.runId === runId);
    const runName = run?.info.runName ?? runId;
    this.failure = undefined;
    this.copied = undefined;
    this.message = '';
    if (!this.host) return undefined;
    this.copying = { runName, to };
    try {
      const copy = await this.host.copyRun({
        runId,
        from,
        to,
        onProgress: (progress) => {
          this.copying = { runName, to, progress };
        },
      });
      this.dispatchEvent(new CustomEvent('pb-run-copied', { detail: { copy, to }, bubbles: true, composed: true }));
      return copy;
    } catch (error) {
      this.failure = { doing: `Could not copy ${runName} to ${isServer(to) ? `the MLflow server at ${to}` : 'this browser'}.`, error };
      return undefined;
    } finally {
      this.copying = undefined;
    }
  }

  /** Searches the runs again with the current filter, order and view; a malformed filter shows its error under the box. */
  async refresh(): Promise<void> {
    // Searches can overlap (a filter typed while a server opens): only the latest one's answer is shown.
    const search = ++this.#searches;
    try {
      const store = await this.#store();
      await this.#loadExperiments(store);
      const page = await store.searchRuns({
        experimentIds: [this.experimentId],
        ...(this.filter.trim() ? { filter: this.filter } : {}),
        orderBy: [this.orderBy],
        runViewType: this.showDeleted ? 'ALL' : 'ACTIVE_ONLY',
        maxResults: 1000,
      });
      if (search !== this.#searches) return;
      this.runs = page.runs;
      this.filterError = undefined;
      const keys = this.#metricKeys();
      if (!keys.includes(this.chartMetric)) this.chartMetric = keys.find((key) => !['rows', 'skipped'].includes(key)) ?? keys[0] ?? '';
      await this.updateComplete;
      await this.#drawCharts();
    } catch (thrown) {
      if (search !== this.#searches) return;
      const error = thrown as { code?: string; problem?: string; message?: string; column?: number; hint?: string };
      if (error.code === 'INVALID_PARAMETER_VALUE') {
        this.filterError = { problem: error.problem ?? error.message ?? String(thrown), ...(error.column !== undefined ? { column: error.column } : {}), ...(error.hint ? { hint: error.hint } : {}) };
        // A server's parse error names no column: the same grammar parsed here finds it.
        if (error.column === undefined) this.filterError = this.#locatedFilterError() ?? this.filterError;
      } else this.problem = thrown;
    }
  }

  #locatedFilterError(): PbRunsView['filterError'] {
    try {
      compileRunSearch({ experimentIds: [], filter: this.filter, orderBy: [this.orderBy] });
      return undefined;
    } catch (thrown) {
      const error = thrown as { problem?: string; column?: number; hint?: string };
      if (error.column === undefined || !error.problem) return undefined;
      return { problem: error.problem, column: error.column, ...(error.hint ? { hint: error.hint } : {}) };
    }
  }

  #metricKeys(): string[] {
    return [...new Set(this.runs.flatMap((run) => run.data.metrics.map((metric) => metric.key)))].sort();
  }

  #sortBy(key: string): void {
    const [current, direction] = this.orderBy.split(' ');
    this.orderBy = `${key} ${current === key && direction === 'DESC' ? 'ASC' : 'DESC'}`;
    void this.refresh();
  }

  async #artifactRepository(run: Run): Promise<ArtifactRepository> {
    // A server's runs keep `mlflow-artifacts:/…` URIs, which name no server: they resolve against its URL.
    return this.host!.artifactRepository(this.showsServer ? resolveArtifactUri(run.info.artifactUri, this.trackingUri) : run.info.artifactUri);
  }

  async #showArtifacts(run: Run): Promise<void> {
    const repository = await this.#artifactRepository(run);
    const files: FileInfo[] = [];
    const walk = async (dir?: string) => {
      for (const info of await repository.listArtifacts(dir)) {
        if (info.isDir) await walk(info.path);
        else files.push(info);
      }
    };
    await walk();
    this.artifacts = { runId: run.info.runId, files };
  }

  /** Saves one artifact of a run as a download. */
  async download(runId: string, path: string): Promise<void> {
    const run = this.runs.find((candidate) => candidate.info.runId === runId)!;
    const blob = await (await this.#artifactRepository(run)).downloadArtifact(path);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = path.slice(path.lastIndexOf('/') + 1);
    this.renderRoot.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }

  async #setDeleted(run: Run, deleted: boolean): Promise<void> {
    const store = await this.#store();
    if (deleted) await store.deleteRun(run.info.runId);
    else await store.restoreRun(run.info.runId);
    this.message = `${deleted ? 'Deleted' : 'Restored'} run ${run.info.runName ?? run.info.runId}.`;
    await this.refresh();
  }

  /**
   * Scores a past run's saved file again with the same loader, columns and options: when every plugin's
   * modules — entry and imported — and every file of the models its metrics ran still have the digests the run
   * recorded, the new run is logged and its scores shown; otherwise nothing runs and the message names each
   * changed module or model file with both digests and what to do.
   */
  async rerun(runId: string): Promise<EvaluationResult | undefined> {
    this.problem = undefined;
    this.message = '';
    const run = this.runs.find((candidate) => candidate.info.runId === runId);
    if (!run || !this.host) return undefined;
    try {
      const repository = await this.#artifactRepository(run);
      const previous = JSON.parse(await (await repository.downloadArtifact('results.json')).text()) as EvaluationResult;
      const files = await repository.listArtifacts('data');
      const saved = files.find((file) => !file.isDir);
      if (!saved) {
        this.message = `Run ${run.info.runName ?? runId} did not keep its file (it was larger than the limit), so it cannot be re-run here.`;
        return undefined;
      }
      const changed = [...(await this.#changedPlugins(previous.provenance)), ...(await this.#changedModels(previous.models ?? {}))];
      if (changed.length) {
        this.message = `Not re-run: ${describeProvenanceChanges(changed)}`;
        return undefined;
      }
      const blob = await repository.downloadArtifact(saved.path);
      const result = await this.host.evaluate({
        source: new File([blob], previous.sourceName),
        ...(previous.loader ? { loader: previous.loader } : {}),
        columns: previous.columns,
        metrics: previous.options,
        skipInvalid: previous.skipped > 0,
        log: { trackingUri: this.trackingUri, runName: `re-run of ${run.info.runName ?? runId}`, tags: { 'plugboard.rerunOf': runId } },
      });
      const same = Object.keys(previous.scores).every((name) => JSON.stringify(previous.scores[name]) === JSON.stringify(result.scores[name]));
      this.message = `Re-ran ${run.info.runName ?? runId} with the same file and plugin bytes: ${same ? 'the same scores' : 'different scores'} (${Object.entries(result.scores)
        .map(([name, score]) => `${name} ${formatNumber(typeof score === 'number' ? score : ((score as { score?: number }).score ?? NaN))}`)
        .join(', ')}).`;
      this.dispatchEvent(new CustomEvent('pb-rerun-done', { detail: result, bubbles: true, composed: true }));
      await this.refresh();
      return result;
    } catch (thrown) {
      this.problem = thrown;
      return undefined;
    }
  }

  /** What changed in each recorded plugin's code, entry module and the modules it imports; a plugin that no longer loads is one change. */
  async #changedPlugins(recorded: PluginProvenance[]): Promise<ProvenanceChange[]> {
    const changed: ProvenanceChange[] = [];
    for (const record of recorded) {
      try {
        await this.host!.load(record.group, record.name);
      } catch {
        changed.push({ plugin: `${record.group}/${record.name}`, url: record.url, role: 'entry', then: record.sha384 ?? 'unknown', now: 'no longer loads' });
        continue;
      }
      changed.push(...provenanceChanges(record, await this.host!.provenance(record.group, record.name)));
    }
    return changed;
  }

  /**
   * Which files of the models the run's metrics ran now have other bytes, as a re-run here would read them (the
   * model cache, else the file's URL). A run recorded before models were recorded has none to compare.
   */
  async #changedModels(recorded: Record<string, ModelProvenance[]>): Promise<ProvenanceChange[]> {
    const uses = Object.entries(recorded).flatMap(([metric, models]) => models.map((model) => ({ metric, model })));
    if (uses.length === 0) return [];
    // The inner file, not the models' door: only the file reader and digests are needed, not the model runtime.
    const { checkModelFiles } = await import('../plugins/models/check-model-files.ts');
    const changed: ProvenanceChange[] = [];
    for (const { metric, model } of uses) changed.push(...modelFileChanges(metric, model, await checkModelFiles(model)));
    return changed;
  }

  async #drawCharts(): Promise<void> {
    const draw = ++this.#draws;
    const acrossRuns = this.renderRoot.querySelector<HTMLElement>('#chart-runs');
    const acrossSteps = this.renderRoot.querySelector<HTMLElement>('#chart-steps');
    if (!acrossRuns || !this.chartMetric) return;
    const [{ default: UPlot }, { default: styles }] = await Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css?inline')]);
    // A constructed sheet, not a <style> element: nothing here needs a policy's 'unsafe-inline'.
    const root = this.renderRoot as ShadowRoot;
    if (!root.adoptedStyleSheets.some((sheet) => sheet === uplotSheet)) {
      uplotSheet ??= new CSSStyleSheet();
      uplotSheet.replaceSync(styles);
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, uplotSheet];
    }
    const key = this.chartMetric;
    const points = [...this.runs]
      .sort((a, b) => a.info.startTime - b.info.startTime)
      .flatMap((run) => run.data.metrics.filter((metric) => metric.key === key).map((metric) => [run.info.startTime / 1000, metric.value] as const));
    acrossRuns.replaceChildren();
    const width = Math.max(320, acrossRuns.clientWidth || 640);
    const loneRange = timeAxisRange(points.map((point) => point[0]));
    new UPlot(
      { title: `${key} across runs`, width, height: 220, scales: { x: loneRange ? { auto: false, range: loneRange } : {} }, series: [{ label: 'run start' }, { label: key, stroke: '#2456c9', points: { show: true, size: 7 } }] },
      [points.map((point) => point[0]), points.map((point) => point[1])],
      acrossRuns,
    );
    if (!acrossSteps) return;
    acrossSteps.replaceChildren();
    const chosen = this.runs.filter((run) => this.selected.has(run.info.runId));
    if (chosen.length === 0) return;
    const store = await this.#store();
    // Sampled as MLflow's UI samples its charts (first and last point kept): a chart this wide shows no more.
    const sampled = await readSampledHistories(store, chosen.map((run) => run.info.runId), key, { maxResults: 1000 });
    if (draw !== this.#draws) return;
    const histories = chosen.map((run) => sampled.get(run.info.runId) ?? []);
    const steps = [...new Set(histories.flatMap((history) => history.map((point) => point.step)))].sort((a, b) => a - b);
    // Draws overlap when two runs are ticked quickly: only the latest draws, after its read.
    acrossSteps.replaceChildren();
    new UPlot(
      {
        title: `${key} across steps`,
        width,
        height: 220,
        scales: { x: { time: false } },
        series: [{ label: 'step' }, ...chosen.map((run, index) => ({ label: run.info.runName ?? run.info.runId, stroke: ['#2456c9', '#c94f24', '#24a35a', '#8a24c9'][index % 4]!, points: { show: true, size: 7 } }))],
      },
      [steps, ...histories.map((history) => steps.map((step) => history.find((point) => point.step === step)?.value ?? null))],
      acrossSteps,
    );
  }

  override render() {
    const keys = this.#metricKeys();
    const chosen = this.runs.filter((run) => this.selected.has(run.info.runId));
    return html`
      ${this.#renderSource()}
      ${this.#renderCopy()}
      <div class="bar">
        <label class="field">Filter runs (MLflow search syntax, e.g. metrics.bleu > 30 and params.loader = 'csv')
          <input type="search" .value=${this.filter} @change=${(event: Event) => {
            this.filter = (event.target as HTMLInputElement).value;
            void this.refresh();
          }} aria-describedby="filter-error" aria-invalid=${this.filterError ? 'true' : 'false'} />
        </label>
        <label><input type="checkbox" .checked=${this.showDeleted} @change=${(event: Event) => {
          this.showDeleted = (event.target as HTMLInputElement).checked;
          void this.refresh();
        }} /> Show deleted runs</label>
        <button @click=${() => void this.refresh()}>Refresh</button>
      </div>
      <div id="filter-error" class="filter-error" role=${this.filterError ? 'alert' : nothing}>
        ${this.filterError
          ? html`${this.filterError.problem}${this.filterError.column !== undefined ? html` (column ${this.filterError.column})<pre>${this.filter}\n${' '.repeat(this.filterError.column - 1)}^</pre>` : nothing}${this.filterError.hint ? html`<div>${this.filterError.hint}</div>` : nothing}`
          : nothing}
      </div>
      ${this.message ? html`<p role="status" class="message">${this.message}</p>` : nothing}
      ${this.problem ? renderProblem(this.problem) : nothing}
      <div class="scroll"><table aria-label="Runs">
        <thead><tr>
          <th scope="col">select</th>
          <th scope="col"><button @click=${() => this.#sortBy('attributes.run_name')} aria-label="Sort by run name">run</button></th>
          <th scope="col"><button @click=${() => this.#sortBy('attributes.start_time')} aria-label="Sort by start time">started</button></th>
          <th scope="col">source</th>
          ${keys.map((key) => html`<th scope="col"><button @click=${() => this.#sortBy(`metrics.\`${key}\``)} aria-label=${`Sort by ${key}`}>${key}</button></th>`)}
          <th scope="col">actions</th>
        </tr></thead>
        <tbody>
          ${this.runs.map((run) => {
            const name = run.info.runName ?? run.info.runId;
            const deleted = run.info.lifecycleStage === 'deleted';
            return html`<tr data-run=${run.info.runId} class=${deleted ? 'deleted' : ''}>
              <td><input type="checkbox" aria-label=${`Select ${name}`} .checked=${this.selected.has(run.info.runId)} @change=${(event: Event) => {
                const next = new Set(this.selected);
                if ((event.target as HTMLInputElement).checked) next.add(run.info.runId);
                else next.delete(run.info.runId);
                this.selected = next;
                void this.updateComplete.then(() => this.#drawCharts());
              }} /></td>
              <td>${this.showsServer ? html`<a href=${mlflowRunLink(this.trackingUri, run.info.experimentId, run.info.runId)} target="_blank" rel="noopener">${name}</a>` : name}</td>
              <td>${new Date(run.info.startTime).toLocaleString('en')}</td>
              <td>${run.data.params.find((param) => param.key === 'source')?.value ?? ''}</td>
              ${keys.map((key) => {
                const metric = run.data.metrics.find((candidate) => candidate.key === key);
                return html`<td class="num">${metric ? formatNumber(metric.value) : ''}</td>`;
              })}
              <td class="actions">
                <button @click=${() => void this.#showArtifacts(run)} aria-label=${`Artifacts of ${name}`}>Artifacts</button>
                ${deleted
                  ? html`<button @click=${() => void this.#setDeleted(run, false)} aria-label=${`Restore ${name}`}>Restore</button>`
                  : html`<button @click=${() => void this.#setDeleted(run, true)} aria-label=${`Delete ${name}`}>Delete</button>`}
                <button @click=${() => void this.rerun(run.info.runId)} aria-label=${`Re-run ${name}`}>Re-run</button>
                ${this.showsServer
                  ? html`<button @click=${() => void this.copyToBrowser(run.info.runId)} ?disabled=${!!this.copying} aria-label=${`Copy to this browser: ${name}`}>Copy to this browser</button>`
                  : html`<button @click=${() => void this.sendToMlflow(run.info.runId)} ?disabled=${!!this.copying} aria-label=${`Send to MLflow: ${name}`}>Send to MLflow</button>`}
              </td>
            </tr>`;
          })}
        </tbody>
      </table></div>
      ${this.runs.length === 0
        ? html`<p class="muted">${this.showsServer ? `No runs in this experiment of ${this.trackingUri}${this.filter.trim() ? ' match the filter' : ''}.` : 'No runs yet: evaluate a file and its run shows here.'}</p>`
        : nothing}
      ${this.artifacts ? this.#renderArtifacts() : nothing}
      ${keys.length
        ? html`<div class="bar"><label class="field">Chart metric
            <select @change=${(event: Event) => {
              this.chartMetric = (event.target as HTMLSelectElement).value;
              void this.updateComplete.then(() => this.#drawCharts());
            }}>${keys.map((key) => html`<option value=${key} ?selected=${key === this.chartMetric}>${key}</option>`)}</select>
          </label></div>
          <div class="chart" id="chart-runs" role="img" aria-label=${`Chart of ${this.chartMetric} across runs`}></div>
          <div class="chart" id="chart-steps" role="img" aria-label=${`Chart of ${this.chartMetric} across steps of the selected runs`}></div>`
        : nothing}
      ${chosen.length >= 2 ? this.#renderComparison(chosen) : nothing}
    `;
  }

  #renderSource() {
    const server = this.showsServer;
    return html`<section class="source" aria-label="Tracking store">
      <p class="showing">Showing the runs of ${server ? html`the MLflow server <span class="url">${this.trackingUri}</span>` : html`this browser`}.
        ${server ? html`<button @click=${() => void this.showLocal()}>Back to this browser's runs</button>` : nothing}</p>
      <label class="field">MLflow server URL
        <input type="url" list="recent-servers" placeholder="http://127.0.0.1:5000" .value=${this.serverText} @input=${(event: Event) => {
          this.serverText = (event.target as HTMLInputElement).value;
        }} @keydown=${(event: KeyboardEvent) => {
          if (event.key === 'Enter') void this.openServer();
        }} />
      </label>
      <datalist id="recent-servers">${recentServers().map((url) => html`<option value=${url}></option>`)}</datalist>
      <button class="primary" @click=${() => void this.openServer()}>Open an MLflow server</button>
      <label>Experiment
        <select @change=${(event: Event) => {
          this.experimentId = (event.target as HTMLSelectElement).value;
          this.selected = new Set();
          void this.refresh();
        }}>${this.experiments.map((experiment) => html`<option value=${experiment.experimentId} ?selected=${experiment.experimentId === this.experimentId}>${experiment.name}</option>`)}</select>
      </label>
    </section>
    ${this.failure ? html`<div class="failure"><p><strong>${this.failure.doing}</strong></p>${renderProblem(this.failure.error)}</div>` : nothing}`;
  }

  #renderCopy() {
    if (this.copying) {
      const { runName, to, progress } = this.copying;
      const stage = progress ? `${STAGE_TEXT[progress.stage]}${progress.total > 1 ? ` ${Math.min(progress.done + 1, progress.total)} of ${progress.total}` : ''}${progress.item ? ` (${progress.item})` : ''}` : 'starting';
      return html`<p class="copy" role="status"><progress aria-label="Copy progress" max=${progress?.total || 1} value=${progress?.done ?? 0}></progress>
        Copying ${runName} to ${isServer(to) ? to : 'this browser'}: ${stage}…</p>`;
    }
    if (this.copied) {
      return html`<p class="copy ok" role="status">${this.copied.text} <code class="copied-run-id">${this.copied.runId}</code> ${this.copied.detail}
        ${this.copied.link ? html`<a href=${this.copied.link} target="_blank" rel="noopener">Open it in MLflow</a>` : nothing}</p>`;
    }
    return nothing;
  }

  #renderArtifacts() {
    const { runId, files } = this.artifacts!;
    return html`<section aria-label="Artifacts"><h3>Artifacts of ${this.runs.find((run) => run.info.runId === runId)?.info.runName ?? runId}</h3>
      <ul>${files.map((file) => html`<li><button @click=${() => void this.download(runId, file.path)} aria-label=${`Download ${file.path}`}>Download</button> ${file.path} <span class="muted">${file.fileSize ?? 0} bytes</span></li>`)}</ul>
    </section>`;
  }

  #renderComparison(runs: Run[]) {
    const keys = [
      ...new Set(runs.flatMap((run) => [...run.data.params.map((param) => `params.${param.key}`), ...run.data.metrics.map((metric) => `metrics.${metric.key}`)])),
    ].sort();
    const valueOf = (run: Run, key: string) => {
      const [kind, ...rest] = key.split('.');
      const name = rest.join('.');
      if (kind === 'params') return run.data.params.find((param) => param.key === name)?.value ?? '';
      const metric = run.data.metrics.find((candidate) => candidate.key === name);
      return metric ? formatNumber(metric.value) : '';
    };
    return html`<section class="compare"><table aria-label="Compare runs">
      <thead><tr><th scope="col">key</th>${runs.map((run) => html`<th scope="col">${run.info.runName ?? run.info.runId}</th>`)}</tr></thead>
      <tbody>${keys.map((key) => {
        const values = runs.map((run) => valueOf(run, key));
        const differs = new Set(values).size > 1;
        return html`<tr class=${differs ? 'differs' : ''}><th scope="row">${key}</th>${values.map((value) => html`<td>${differs ? html`<strong>${value}</strong>` : value}</td>`)}</tr>`;
      })}</tbody>
    </table></section>`;
  }
}

/** uPlot's stylesheet, made once the first chart is drawn and shared by every runs view. */
let uplotSheet: CSSStyleSheet | undefined;

customElements.define('pb-runs-view', PbRunsView);

declare global {
  interface HTMLElementTagNameMap {
    'pb-runs-view': PbRunsView;
  }
}
