import { html, nothing, type TemplateResult } from 'lit';

/** The fields of any Plugboard error a page shows; read by shape so an error from a Worker or another copy counts. */
interface ProblemFields {
  code?: string;
  problem?: string;
  hint?: string;
  group?: string;
  plugin?: string;
  url?: string;
  field?: string;
  stage?: string;
  source?: string;
  line?: number;
  row?: number;
  detail?: string;
  message?: string;
  name?: string;
}

/** Whether a failure is the browser refusing to store more (IndexedDB's QuotaExceededError, a store's RESOURCE_EXHAUSTED), anywhere in its cause chain. */
export function isQuotaExceeded(thrown: unknown): boolean {
  for (let at: unknown = thrown, depth = 0; at && depth < 5; at = (at as { cause?: unknown }).cause, depth++) {
    if ((at as { name?: unknown }).name === 'QuotaExceededError' || (at as { code?: unknown }).code === 'RESOURCE_EXHAUSTED') return true;
  }
  return false;
}

/**
 * Renders one failure from its fields — what went wrong, where (plugin, stage, file line and field), and
 * what to do — once, in one place; nothing here parses a message. Storage quota gets its own advice.
 */
export function renderProblem(thrown: unknown): TemplateResult {
  if (isQuotaExceeded(thrown)) {
    return html`<div class="problem" role="alert" data-code="QUOTA_EXCEEDED">
      <strong>The browser's storage is full: the run could not be saved.</strong>
      <div class="hint"><strong>What to do:</strong> Lower “Keep the file with the run up to”, or delete old runs in the Runs view, then run again.</div>
    </div>`;
  }
  const error = (thrown ?? {}) as ProblemFields;
  const who = error.group ? `${error.group}${error.plugin ? `/${error.plugin}` : ''}` : error.plugin;
  const place = error.source !== undefined && error.row !== undefined ? `${error.source} ${error.line !== undefined ? `line ${error.line}` : `row ${error.row}`}` : undefined;
  const what = error.detail ?? error.problem ?? error.message ?? String(thrown);
  return html`<div class="problem" role="alert" data-code=${error.code ?? 'ERROR'}>
    <strong>${place ? `${place}${error.field ? `, field “${error.field}”` : ''}: ` : ''}${what}</strong>
    ${who || error.stage ? html`<div class="where">${who ?? ''}${error.stage ? ` · stage ${error.stage}` : ''}${error.code ? ` · ${error.code}` : ''}</div>` : nothing}
    ${!place && error.field ? html`<div class="where">at ${error.field}</div>` : nothing}
    ${error.url && !place ? html`<div class="where url">${error.url}</div>` : nothing}
    ${error.hint ? html`<div class="hint"><strong>What to do:</strong> ${error.hint}</div>` : nothing}
  </div>`;
}
