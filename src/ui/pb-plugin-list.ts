import { LitElement, css, html, nothing } from 'lit';
import type { Host } from '../host/index.ts';
import type { LoadError, LoadReport } from '../loader/index.ts';

/**
 * Shows a host's groups and entry points, and loads a group on request with its load report.
 * Set `host`; nothing loads until a "Load" button is pressed.
 */
export class PbPluginList extends LitElement {
  static override properties = {
    host: { attribute: false },
    reports: { state: true },
  };

  host?: Host;
  reports: Record<string, LoadReport> = {};

  static override styles = css`
    :host { display: block; font: 14px/1.4 system-ui, sans-serif; }
    section { margin: 0 0 1.25rem; }
    h2 { font-size: 1rem; margin: 0 0 .25rem; display: flex; gap: .75rem; align-items: center; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
    td.url { font-family: ui-monospace, monospace; font-size: 12px; color: #555; word-break: break-all; }
    .ok { color: #17692b; }
    .error { color: #a1161f; white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 12px; }
    .error .url, .error .hint { color: #555; }
  `;

  /** Loads every entry point of a group; called when its "Load" button is pressed. */
  async loadGroup(group: string): Promise<LoadReport | undefined> {
    if (!this.host) return undefined;
    const report = await this.host.loadGroup(group);
    this.reports = { ...this.reports, [group]: report };
    return report;
  }

  override render() {
    if (!this.host) return html`<p>No host yet.</p>`;
    const manifestErrors = this.host.report().filter((error) => error.stage === 'manifest');
    return html`
      ${manifestErrors.length ? html`<section><h2>Manifest problems</h2>${renderProblems(manifestErrors)}</section>` : nothing}
      ${this.host.groups().map((group) => this.#renderGroup(group))}
    `;
  }

  #renderGroup(group: string) {
    const report = this.reports[group];
    const errors = new Map<string, LoadError[]>();
    for (const error of report?.errors ?? []) errors.set(error.plugin, [...(errors.get(error.plugin) ?? []), error]);
    return html`<section data-group=${group}>
      <h2>${group} <button @click=${() => this.loadGroup(group)}>Load</button></h2>
      <table>
        <thead><tr><th>name</th><th>version</th><th>description</th><th>module</th><th>status</th></tr></thead>
        <tbody>
          ${this.host!.discover(group).map((entry) => {
            const problems = errors.get(entry.name);
            const status = !report ? '' : problems ? renderProblems(problems) : html`<span class="ok">loaded</span>`;
            return html`<tr data-entry=${entry.name}>
              <td>${entry.name}</td><td>${entry.version ?? ''}</td><td>${entry.description ?? ''}</td>
              <td class="url">${entry.url}#${entry.export}</td><td>${status}</td>
            </tr>`;
          })}
        </tbody>
      </table>
    </section>`;
  }
}

/**
 * Renders problems from their fields: each problem with its stage and field, then each distinct url and hint
 * once (the fields are printed as they are, never parsed out of a message).
 */
function renderProblems(problems: readonly LoadError[]) {
  const distinct = (pick: (problem: LoadError) => string | undefined) => [...new Set(problems.map(pick).filter((value): value is string => !!value))];
  return html`<div class="error" data-stage=${problems[0]?.stage ?? ''} data-code=${problems[0]?.code ?? ''}>
    ${problems.map(
      (problem) => html`<div class="problem" data-stage=${problem.stage} data-code=${problem.code}>
        ${problem.stage}: ${problem.group ? `[${problem.group}${problem.plugin ? `/${problem.plugin}` : ''}] ` : ''}${problem.problem}${problem.field ? html` <span class="field">→ at ${problem.field}</span>` : nothing}
      </div>`,
    )}
    ${distinct((problem) => problem.url).map((url) => html`<div class="url">url: ${url}</div>`)}
    ${distinct((problem) => problem.hint).map((hint) => html`<div class="hint">hint: ${hint}</div>`)}
  </div>`;
}

customElements.define('pb-plugin-list', PbPluginList);

declare global {
  interface HTMLElementTagNameMap {
    'pb-plugin-list': PbPluginList;
  }
}
