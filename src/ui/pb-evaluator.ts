import { LitElement, css, html, nothing } from 'lit';
import type { EvaluationProgress, EvaluationResult } from '../evaluation/index.ts';
import { chooseLoader } from '../evaluation/index.ts';
import type { Host } from '../host/index.ts';
import type { PluginsChangedDetail } from '../lifecycle/index.ts';
import type { DataLoader, DataRecord } from '../sdk/index.ts';
import { PlugboardError } from '../errors/index.ts';
import { renderProblem } from './problem-message.ts';
import { theme } from './theme.ts';

/** An option a metric declares (see the metric options table). */
interface DeclaredOption {
  name: string;
  type: 'boolean' | 'number' | 'integer' | 'string' | 'enum' | 'string-list' | 'label';
  default: unknown;
  description: string;
  choices?: readonly string[];
  min?: number;
  max?: number;
}

const PREVIEW_BYTES = 256 * 1024;
const PREVIEW_ROWS = 8;
const MIB = 1024 * 1024;

/**
 * The Evaluate view: pick or drop a file, check the loader and the preview, choose the prediction and
 * reference columns, tick metrics and set their declared options, press “Run”. Scoring runs through
 * `host.evaluate` (in Workers when the host has them) with a progress bar and “Cancel”; the scores show in
 * a table and the run is logged to `trackingUri`. Fires `pb-evaluation-done` (detail: the result) and
 * `pb-evaluation-failed` (detail: the error).
 */
export class PbEvaluator extends LitElement {
  static override properties = {
    host: { attribute: false },
    trackingUri: { attribute: 'tracking-uri' },
    workers: { type: Number },
    sampleUrl: { attribute: 'sample-url' },
    maxArtifactMb: { state: true },
    file: { state: true },
    loader: { state: true },
    preview: { state: true },
    columns: { state: true },
    prediction: { state: true },
    reference: { state: true },
    chosen: { state: true },
    optionValues: { state: true },
    skipInvalid: { state: true },
    running: { state: true },
    progress: { state: true },
    result: { state: true },
    problem: { state: true },
    note: { state: true },
    metricPlugins: { state: true },
  };

  host?: Host;
  /** Where runs are logged (default the host's IndexedDB store). */
  trackingUri = 'idb:';
  /** Workers to score in; default one per core but one, which the page keeps so it never waits for a Worker. */
  workers = typeof navigator !== 'undefined' ? Math.max(1, (navigator.hardwareConcurrency || 2) - 1) : 1;
  /** The sample file “Try it with sample data” loads. */
  sampleUrl = new URL('samples/sentence-pairs.csv', document.baseURI).href;
  maxArtifactMb = 10;
  file?: File;
  loader = '';
  preview: DataRecord[] = [];
  columns: string[] = [];
  prediction = '';
  reference = '';
  chosen = new Set<string>();
  optionValues: Record<string, Record<string, string | boolean>> = {};
  skipInvalid = false;
  running = false;
  progress?: EvaluationProgress;
  result?: EvaluationResult;
  problem?: unknown;
  note = '';
  metricPlugins: Record<string, { options?: DeclaredOption[]; description?: string }> = {};
  #controller?: AbortController;
  /** The preview being read: Run waits for it, so the columns it picks are the ones sent (a quick click came before them). */
  #previewing: Promise<void> = Promise.resolve();

