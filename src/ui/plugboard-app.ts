import { LitElement, css, html } from 'lit';
import type { Host } from '../host/index.ts';
import { theme } from './theme.ts';
import './pb-evaluator.ts';
import './pb-trainer.ts';
import './pb-runs-view.ts';
import './pb-plugin-manager.ts';

/** A view the app shell shows as a tab: its label and the custom element that renders it. */
export interface AppView {
  /** Stable id, used in the URL hash (`#runs`). */
  id: string;
  label: string;
  /** The element's tag; the shell creates it and sets its `host` (and `trackingUri`) properties. */
  tag: string;
}

const views: AppView[] = [
  { id: 'evaluate', label: 'Evaluate', tag: 'pb-evaluator' },
  { id: 'train', label: 'Train', tag: 'pb-trainer' },
  { id: 'runs', label: 'Runs', tag: 'pb-runs-view' },
  { id: 'plugins', label: 'Plugins', tag: 'pb-plugin-manager' },
];

/**
 * `<plugboard-app>`: the analyst's app — Evaluate, Train, Runs and Plugins views as tabs over one host (set `host`).
 * Only the open view is in the document. Another view joins with `PlugboardApp.addView({ id, label, tag })`
 * (before or after the element renders); the shell creates its element with `host` and `trackingUri` set.
 * The open view follows the URL hash, so a reload keeps it.
 */
export class PlugboardApp extends LitElement {
  static override properties = {
    host: { attribute: false },
    trackingUri: { attribute: 'tracking-uri' },
    view: { state: true },
  };

  host?: Host;
  trackingUri = 'idb:';
  view = 'evaluate';
  #elements = new Map<string, HTMLElement>();

  static override styles = [
    theme,
    css`
      nav { display: flex; gap: .3rem; border-bottom: 1px solid var(--pb-border, #e1e4e8); margin-bottom: 1rem; }
      nav button { border: none; border-bottom: 3px solid transparent; border-radius: 0; padding: .5rem .9rem; background: none; }
      nav button[aria-selected='true'] { border-bottom-color: var(--pb-accent, #2456c9); font-weight: 600; }
    `,
  ];

  /** Adds a view to every app shell (a later view with the same id replaces the earlier one). */
  static addView(view: AppView): void {
    const index = views.findIndex((existing) => existing.id === view.id);
    if (index === -1) views.push(view);
    else views[index] = view;
    for (const app of document.querySelectorAll('plugboard-app')) app.requestUpdate();
  }

  /** The views every shell shows, in tab order. */
  static views(): readonly AppView[] {
    return [...views];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#followHash();
    window.addEventListener('hashchange', this.#followHash);
    // A finished evaluation is a new run: the Runs view shows it when opened.
    this.addEventListener('pb-evaluation-done', () => this.#elements.delete('runs'));
    this.addEventListener('pb-training-done', () => this.#elements.delete('runs'));
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this.#followHash);
    super.disconnectedCallback();
  }

  #followHash = () => {
    const id = location.hash.slice(1);
    if (views.some((view) => view.id === id)) this.view = id;
  };

  /** Opens a view by id; the URL hash follows. */
  open(id: string): void {
    this.view = id;
    history.replaceState(null, '', `#${id}`);
  }

  #elementOf(view: AppView): HTMLElement {
    let element = this.#elements.get(view.id);
    if (!element) {
      element = document.createElement(view.tag);
      Object.assign(element, { host: this.host, trackingUri: this.trackingUri });
      this.#elements.set(view.id, element);
    }
    return element;
  }

  #onKey(event: KeyboardEvent, index: number): void {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = views[(index + step + views.length) % views.length]!;
    this.open(next.id);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${next.id}`)?.focus());
  }

  override render() {
    if (!this.host) return html`<p>Starting…</p>`;
    const current = views.find((view) => view.id === this.view) ?? views[0]!;
    return html`
      <nav role="tablist" aria-label="Views">
        ${views.map(
          (view, index) => html`<button role="tab" id=${`tab-${view.id}`} aria-selected=${view.id === current.id ? 'true' : 'false'} tabindex=${view.id === current.id ? '0' : '-1'}
            aria-controls="panel" @click=${() => this.open(view.id)} @keydown=${(event: KeyboardEvent) => this.#onKey(event, index)}>${view.label}</button>`,
        )}
      </nav>
      <section id="panel" role="tabpanel" aria-labelledby=${`tab-${current.id}`}>${this.#elementOf(current)}</section>
    `;
  }
}

customElements.define('plugboard-app', PlugboardApp);

declare global {
  interface HTMLElementTagNameMap {
    'plugboard-app': PlugboardApp;
  }
}
