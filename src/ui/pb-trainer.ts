import { LitElement, css, html, nothing } from 'lit';
import { chooseLoader, metricValuesOf, pluginProvenanceTags } from '../evaluation/index.ts';
import type { Host } from '../host/index.ts';
import type { DataLoader, DataRecord } from '../sdk/index.ts';
import { PlugboardError } from '../errors/index.ts';
import { trainInWorker, type TrainingResultRecord } from '../workers/train-in-worker.ts';
// The inner file, not the trainers' door: the page lists the refused arguments without loading the trainer.
import { UNSUPPORTED_ARGUMENTS } from '../plugins/trainers/unsupported-arguments.ts';
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

/** The built-in trainers the view offers. */
export type TrainerName = 'functional' | 'hf_trainer';

/** The TrainingArguments the view has fields for (`hf_trainer`); an empty step count is left to the trainer's default. */
export interface TrainingArgumentFields {
  learning_rate: number;
  num_train_epochs: number;
  per_device_train_batch_size: number;
  eval_strategy: 'no' | 'epoch' | 'steps';
  eval_steps: number | null;
  logging_steps: number;
  save_strategy: 'no' | 'epoch' | 'steps';
  save_steps: number | null;
  load_best_model_at_end: boolean;
  metric_for_best_model: 'eval_accuracy' | 'eval_f1' | 'eval_loss';
  lr_scheduler_type: 'linear' | 'constant' | 'constant_with_warmup';
  warmup_ratio: number;
  weight_decay: number;
  seed: number;
  /** EarlyStoppingCallback's patience; null adds no callback. */
  early_stopping_patience: number | null;
}

/** The validation split's scores as the `accuracy` and `f1` metric plugins computed them on the trained head's predictions. */
export interface ValidationScores {
  accuracy: number;
  f1: number;
  rows: number;
}

/** The f1 averaging the view scores with: macro, as the trainers' own eval_f1 is, and defined for any number of labels. */
const F1_AVERAGE = 'macro';

