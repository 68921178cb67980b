import { LitElement, css, html, nothing } from 'lit';
import { chooseLoader } from '../evaluation/index.ts';
import type { Host } from '../host/index.ts';
import type { DataLoader, DataRecord } from '../sdk/index.ts';
import { PlugboardError } from '../errors/index.ts';
import { trainInWorker, type TrainingResultRecord } from '../workers/train-in-worker.ts';
import { formatNumber } from './pb-evaluator.ts';
import { renderProblem } from './problem-message.ts';
import { theme } from './theme.ts';

/** Training progress as the Worker reports it. */
interface TrainingProgress {
  epoch: number;
  step: number;
  totalSteps: number;
  loss: number;
}

/**
 * The Train view: pick a CSV (or JSON Lines) file of text and label, choose the two columns, the `minilm`
 * model location and the head, press “Train”. The `functional` trainer fits the head on frozen embeddings
 * in a module Worker with a progress bar; “Cancel” terminates the Worker at once and the run ends KILLED.
 * The validation accuracy and macro F1, the run id and the registered model version show when it ends.
 * Fires `pb-training-done` (detail: the result) and `pb-training-failed` (detail: the error).
 */
export class PbTrainer extends LitElement {
  static override properties = {
    host: { attribute: false },
    trackingUri: { attribute: 'tracking-uri' },
    modelName: { attribute: 'model-name' },
    file: { state: true },
    columns: { state: true },
    textColumn: { state: true },
    labelColumn: { state: true },
    head: { state: true },
    epochs: { state: true },
    batchSize: { state: true },
    learningRate: { state: true },
    seed: { state: true },
    registerAs: { state: true },
    running: { state: true },
    progress: { state: true },
    result: { state: true },
    problem: { state: true },
  };

  host?: Host;
  /** Where runs are logged and heads registered (default the host's IndexedDB store). */
  trackingUri = 'idb:';
  /** The `minilm` model: a Hub id or the URL of a model folder. */
  modelName = 'Xenova/all-MiniLM-L6-v2';
  file?: File;
  rows: DataRecord[] = [];
  columns: string[] = [];
  textColumn = '';
  labelColumn = '';
  head: 'softmax_regression' | 'mlp' = 'softmax_regression';
  epochs = 10;
  batchSize = 16;
  learningRate = 0.05;
  seed = 0;
  registerAs = 'text-classifier';
  running = false;
  progress?: TrainingProgress;
  result?: TrainingResultRecord;
  problem?: unknown;
  #controller?: AbortController;

  static override styles = [
    theme,
    css`
      .row { display: flex; flex-wrap: wrap; gap: 1rem; align-items: end; margin-bottom: .8rem; }
      label.field { display: flex; flex-direction: column; gap: .2rem; }
      label.field input[type='number'] { width: 7rem; }
      label.wide input { width: 24rem; max-width: 100%; }
      progress { width: 100%; height: 1.1rem; }
      .actions { display: flex; gap: .6rem; align-items: center; margin: .6rem 0; }
      td.value { font-variant-numeric: tabular-nums; }
      code { font-family: ui-monospace, monospace; font-size: .92em; }
    `,
  ];

  /** Takes a file: reads every row with the loader its name chooses, and guesses the text and label columns. */
  async chooseFile(file: File): Promise<void> {
    this.file = file;
    this.result = undefined;
    this.problem = undefined;
    this.rows = [];
    this.columns = [];
    if (!this.host) return;
    try {
      const loader = await this.host.load<DataLoader>('codex_ml.data_loaders', chooseLoader(file.name, undefined).loader);
      const rows: DataRecord[] = [];
      for await (const record of loader(file, { sourceName: file.name })) rows.push(record);
      const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
      this.rows = rows;
      this.columns = columns;
      this.textColumn = columns.includes(this.textColumn) ? this.textColumn : (columns.find((name) => /^(text|sentence|content)/i.test(name)) ?? columns[0] ?? '');
      this.labelColumn = columns.includes(this.labelColumn) ? this.labelColumn : (columns.find((name) => /^(label|target|class|category)/i.test(name)) ?? columns[1] ?? '');
    } catch (thrown) {
      this.problem = thrown;
    }
  }

  /** Trains on the chosen file; resolves with the result, or undefined when it failed or was cancelled. */
  async train(): Promise<TrainingResultRecord | undefined> {
    const host = this.host;
    if (!host || this.rows.length === 0 || this.running) return undefined;
    const controller = new AbortController();
    this.#controller = controller;
    this.running = true;
    this.result = undefined;
    this.problem = undefined;
    this.progress = { epoch: 0, step: 0, totalSteps: 0, loss: Number.NaN };
    try {
      const plugin = (group: string, name: string) => {
        const entry = host.discover(group).find((candidate) => candidate.name === name);
        if (!entry) throw new PlugboardError({ code: 'PLUGIN_NOT_FOUND', group, plugin: name, problem: `no manifest provides the ${group} plugin "${name}"`, hint: 'Load a manifest that lists it, or reinstall the built-in plugins.' });
        return { url: entry.url, export: entry.export };
      };
      const registerAs = this.registerAs.trim();
      const result = await trainInWorker(
        {
          imports: host.imports(),
          trainer: plugin('codex_ml.trainers', 'functional'),
          model: plugin('codex_ml.models', 'minilm'),
          modelConfig: { model_name: this.modelName.trim() },
          config: {
            head: this.head,
            epochs: this.epochs,
            batch_size: this.batchSize,
            learning_rate: this.learningRate,
            seed: this.seed,
            text_field: this.textColumn,
            label_field: this.labelColumn,
            ...(registerAs ? { register_as: registerAs } : {}),
            ...(this.file ? { run_name: `train ${this.file.name}` } : {}),
          },
          rows: this.rows,
          register: registerAs !== '',
        },
        { tracking: host.tracking({ uri: this.trackingUri }), registry: () => host.modelRegistry(this.trackingUri) },
        { signal: controller.signal, onProgress: (progress) => (this.progress = progress) },
      );
      this.result = result;
      this.dispatchEvent(new CustomEvent('pb-training-done', { detail: result, bubbles: true, composed: true }));
      return result;
    } catch (thrown) {
      this.problem = thrown;
      this.dispatchEvent(new CustomEvent('pb-training-failed', { detail: thrown, bubbles: true, composed: true }));
      return undefined;
    } finally {
      this.running = false;
      this.#controller = undefined;
    }
  }