  static override styles = [
    theme,
    css`
      .drop { border: 2px dashed var(--pb-border, #c5c9d0); border-radius: 10px; padding: 1rem; margin-bottom: 1rem; }
      .drop.over { border-color: var(--pb-accent, #2456c9); background: #eef3ff; }
      .row { display: flex; flex-wrap: wrap; gap: 1rem; align-items: end; }
      label.field { display: flex; flex-direction: column; gap: .2rem; }
      .metrics { display: grid; grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); gap: .3rem .8rem; }
      .options { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: .6rem 1rem; margin-top: .6rem; }
      .options small { display: block; color: var(--pb-muted, #5d6470); }
      .preview { overflow-x: auto; max-height: 16rem; margin-bottom: 1rem; }
      .preview td { max-width: 22rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      progress { width: 100%; height: 1.1rem; }
      .actions { display: flex; gap: .6rem; align-items: center; margin: .6rem 0; }
      td.value { font-variant-numeric: tabular-nums; }
      code { font-family: ui-monospace, monospace; font-size: .92em; }
      .workers-unavailable { border-left: 4px solid var(--pb-warning, #b26b00); padding: .4rem .7rem; background: var(--pb-warning-background, #fff6e5); }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.#following = this.host;
    this.host?.plugins.addEventListener('pb-plugins-changed', this.#onPluginsChanged);
    void this.#loadMetrics();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#following?.plugins.removeEventListener('pb-plugins-changed', this.#onPluginsChanged);
    this.#following = undefined;
  }

  #following: Host | undefined;
  /**
   * A plugin was installed, removed or reloaded (a development plugin after an edit): the metric list and their
   * declared options are read again. Loads are left alone, since reading the options loads every metric.
   */
  #onPluginsChanged = (event: Event) => {
    if ((event as CustomEvent<PluginsChangedDetail>).detail?.action !== 'load') void this.#loadMetrics();
  };

  /**
   * While the person picks columns, metrics and options, the Workers are started and import the loader and
   * the ticked metrics, so pressing “Run” starts reading the file at once; again after each run, whose
   * Workers are freed when it ends.
   */
  override updated(changed: Map<PropertyKey, unknown>): void {
    super.updated(changed);
    const relevant = changed.has('file') || changed.has('loader') || changed.has('chosen') || changed.has('workers') || changed.has('host') || (changed.has('running') && !this.running);
    if (!relevant || !this.host || !this.file || !this.loader || this.running) return;
    void this.host.prepareEvaluation({ source: this.file, loader: this.loader, metrics: [...this.chosen], workers: this.workers });
  }

  /** Loads the metric plugins to read their declared options; called when the element connects. */
  async #loadMetrics(): Promise<void> {
    if (!this.host) return;
    this.requestUpdate();
    const report = await this.host.loadGroup('codex_ml.metrics');
    const plugins: typeof this.metricPlugins = {};
    for (const name of report.loaded) plugins[name] = this.host.registry<{ options?: DeclaredOption[] }>('codex_ml.metrics').get(name) ?? {};
    this.metricPlugins = plugins;
  }

  /** Takes a file: chooses its loader from the name and reads the first rows for the preview. */
  async chooseFile(file: File): Promise<void> {
    this.file = file;
    this.result = undefined;
    this.problem = undefined;
    this.note = '';
    try {
      this.loader = chooseLoader(file.name, undefined).loader;
    } catch (thrown) {
      this.loader = '';
      this.preview = [];
      this.columns = [];
      this.problem = thrown;
      return;
    }
    await (this.#previewing = this.#readPreview());
  }

  async #readPreview(): Promise<void> {
    if (!this.host || !this.file) return;
    this.problem = undefined;
    try {
      const loader = await this.host.load<DataLoader>('codex_ml.data_loaders', this.loader);
      // Text formats preview from the first bytes (a row cut at the end is skipped); Parquet reads its footer.
      const sample = this.loader === 'parquet' ? this.file : this.file.slice(0, PREVIEW_BYTES);
      const options = { ...(this.file.name.toLowerCase().endsWith('.tsv') && this.loader === 'csv' ? { delimiter: '\t' } : {}), skipInvalid: this.file.size > PREVIEW_BYTES, sourceName: this.file.name };
      const rows: DataRecord[] = [];
      for await (const record of loader(sample, options)) {
        rows.push(record);
        if (rows.length >= PREVIEW_ROWS) break;
      }
      const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
      this.preview = rows;
      this.columns = columns;
      this.prediction = columns.includes(this.prediction) ? this.prediction : (columns.find((name) => /^pred/i.test(name)) ?? columns[0] ?? '');
      this.reference = columns.includes(this.reference) ? this.reference : (columns.find((name) => /^(ref|label|target|gold)/i.test(name)) ?? columns[1] ?? '');
    } catch (thrown) {
      this.preview = [];
      this.columns = [];
      this.problem = thrown;
    }
  }

  /** Fetches the sample file shipped with the app and takes it as the chosen file. */
  async loadSample(): Promise<void> {
    const response = await fetch(this.sampleUrl);
    const name = this.sampleUrl.slice(this.sampleUrl.lastIndexOf('/') + 1);
    await this.chooseFile(new File([await response.blob()], name, { type: 'text/csv' }));
    if (this.chosen.size === 0) this.chosen = new Set(['bleu', 'chrf'].filter((name) => this.host?.discover('codex_ml.metrics').some((entry) => entry.name === name)));
  }

  /** Scores the chosen file with the chosen metrics; resolves with the result, or undefined when it failed or was cancelled. */
  async run(): Promise<EvaluationResult | undefined> {
    if (!this.host || !this.file || this.running) return undefined;
    await this.#previewing;
    if (this.running) return undefined;
    const controller = new AbortController();
    this.#controller = controller;
    this.running = true;
    this.result = undefined;
    this.problem = undefined;
    this.note = '';
    this.progress = { rows: 0, bytes: 0, totalBytes: this.file.size };
    let frame = 0;
    let latest: EvaluationProgress | undefined;
    try {
      const result = await this.host.evaluate({
        source: this.file,
        loader: this.loader,
        ...(this.file.name.toLowerCase().endsWith('.tsv') && this.loader === 'csv' ? { loaderOptions: { delimiter: '\t' } } : {}),
        columns: { prediction: this.prediction, reference: this.reference },
        metrics: Object.fromEntries([...this.chosen].map((name) => [name, this.#optionsOf(name)])),
        signal: controller.signal,
        workers: this.workers,
        skipInvalid: this.skipInvalid,
        onProgress: (progress) => {
          // One render per frame however often Workers report.
          latest = progress;
          frame ||= requestAnimationFrame(() => {
            frame = 0;
            this.progress = latest;
          });
        },
        log: { trackingUri: this.trackingUri, maxArtifactBytes: Math.round(this.maxArtifactMb * MIB) },
      });
      this.result = result;
      this.progress = { rows: result.rows, bytes: result.bytes ?? 0, ...(result.bytes !== undefined ? { totalBytes: result.bytes } : {}) };
      this.dispatchEvent(new CustomEvent('pb-evaluation-done', { detail: result, bubbles: true, composed: true }));
      return result;
    } catch (thrown) {
      if (controller.signal.aborted) this.note = `Cancelled after ${(latest?.rows ?? 0).toLocaleString('en')} rows; the Workers were stopped and nothing was saved.`;
      else {
        this.problem = thrown;
        this.dispatchEvent(new CustomEvent('pb-evaluation-failed', { detail: thrown, bubbles: true, composed: true }));
      }
      return undefined;
    } finally {
      cancelAnimationFrame(frame);
      this.running = false;
      this.#controller = undefined;
    }
  }

  /** Stops a running evaluation at once: its Workers are terminated. */
  cancel(): void {
    this.#controller?.abort(new PlugboardError({ code: 'EVALUATION_CANCELLED', problem: 'the evaluation was cancelled', hint: 'Press “Run” to start again.' }));
  }

  /** The options the person set for a metric, converted to the declared types; unset and default values are left out. */
  #optionsOf(metric: string): Record<string, unknown> {
    const declared = this.metricPlugins[metric]?.options ?? [];
    const values = this.optionValues[metric] ?? {};
    const out: Record<string, unknown> = {};
    for (const option of declared) {
      const raw = values[option.name];
      if (raw === undefined || raw === '') continue;
      let value: unknown = raw;
      if (option.type === 'number' || option.type === 'integer') value = Number(raw);
      else if (option.type === 'string-list') value = String(raw).split('\n').filter((line) => line !== '');
      if (JSON.stringify(value) !== JSON.stringify(option.default)) out[option.name] = value;
    }
    return out;
  }

  #setOption(metric: string, name: string, value: string | boolean): void {
    this.optionValues = { ...this.optionValues, [metric]: { ...this.optionValues[metric], [name]: value } };
  }

  override render() {
    if (!this.host) return html`<p>No host yet.</p>`;
    const loaders = this.host.discover('codex_ml.data_loaders').map((entry) => entry.name);
    // Every declared metric is offered; one that fails to load says why when it is run.
    const metrics = this.host.discover('codex_ml.metrics').map((entry) => entry.name);
    return html`
      <section
        class="drop"
        @dragover=${(event: DragEvent) => {
          event.preventDefault();
          (event.currentTarget as HTMLElement).classList.add('over');
        }}
        @dragleave=${(event: DragEvent) => (event.currentTarget as HTMLElement).classList.remove('over')}
        @drop=${(event: DragEvent) => {
          event.preventDefault();
          (event.currentTarget as HTMLElement).classList.remove('over');
          const file = event.dataTransfer?.files[0];
          if (file) void this.chooseFile(file);
        }}
      >
        <div class="row">
          <label class="field">Data file (CSV, TSV, JSONL, Parquet or text) — pick one or drop it here
            <input type="file" accept=".csv,.tsv,.jsonl,.ndjson,.parquet,.txt" @change=${(event: Event) => {
              const file = (event.target as HTMLInputElement).files?.[0];
              if (file) void this.chooseFile(file);
            }} />
          </label>
          <button @click=${() => void this.loadSample()}>Try it with sample data</button>
          ${this.file ? html`<span class="muted">${this.file.name} · ${formatBytes(this.file.size)}</span>` : nothing}
        </div>
      </section>

      ${this.file
        ? html`
            <div class="row">
              <label class="field">Loader
                <select @change=${(event: Event) => {
                  this.loader = (event.target as HTMLSelectElement).value;
                  this.#previewing = this.#readPreview();
                }}>
                  ${loaders.map((name) => html`<option value=${name} ?selected=${name === this.loader}>${name}</option>`)}
                </select>
              </label>
              <label class="field">Prediction column
                <select @change=${(event: Event) => (this.prediction = (event.target as HTMLSelectElement).value)}>
                  ${this.columns.map((name) => html`<option value=${name} ?selected=${name === this.prediction}>${name}</option>`)}
                </select>
              </label>
              <label class="field">Reference column
                <select @change=${(event: Event) => (this.reference = (event.target as HTMLSelectElement).value)}>
                  ${this.columns.map((name) => html`<option value=${name} ?selected=${name === this.reference}>${name}</option>`)}
                </select>
              </label>
            </div>
            ${this.preview.length ? this.#renderPreview() : nothing}
          `
        : nothing}

      <fieldset>
        <legend>Metrics</legend>
        <div class="metrics">
          ${metrics.map(
            (name) => html`<label title=${this.metricPlugins[name]?.description ?? ''}><input type="checkbox" .checked=${this.chosen.has(name)} @change=${(event: Event) => {
              const next = new Set(this.chosen);
              if ((event.target as HTMLInputElement).checked) next.add(name);
              else next.delete(name);
              this.chosen = next;
            }} />${name}</label>`,
          )}
        </div>
        ${[...this.chosen].sort().map((name) => this.#renderOptions(name))}
      </fieldset>

      <div class="actions">
        <button class="primary" ?disabled=${!this.file || this.chosen.size === 0 || this.running || !this.loader} @click=${() => void this.run()}>Run</button>
        <button ?disabled=${!this.running} @click=${() => this.cancel()}>Cancel</button>
        <label><input type="checkbox" .checked=${this.skipInvalid} @change=${(event: Event) => (this.skipInvalid = (event.target as HTMLInputElement).checked)} /> Skip rows that are malformed or have no prediction or reference</label>
        <label class="field">Keep the file with the run up to (MB)
          <input type="number" min="0" step="1" .value=${String(this.maxArtifactMb)} @change=${(event: Event) => (this.maxArtifactMb = Number((event.target as HTMLInputElement).value) || 0)} />
        </label>
      </div>
      ${this.progress ? this.#renderProgress() : nothing}
      ${this.note ? html`<p class="note" role="status">${this.note}</p>` : nothing}
      ${this.problem ? renderProblem(this.problem) : nothing}
      ${this.result ? this.#renderResult(this.result) : nothing}
    `;
  }

  #renderPreview() {
    return html`<div class="preview"><table aria-label="Preview of the first rows">
      <thead><tr>${this.columns.map((name) => html`<th scope="col">${name}</th>`)}</tr></thead>
      <tbody>${this.preview.map((row) => html`<tr>${this.columns.map((name) => html`<td>${showCell(row[name])}</td>`)}</tr>`)}</tbody>
    </table></div>`;
  }

  #renderOptions(metric: string) {
    const declared = this.metricPlugins[metric]?.options ?? [];
    if (declared.length === 0) return nothing;
    const values = this.optionValues[metric] ?? {};
    return html`<fieldset class="options" data-metric=${metric}>
      <legend>${metric} options</legend>
      ${declared.map((option) => {
        const value = values[option.name];
        const help = html`<small>${option.description}${option.default !== null && option.default !== undefined ? ` (default ${JSON.stringify(option.default)})` : ''}</small>`;
        if (option.type === 'boolean') {
          return html`<div><label><input type="checkbox" .checked=${value === undefined ? option.default === true : value === true} @change=${(event: Event) => this.#setOption(metric, option.name, (event.target as HTMLInputElement).checked)} /> ${option.name}</label>${help}</div>`;
        }
        if (option.type === 'enum') {
          const current = value ?? (option.default as string | null) ?? '';
          return html`<div><label class="field">${option.name}<select @change=${(event: Event) => this.#setOption(metric, option.name, (event.target as HTMLSelectElement).value)}>
            ${option.default === null ? html`<option value="" ?selected=${current === ''}>(not set)</option>` : nothing}
            ${(option.choices ?? []).map((choice) => html`<option value=${choice} ?selected=${choice === current}>${choice}</option>`)}
          </select></label>${help}</div>`;
        }
        if (option.type === 'string-list') {
          return html`<div><label class="field">${option.name} (one per line)<textarea rows="2" .value=${String(value ?? ((option.default as string[] | null) ?? []).join('\n'))} @change=${(event: Event) => this.#setOption(metric, option.name, (event.target as HTMLTextAreaElement).value)}></textarea></label>${help}</div>`;
        }
        const numeric = option.type === 'number' || option.type === 'integer';
        return html`<div><label class="field">${option.name}<input type=${numeric ? 'number' : 'text'} step=${option.type === 'integer' ? '1' : 'any'} min=${option.min ?? nothing} max=${option.max ?? nothing}
          .value=${String(value ?? option.default ?? '')} @change=${(event: Event) => this.#setOption(metric, option.name, (event.target as HTMLInputElement).value)} /></label>${help}</div>`;
      })}
    </fieldset>`;
  }

  #renderProgress() {
    const progress = this.progress!;
    const total = progress.totalBytes ?? 0;
    return html`<div class="progress">
      <progress aria-label="Evaluation progress" max=${total || 1} .value=${total ? Math.min(progress.bytes, total) : 0}></progress>
      <div class="muted" aria-live="polite">${progress.rows.toLocaleString('en')} rows · ${formatBytes(progress.bytes)}${total ? ` of ${formatBytes(total)}` : ''}${this.running ? ' — scoring…' : ''}</div>
    </div>`;
  }

  #renderResult(result: EvaluationResult) {
    return html`<section class="results">
      ${result.workersUnavailable
        ? html`<p class="workers-unavailable" role="note">Workers could not start: ${result.workersUnavailable}. The file was scored on the main thread instead, with the same plugin bytes, so the scores are the same; the page may have been slow to respond while it ran.</p>`
        : nothing}
      <table aria-label="Scores">
        <thead><tr><th scope="col">metric</th><th scope="col">value</th><th scope="col">details</th></tr></thead>
        <tbody>
          ${Object.entries(result.scores).map(([name, score]) => {
            const value = typeof score === 'number' ? score : (score as { score?: unknown }).score;
            const details = typeof score === 'object' && score !== null ? Object.entries(score).filter(([key]) => key !== 'score' && key !== 'sentences' && key !== 'signature') : [];
            const signature = typeof score === 'object' && score !== null ? (score as { signature?: unknown }).signature : undefined;
            return html`<tr data-metric=${name}>
              <th scope="row">${name}</th>
              <td class="value" data-value=${typeof value === 'number' ? String(value) : ''}>${typeof value === 'number' ? formatNumber(value) : ''}</td>
              <td>
                ${typeof signature === 'string' ? html`<div>signature <code class="signature">${signature}</code></div>` : nothing}
                ${details.map(([key, detail]) => html`<span class="muted">${key} ${typeof detail === 'number' ? formatNumber(detail) : JSON.stringify(detail)}</span> `)}
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
      <p class="muted">
        ${result.rows.toLocaleString('en')} rows scored · <span class="skipped">${result.skipped.toLocaleString('en')} rows skipped</span>
        ${result.skippedExamples[0] ? html` (first: ${result.skippedExamples[0].line !== undefined ? `line ${result.skippedExamples[0].line}` : `row ${result.skippedExamples[0].row}`}, ${result.skippedExamples[0].reason})` : nothing}
        · ${result.workers ? `${result.workers} Worker${result.workers === 1 ? '' : 's'}` : 'in the page'} · ${(result.durationMs / 1000).toFixed(2)} s
        ${result.runId ? html` · saved as run <code class="run-id">${result.runId}</code>` : nothing}
      </p>
    </section>`;
  }
}

function showCell(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined ? '' : JSON.stringify(value);
}

/** Bytes as a person reads them: 812 B, 4.2 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < MIB) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * MIB) return `${(bytes / MIB).toFixed(1)} MB`;
  return `${(bytes / 1024 / MIB).toFixed(2)} GB`;
}

/** A score with enough digits to compare, without a tail of noise. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(6);
}

customElements.define('pb-evaluator', PbEvaluator);

declare global {
  interface HTMLElementTagNameMap {
    'pb-evaluator': PbEvaluator;
  }
}