/**
 * The Train view: pick a CSV (or JSON Lines) file of text and label, choose the two columns, the `minilm`
 * model location, the trainer (`functional` with plain options, or `hf_trainer` with TrainingArguments and
 * the arguments it refuses listed with their reasons) and the head, press “Train”. The trainer fits the head
 * on frozen embeddings in a module Worker, importing the trainer and model plugins under the integrity the
 * manifest pins, with a progress bar; “Cancel” terminates the Worker at once and the run ends KILLED. When
 * training ends, the validation split's predictions are scored by the `accuracy` and `f1` metric plugins
 * (loaded through the host like any metric), and the scores, the predictions and the metrics' provenance
 * are logged to the run before it ends FINISHED; the scores, the run id and the registered model version
 * show. Fires `pb-training-done` (detail: the result) and `pb-training-failed` (detail: the error).
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
    trainer: { state: true },
    head: { state: true },
    trainingArguments: { state: true },
    moreArguments: { state: true },
    validationSplit: { state: true },
    scores: { state: true },
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
  trainer: TrainerName = 'functional';
  head: 'softmax_regression' | 'mlp' = 'softmax_regression';
  /** Held out for validation and scoring (both trainers' `validation_split`). */
  validationSplit = 0.2;
  /**
   * `hf_trainer`'s fields, prefilled with TrainingArguments' defaults except where a head on frozen
   * embeddings wants otherwise (a learning rate of 0.01 rather than 5e-5, evaluation and saving per epoch,
   * the best model kept, logging every 10 steps).
   */
  trainingArguments: TrainingArgumentFields = {
    learning_rate: 0.01,
    num_train_epochs: 3,
    per_device_train_batch_size: 8,
    eval_strategy: 'epoch',
    eval_steps: null,
    logging_steps: 10,
    save_strategy: 'epoch',
    save_steps: null,
    load_best_model_at_end: true,
    metric_for_best_model: 'eval_accuracy',
    lr_scheduler_type: 'linear',
    warmup_ratio: 0,
    weight_decay: 0,
    seed: 42,
    early_stopping_patience: null,
  };
  /** Further TrainingArguments as a JSON object, merged over the fields (so any argument can be given, and a refused one is refused by name). */
  moreArguments = '';
  epochs = 10;
  batchSize = 16;
  learningRate = 0.05;
  seed = 0;
  registerAs = 'text-classifier';
  running = false;
  progress?: TrainingProgress;
  result?: TrainingResultRecord;
  scores?: ValidationScores;
  problem?: unknown;
  #controller?: AbortController;

  static override styles = [
    theme,
    css`
      .row { display: flex; flex-wrap: wrap; gap: 1rem; align-items: end; margin-bottom: .8rem; }
      label.field { display: flex; flex-direction: column; gap: .2rem; }
      label.field input[type='number'] { width: 7rem; }
      label.wide input, label.wide textarea { width: 24rem; max-width: 100%; }
      label.check { flex-direction: row; align-items: center; }
      fieldset.training-arguments { border: 1px solid var(--pb-border, #ccc); border-radius: .3rem; margin: 0 0 .8rem; }
      details.refused ul { margin: .3rem 0; padding-left: 1.2rem; }
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
    this.scores = undefined;
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

  /** The chosen trainer's config: the view's fields under that trainer's names. Throws TRAINER_BAD_CONFIG when “More TrainingArguments” is not a JSON object. */
  trainerConfig(): Record<string, unknown> {
    const registerAs = this.registerAs.trim();
    const common = {
      head: this.head,
      validation_split: this.validationSplit,
      text_field: this.textColumn,
      label_field: this.labelColumn,
      ...(registerAs ? { register_as: registerAs } : {}),
      ...(this.file ? { run_name: `train ${this.file.name}` } : {}),
    };
    if (this.trainer === 'functional') {
      return { ...common, epochs: this.epochs, batch_size: this.batchSize, learning_rate: this.learningRate, seed: this.seed };
    }
    const { eval_steps: evalSteps, save_steps: saveSteps, early_stopping_patience: patience, ...fields } = this.trainingArguments;
    return {
      ...common,
      ...fields,
      ...(evalSteps !== null ? { eval_steps: evalSteps } : {}),
      ...(saveSteps !== null ? { save_steps: saveSteps } : {}),
      ...(patience !== null ? { callbacks: [{ early_stopping_patience: patience }] } : {}),
      ...this.#moreArguments(),
    };
  }

  #moreArguments(): Record<string, unknown> {
    const text = this.moreArguments.trim();
    if (text === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (thrown) {
      parsed = thrown;
    }
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && !(parsed instanceof Error)) return parsed as Record<string, unknown>;
    throw new PlugboardError({
      code: 'TRAINER_BAD_CONFIG',
      group: 'codex_ml.trainers',
      plugin: 'hf_trainer',
      field: 'more TrainingArguments',
      problem: parsed instanceof Error ? `“More TrainingArguments” is not JSON: ${parsed.message}` : `“More TrainingArguments” must be a JSON object of argument names and values, and it is ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}`,
      hint: 'Write them as in Python but in JSON, e.g. {"adam_beta2": 0.98, "optim": "sgd"}; or leave the box empty.',
    });
  }

  /** Trains on the chosen file and scores the validation split; resolves with the result, or undefined when it failed or was cancelled. */
  async train(): Promise<TrainingResultRecord | undefined> {
    const host = this.host;
    if (!host || this.rows.length === 0 || this.running) return undefined;
    const controller = new AbortController();
    this.#controller = controller;
    this.running = true;
    this.result = undefined;
    this.scores = undefined;
    this.problem = undefined;
    this.progress = { epoch: 0, step: 0, totalSteps: 0, loss: Number.NaN };
    const tracking = host.tracking({ uri: this.trackingUri });
    try {
      const config = this.trainerConfig();
      const plugin = (group: string, name: string) => {
        const entry = host.discover(group).find((candidate) => candidate.name === name);
        if (!entry) throw new PlugboardError({ code: 'PLUGIN_NOT_FOUND', group, plugin: name, problem: `no manifest provides the ${group} plugin "${name}"`, hint: 'Load a manifest that lists it, or reinstall the built-in plugins.' });
        // The pinned digests go with the URL (an installed plugin's imported modules' too), so the Worker refuses bytes that differ from them.
        return { group, name, url: entry.url, export: entry.export, ...(entry.integrity ? { integrity: entry.integrity } : {}), ...(entry.modules ? { modules: entry.modules } : {}) };
      };
      // The trainer's and model factory's provenance go into the run as an evaluation's plugins' do.
      const used = await Promise.all([host.provenance('codex_ml.trainers', this.trainer), host.provenance('codex_ml.models', 'minilm')]);
      const result = await trainInWorker(
        {
          imports: host.imports(),
          trainer: plugin('codex_ml.trainers', this.trainer),
          model: plugin('codex_ml.models', 'minilm'),
          modelConfig: { model_name: this.modelName.trim() },
          config,
          rows: this.rows,
          register: 'register_as' in config,
          provenance: used.filter((record) => record !== undefined).map(({ group, name, url, version, sha384 }) => ({ group, name, url, ...(version !== undefined ? { version } : {}), ...(sha384 !== undefined ? { sha384 } : {}) })),
        },
        { tracking, registry: () => host.modelRegistry(this.trackingUri) },
        {
          signal: controller.signal,
          onProgress: (progress) => (this.progress = progress),
          // The run stays open when the trainer ends it: the metric plugins' scores go into it before it ends.
          afterTraining: async (trained) => {
            this.scores = await this.#scoreValidation(host, tracking, trained, controller.signal);
          },
        },
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

  /**
   * Scores the validation rows' predictions with the `accuracy` and `f1` (macro) metric plugins through the
   * host, and logs to the open run: the scores as metrics `accuracy` and `f1` (at the last step), the split
   * and averaging as params, the metrics' provenance as tags, and the predictions as
   * `predictions/validation.jsonl` (text, label, prediction per line). Undefined without validation rows.
   */
  async #scoreValidation(host: Host, tracking: ReturnType<Host['tracking']>, result: TrainingResultRecord, signal: AbortSignal): Promise<ValidationScores | undefined> {
    const validation = result.validation;
    if (!validation || validation.predictions.length === 0) return undefined;
    const records = validation.predictions.map((prediction, row) => ({ prediction, reference: validation.labels[row]! }));
    const evaluation = await host.evaluate({ source: records, sourceName: 'validation split', metrics: { accuracy: {}, f1: { average: F1_AVERAGE } }, signal });
    const metrics = { ...metricValuesOf('accuracy', evaluation.scores['accuracy']), ...metricValuesOf('f1', evaluation.scores['f1']) };
    await tracking.logMetrics(metrics, result.globalStep);
    await tracking.logParams({ scored_split: 'validation', scored_rows: evaluation.rows, 'f1.average': F1_AVERAGE });
    await tracking.setTags(pluginProvenanceTags(evaluation.provenance));
    const lines = validation.texts.map((text, row) => JSON.stringify({ text, label: validation.labels[row], prediction: validation.predictions[row] }));
    await tracking.logArtifact(new Blob([`${lines.join('\n')}\n`], { type: 'application/x-ndjson' }), 'predictions/validation.jsonl');
    return { accuracy: metrics['accuracy']!, f1: metrics['f1']!, rows: evaluation.rows };
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
        <label class="field">Trainer
          <select @change=${(event: Event) => (this.trainer = (event.target as HTMLSelectElement).value as TrainerName)}>
            <option value="functional" ?selected=${this.trainer === 'functional'}>functional (plain options)</option>
            <option value="hf_trainer" ?selected=${this.trainer === 'hf_trainer'}>hf_trainer (Hugging Face TrainingArguments)</option>
          </select>
        </label>
        <label class="field">Head
          <select @change=${(event: Event) => (this.head = (event.target as HTMLSelectElement).value as PbTrainer['head'])}>
            <option value="softmax_regression" ?selected=${this.head === 'softmax_regression'}>softmax regression</option>
            <option value="mlp" ?selected=${this.head === 'mlp'}>MLP (one ReLU layer)</option>
          </select>
        </label>
        ${number('Validation split', this.validationSplit, (value) => (this.validationSplit = value), 'any', '0')}
        <label class="field">Register as
          <input type="text" .value=${this.registerAs} @change=${(event: Event) => (this.registerAs = (event.target as HTMLInputElement).value)} />
        </label>
      </div>
      ${this.trainer === 'functional'
        ? html`<div class="row">
            ${number('Epochs', this.epochs, (value) => (this.epochs = value), '1', '1')}
            ${number('Batch size', this.batchSize, (value) => (this.batchSize = value), '1', '1')}
            ${number('Learning rate', this.learningRate, (value) => (this.learningRate = value), 'any', '0')}
            ${number('Seed', this.seed, (value) => (this.seed = value), '1', '0')}
          </div>`
        : this.#renderTrainingArguments()}
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

  #renderTrainingArguments() {
    const fields = this.trainingArguments;
    const set = (changes: Partial<TrainingArgumentFields>) => (this.trainingArguments = { ...this.trainingArguments, ...changes });
    // Labels are the argument names themselves: what someone coming from Python types.
    const number = (name: 'learning_rate' | 'num_train_epochs' | 'per_device_train_batch_size' | 'eval_steps' | 'logging_steps' | 'save_steps' | 'warmup_ratio' | 'weight_decay' | 'seed' | 'early_stopping_patience', step: string, min: string) => {
      const value = fields[name];
      return html`<label class="field"><code>${name}</code><input type="number" step=${step} min=${min} placeholder=${value === null ? 'default' : nothing} .value=${value === null ? '' : String(value)} @change=${(event: Event) => {
        const text = (event.target as HTMLInputElement).value.trim();
        const parsed = Number(text);
        if (text === '' && (name === 'eval_steps' || name === 'save_steps' || name === 'early_stopping_patience')) set({ [name]: null });
        else if (text !== '' && Number.isFinite(parsed)) set({ [name]: parsed });
      }} /></label>`;
    };
    const choice = <K extends 'eval_strategy' | 'save_strategy' | 'metric_for_best_model' | 'lr_scheduler_type'>(name: K, options: readonly TrainingArgumentFields[K][]) =>
      html`<label class="field"><code>${name}</code><select @change=${(event: Event) => set({ [name]: (event.target as HTMLSelectElement).value } as Partial<TrainingArgumentFields>)}>
        ${options.map((option) => html`<option value=${option} ?selected=${option === fields[name]}>${option}</option>`)}
      </select></label>`;
    return html`<fieldset class="training-arguments">
      <legend>TrainingArguments</legend>
      <div class="row">
        ${number('learning_rate', 'any', '0')}
        ${number('num_train_epochs', '1', '1')}
        ${number('per_device_train_batch_size', '1', '1')}
        ${number('seed', '1', '0')}
        ${choice('lr_scheduler_type', ['linear', 'constant', 'constant_with_warmup'])}
        ${number('warmup_ratio', 'any', '0')}
        ${number('weight_decay', 'any', '0')}
      </div>
      <div class="row">
        ${choice('eval_strategy', ['no', 'epoch', 'steps'])}
        ${number('eval_steps', '1', '1')}
        ${number('logging_steps', '1', '1')}
        ${choice('save_strategy', ['no', 'epoch', 'steps'])}
        ${number('save_steps', '1', '1')}
        <label class="field check"><input type="checkbox" .checked=${fields.load_best_model_at_end} @change=${(event: Event) => set({ load_best_model_at_end: (event.target as HTMLInputElement).checked })} /><code>load_best_model_at_end</code></label>
        ${choice('metric_for_best_model', ['eval_accuracy', 'eval_f1', 'eval_loss'])}
        ${number('early_stopping_patience', '1', '1')}
      </div>
      <label class="field wide">More TrainingArguments (JSON object, over the fields above)
        <textarea rows="2" placeholder='{"optim": "sgd", "adam_beta2": 0.98}' .value=${this.moreArguments} @change=${(event: Event) => (this.moreArguments = (event.target as HTMLTextAreaElement).value)}></textarea>
      </label>
      <details class="refused">
        <summary>Arguments refused here, by name</summary>
        <ul>${Object.entries(UNSUPPORTED_ARGUMENTS).map(([name, { reason }]) => html`<li data-argument=${name}><code>${name}</code>: ${reason}</li>`)}</ul>
      </details>
    </fieldset>`;
  }

  #renderResult(result: TrainingResultRecord) {
    const scores = this.scores;
    const row = (label: string, key: string, value: number | undefined) =>
      html`<tr data-metric=${key}><th scope="row">${label}</th><td class="value" data-value=${value === undefined ? '' : String(value)}>${value === undefined ? '—' : formatNumber(value)}</td></tr>`;
    return html`<section class="results">
      ${scores
        ? html`<table aria-label="Validation scores">
            <tbody>${row('accuracy', 'accuracy', scores.accuracy)}${row(`f1 (${F1_AVERAGE})`, 'f1', scores.f1)}${row('loss (trainer)', 'eval_loss', result.evaluation?.['eval_loss'])}</tbody>
          </table>
          <p class="muted scored-by">Scored by the <code>accuracy</code> and <code>f1</code> metric plugins on ${scores.rows.toLocaleString('en')} validation rows.</p>`
        : html`<p class="muted">No validation rows were held out, so nothing was scored.</p>`}
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