  /** Stops the training under way: its Worker is terminated at once and its run ends KILLED. */
  cancel(): void {
    this.#controller?.abort();
  }

  override render() {
    const number = (label: string, value: number, set: (value: number) => void, step: string, min: string) =>
      html`<label class="field">${label}<input type="number" step=${step} min=${min} .value=${String(value)} @change=${(event: Event) => {
        const parsed = Number((event.target as HTMLInputElement).value);
        if (Number.isFinite(parsed)) set(parsed);
      }} /></label>`;
    return html`
      <div class="row">
        <label class="field">Training data file (CSV or JSON Lines with a text and a label column)
          <input type="file" accept=".csv,.tsv,.jsonl,.ndjson" @change=${(event: Event) => {
            const file = (event.target as HTMLInputElement).files?.[0];
            if (file) void this.chooseFile(file);
          }} />
        </label>
        ${this.file ? html`<span class="muted">${this.file.name} · ${this.rows.length.toLocaleString('en')} rows</span>` : nothing}
      </div>
      <div class="row">
        <label class="field">Text column
          <select @change=${(event: Event) => (this.textColumn = (event.target as HTMLSelectElement).value)}>
            ${this.columns.map((name) => html`<option value=${name} ?selected=${name === this.textColumn}>${name}</option>`)}
          </select>
        </label>
        <label class="field">Label column
          <select @change=${(event: Event) => (this.labelColumn = (event.target as HTMLSelectElement).value)}>
            ${this.columns.map((name) => html`<option value=${name} ?selected=${name === this.labelColumn}>${name}</option>`)}
          </select>
        </label>
        <label class="field wide">Model (minilm: Hub id or model folder URL)
          <input type="text" .value=${this.modelName} @change=${(event: Event) => (this.modelName = (event.target as HTMLInputElement).value)} />
        </label>
      </div>
      <div class="row">
        <label class="field">Head
          <select @change=${(event: Event) => (this.head = (event.target as HTMLSelectElement).value as PbTrainer['head'])}>
            <option value="softmax_regression" ?selected=${this.head === 'softmax_regression'}>softmax regression</option>
            <option value="mlp" ?selected=${this.head === 'mlp'}>MLP (one ReLU layer)</option>
          </select>
        </label>
        ${number('Epochs', this.epochs, (value) => (this.epochs = value), '1', '1')}
        ${number('Batch size', this.batchSize, (value) => (this.batchSize = value), '1', '1')}
        ${number('Learning rate', this.learningRate, (value) => (this.learningRate = value), 'any', '0')}
        ${number('Seed', this.seed, (value) => (this.seed = value), '1', '0')}
        <label class="field">Register as
          <input type="text" .value=${this.registerAs} @change=${(event: Event) => (this.registerAs = (event.target as HTMLInputElement).value)} />
        </label>
      </div>
      <div class="actions">
        <button class="primary" ?disabled=${this.rows.length === 0 || this.running || !this.textColumn || !this.labelColumn} @click=${() => void this.train()}>Train</button>
        <button ?disabled=${!this.running} @click=${() => this.cancel()}>Cancel</button>
      </div>
      ${this.progress ? this.#renderProgress(this.progress) : nothing}
      ${this.problem ? renderProblem(this.problem) : nothing}
      ${this.result ? this.#renderResult(this.result) : nothing}
    `;
  }

  #renderProgress(progress: TrainingProgress) {
    return html`<div class="progress">
      <progress aria-label="Training progress" max=${progress.totalSteps || 1} .value=${progress.totalSteps ? progress.step : 0}></progress>
      <div class="muted" aria-live="polite">${progress.totalSteps ? `step ${progress.step} of ${progress.totalSteps} · epoch ${progress.epoch} · loss ${formatNumber(progress.loss)}` : this.running ? 'loading the model and embedding the texts…' : ''}</div>
    </div>`;
  }

  #renderResult(result: TrainingResultRecord) {
    const metric = (label: string, key: string) => {
      const value = result.evaluation?.[key];
      return html`<tr data-metric=${key}><th scope="row">${label}</th><td class="value" data-value=${value === undefined ? '' : String(value)}>${value === undefined ? '—' : formatNumber(value)}</td></tr>`;
    };
    return html`<section class="results">
      <table aria-label="Validation scores">
        <tbody>${metric('accuracy', 'eval_accuracy')}${metric('f1 (macro)', 'eval_f1')}${metric('loss', 'eval_loss')}</tbody>
      </table>
      <p class="muted">
        ${result.epochs} epochs · ${result.globalStep} steps${result.stoppedEarly ? ' (stopped early)' : ''} · labels ${result.labels.join(', ')}
        ${result.runId ? html` · run <code class="run-id">${result.runId}</code>` : nothing}
        ${result.modelVersion ? html` · registered <code class="model-version">${result.modelVersion.name} v${result.modelVersion.version}</code>` : nothing}
      </p>
    </section>`;
  }
}

customElements.define('pb-trainer', PbTrainer);

declare global {
  interface HTMLElementTagNameMap {
    'pb-trainer': PbTrainer;
  }
}
