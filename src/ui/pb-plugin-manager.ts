import { LitElement, css, html, nothing } from 'lit';
import { PlugboardError, type ErrorFields } from '../errors/index.ts';
import type { Host } from '../host/index.ts';
import type { CatalogMatch } from '../catalog/index.ts';
import type { DevSourceStatus, InstallPlan, ModuleInstallOptions, PluginStatus } from '../lifecycle/index.ts';
import type { LoadError } from '../loader/index.ts';

/** A failure as the element shows it: the fields of a PlugboardError or a LoadError. */
type Problem = Pick<ErrorFields, 'code' | 'problem' | 'hint' | 'url' | 'field' | 'stage' | 'group' | 'plugin'>;

const STATUS_TEXT: Record<PluginStatus['status'], string> = {
  loaded: 'loaded',
  'not-loaded': 'not yet loaded',
  disabled: 'disabled',
  failed: 'failed',
};

/**
 * The plugin manager: every group with its plugins (name, version, api, description, source, pinned digest,
 * status), "Install from URL" with a review of what would be kept before anything is, and enable/disable,
 * upgrade and uninstall for installed plugins. Set `host`; the element follows `pb-plugins-changed`. Every
 * string a plugin or manifest supplies is rendered as text.
 */
export class PbPluginManager extends LitElement {
  static override properties = {
    host: { attribute: false },
    plan: { state: true },
    failure: { state: true },
    busy: { state: true },
    upgrading: { state: true },
    catalogs: { attribute: false },
    catalogMatches: { state: true },
    devReview: { state: true },
  };

  /** The catalogs every new element starts with, in priority order (the app sets its sample catalog). */
  static defaultCatalogs: string[] = [];

  /** Catalog URLs, in priority order: the same plugin in two catalogs is the first one's. */
  catalogs: string[] = [...PbPluginManager.defaultCatalogs];
  /** What the last catalog search found; undefined before the first search. */
  catalogMatches: CatalogMatch[] | undefined;

  host?: Host;
  /** What an install would keep, shown for confirmation; undefined when nothing is under review. */
  plan: InstallPlan | undefined;
  failure: Problem | undefined;
  busy = false;
  /** What connecting a dev server would load, shown for confirmation; undefined when none is under review. */
  devReview: Awaited<ReturnType<Host['plugins']['inspectDevelopment']>> | undefined;
  /** The installed plugin whose upgrade form is open (`group/name`). */
  upgrading: string | undefined;
  #listening: Host | undefined;
  #onChange = () => this.requestUpdate();

  static override styles = css`
    :host { display: block; font: 14px/1.4 system-ui, sans-serif; }
    form, .review, .file { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: 0 0 1rem; }
    label { display: flex; flex-direction: column; font-size: 12px; color: #444; }
    input[type='url'], input[type='text'] { min-width: 14rem; font: inherit; padding: .2rem .3rem; }
    .review { display: block; border: 1px solid #b9c7d8; background: #f4f8fc; padding: .75rem; }
    section { margin: 0 0 1.25rem; }
    h2 { font-size: 1rem; margin: 0 0 .25rem; }
    h3 { font-size: .95rem; margin: 0 0 .5rem; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
    .mono { font-family: ui-monospace, monospace; font-size: 12px; color: #555; word-break: break-all; }
    .status-loaded { color: #17692b; }
    .status-failed, .error { color: #a1161f; }
    .error { white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 12px; }
    .warn { color: #8a5300; }
  `;

  /** Called when the element joins a document (again, when the app shell shows its view): it renders the plugins as they are now. */
  override connectedCallback(): void {
    super.connectedCallback();
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#listening?.plugins.removeEventListener('pb-plugins-changed', this.#onChange);
    this.#listening = undefined;
  }

  /** Called before each render: follows the current host's changes (and stops following a replaced one). */
  protected override willUpdate(): void {
    if (this.#listening === this.host) return;
    this.#listening?.plugins.removeEventListener('pb-plugins-changed', this.#onChange);
    this.host?.plugins.addEventListener('pb-plugins-changed', this.#onChange);
    this.#listening = this.host;
    // The person's kept catalog list replaces the defaults once it is read.
    const host = this.host;
    void host?.plugins.catalogs().then(
      (kept) => {
        if (kept && this.host === host) this.catalogs = kept;
      },
      (thrown: unknown) => {
        if (thrown instanceof PlugboardError) this.failure = thrown;
      },
    );
  }

  /** Replaces the catalog list (priority order) and keeps it with the installed plugins, so it survives a reload. */
  async setCatalogs(urls: readonly string[]): Promise<void> {
    if (!this.host) return;
    await this.#run(async () => {
      this.catalogs = await this.host!.plugins.setCatalogs(urls);
    });
  }

  /** Reads what installing `url` would keep and shows it for review; keeps nothing. With `module`, one module under its group and name. */
  async review(url: string, module?: ModuleInstallOptions): Promise<void> {
    if (!this.host) return;
    await this.#run(async () => {
      this.plan = await this.host!.plugins.inspect(url, module);
    });
  }

  /** Installs the plan under review, allowing its origins (the person confirmed them). */
  async confirm(): Promise<void> {
    const plan = this.plan;
    if (!this.host || !plan) return;
    await this.#run(async () => {
      await this.host!.plugins.install(plan, { allowOrigin: true });
      this.plan = undefined;
    });
  }

  /** Reads the catalogs and searches them for `query` ('' lists everything); unreadable catalogs show as a problem. */
  async searchCatalogs(query = ''): Promise<void> {
    if (!this.host) return;
    await this.#run(async () => {
      const { matches, problems } = await this.host!.plugins.searchCatalogs(this.catalogs, query);
      this.catalogMatches = matches;
      if (problems[0]) this.failure = problems[0];
    });
  }

  /** Reads what following the `plugboard dev` server at `url` would load and shows it for review; loads nothing. */
  async reviewDevelopment(url: string): Promise<void> {
    if (!this.host) return;
    await this.#run(async () => {
      this.devReview = await this.host!.plugins.inspectDevelopment(url);
    });
  }

  /** Follows the dev server under review, allowing its origins (the person confirmed them). */
  async confirmDevelopment(): Promise<void> {
    const review = this.devReview;
    if (!this.host || !review) return;
    await this.#run(async () => {
      await this.host!.plugins.develop(review.url, { allowOrigin: true });
      this.devReview = undefined;
    });
  }

  override render() {
    if (!this.host) return html`<p>No host yet.</p>`;
    const plugins = this.host.plugins.list();
    const groups = [...new Set(plugins.map((plugin) => plugin.group))];
    return html`
      <form @submit=${this.#submitInstall}>
        <label>Plugin or manifest URL <input name="url" type="url" required placeholder="https://cdn.example/manifest.json" /></label>
        <label>Group (for a module) <input name="group" type="text" placeholder="codex_ml.metrics" /></label>
        <label>Name (for a module) <input name="name" type="text" /></label>
        <button type="submit" ?disabled=${this.busy}>Install</button>
      </form>
      ${this.plan ? this.#renderPlan(this.plan) : nothing}
      ${this.failure ? html`<div role="alert">${renderProblem(this.failure)}</div>` : nothing}
      <div class="file">
        <button type="button" @click=${this.#export}>Export installed plugins</button>
        <label>Import installed plugins <input type="file" accept="application/json,.json" @change=${this.#import} /></label>
        <button type="button" ?disabled=${this.busy} @click=${this.#exportBundle}>Export bundle</button>
        <label>Install bundle <input type="file" accept="application/json,.json" @change=${this.#installBundle} /></label>
      </div>
      ${this.#renderCatalogs()}
      ${this.#renderDevelop()}
      ${groups.map((group) => this.#renderGroup(group, plugins.filter((plugin) => plugin.group === group)))}
    `;
  }

  #renderCatalogs() {
    const search = (event: SubmitEvent) => {
      event.preventDefault();
      void this.searchCatalogs(String(new FormData(event.target as HTMLFormElement).get('query') ?? ''));
    };
    const add = (event: SubmitEvent) => {
      event.preventDefault();
      const form = event.target as HTMLFormElement;
      const url = String(new FormData(form).get('catalog') ?? '').trim();
      form.reset();
      void (url && !this.catalogs.includes(url) ? this.setCatalogs([...this.catalogs, url]) : Promise.resolve()).then(() => this.searchCatalogs(''));
    };
    const without = (url: string) => this.catalogs.filter((each) => each !== url);
    return html`<section aria-label="Catalogs">
      <h2>Catalogs</h2>
      ${this.catalogs.length
        ? html`<ol class="mono">
            ${this.catalogs.map(
              (url, index) => html`<li>${url}
                ${index > 0 ? html`<button type="button" aria-label=${`Move up ${url}`} @click=${() => void this.setCatalogs([...without(url).slice(0, index - 1), url, ...without(url).slice(index - 1)])}>Up</button>` : nothing}
                <button type="button" aria-label=${`Remove ${url}`} @click=${() => void this.setCatalogs(without(url))}>Remove</button></li>`,
            )}
          </ol>`
        : html`<p>No catalog yet.</p>`}
      <form @submit=${add}>
        <!-- "address", not "URL": the one text box named with "URL" is the install box. -->
        <label>Catalog address <input name="catalog" type="text" /></label>
        <button type="submit">Add catalog</button>
      </form>
      <form @submit=${search}>
        <label>Search catalogs <input name="query" type="search" /></label>
        <button type="submit" ?disabled=${this.busy}>Search</button>
      </form>
      ${this.catalogMatches
        ? this.catalogMatches.length === 0
          ? html`<p>No catalog plugin matches.</p>`
          : html`<table>
              <thead><tr><th>group</th><th>name</th><th>description</th><th>catalog</th><th>versions</th><th></th></tr></thead>
              <tbody>
                ${this.catalogMatches.map(
                  (match) => html`<tr data-catalog-plugin=${`${match.group}/${match.name}`}>
                    <td>${match.group}</td><td>${match.name}</td><td>${match.description ?? ''}</td><td class="mono">${match.catalog.name}</td>
                    <td>${match.versions.map((version) => `${version.version}${version.compatible ? '' : ` (needs Plugboard ${version.host ?? '?'})`}`).join(', ')}</td>
                    <td>${match.latest
                      ? html`<button type="button" aria-label=${`Install ${match.name} ${match.latest.version}`} @click=${() => this.#reviewCatalog(match)}>Install ${match.latest.version}</button>`
                      : html`<span class="warn">no version for this Plugboard</span>`}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
        : nothing}
    </section>`;
  }

  #renderDevelop() {
    const connect = (event: SubmitEvent) => {
      event.preventDefault();
      const url = String(new FormData(event.target as HTMLFormElement).get('dev') ?? '').trim();
      if (url) void this.reviewDevelopment(url);
    };
    const review = this.devReview;
    const sources = this.host!.plugins.devSources();
    return html`<section aria-label="Develop">
      <h2>Develop</h2>
      <p>Work on a plugin in place: run <code>npx plugboard dev ./my-plugin</code> and connect the manifest it prints. Its plugins
        come first, are not pinned (their bytes change by design) and reload here whenever a file changes.</p>
      <form @submit=${connect}>
        <!-- "address", not "URL": the one text box named with "URL" is the install box. -->
        <label>Dev server manifest address <input name="dev" type="text" placeholder="http://127.0.0.1:5183/plugins-manifest.json" /></label>
        <button type="submit" ?disabled=${this.busy}>Connect</button>
      </form>
      ${review
        ? html`<div class="review" role="region" aria-label="Review development source">
            <h3>Develop from ${review.url}?</h3>
            <p>Origins: ${review.origins.map((origin) => html`<span class="mono">${origin.origin}</span>${origin.allowed ? ' (allowed)' : html` <strong class="warn">(not allowed yet)</strong>`} `)}</p>
            <p class="warn">Its code runs in this page, and is not pinned: it is reloaded whenever the dev server reports a change.</p>
            <p>${review.entries.map((entry) => html`<span class="mono">${entry.group}/${entry.name}</span> `)}</p>
            <p>
              <button type="button" ?disabled=${this.busy} @click=${() => this.confirmDevelopment()}>Confirm connect</button>
              <button type="button" @click=${() => (this.devReview = undefined)}>Cancel</button>
            </p>
          </div>`
        : nothing}
      ${sources.map((source) => this.#renderDevSource(source))}
    </section>`;
  }

  #renderDevSource(source: DevSourceStatus) {
    return html`<div class="dev-source" data-dev-source=${source.url} data-state=${source.state} data-generation=${String(source.generation)}>
      <p>
        <span class="mono">${source.url}</span> — ${source.state === 'connected' ? 'connected' : source.state === 'lost' ? 'lost, retrying' : 'connecting'},
        generation ${source.generation}${source.reloadedAt ? `, reloaded ${new Date(source.reloadedAt).toLocaleTimeString()}` : ''}
        <button type="button" aria-label=${`Disconnect ${source.url}`} @click=${() => this.#act(() => this.host!.plugins.stopDeveloping(source.url))}>Disconnect</button>
      </p>
      ${source.problems.map((problem) => html`<div role="alert">${renderProblem(problem as Problem)}</div>`)}
    </div>`;
  }

  #reviewCatalog(match: CatalogMatch): void {
    void this.#run(async () => {
      this.plan = await this.host!.plugins.inspectCatalogVersion(match);
    });
  }

  #renderPlan(plan: InstallPlan) {
    const blocked = plan.origins.filter((origin) => !origin.allowed);
    return html`<div class="review" role="region" aria-label="Review install">
      <h3>Install from ${plan.source}?</h3>
      <p>Origins: ${plan.origins.map((origin) => html`<span class="mono">${origin.origin}</span>${origin.allowed ? ' (allowed)' : html` <strong class="warn">(not allowed yet)</strong>`} `)}</p>
      ${blocked.length ? html`<p class="warn">Installing adds ${blocked.map((origin) => origin.origin).join(', ')} to the allowed origins.</p>` : nothing}
      <table>
        <thead><tr><th>group</th><th>name</th><th>version</th><th>module</th><th>digest</th></tr></thead>
        <tbody>
          ${plan.entries.map(
            (entry) => html`<tr>
              <td>${entry.group}</td><td>${entry.name}</td><td>${entry.version ?? ''}</td>
              <td class="mono">${entry.url}#${entry.export}${renderImported(entry.modules)}</td>
              <td class="mono">${entry.integrity}${entry.pinnedOnFirstUse ? ' (pinned now: trust on first use)' : ''}${
                entry.shadows ? html`<div class="warn">replaces the entry from ${entry.shadows}</div>` : nothing
              }</td>
            </tr>`,
          )}
        </tbody>
      </table>
      <p>
        <button type="button" ?disabled=${this.busy} @click=${() => this.confirm()}>Confirm install</button>
        <button type="button" @click=${() => (this.plan = undefined)}>Cancel</button>
      </p>
    </div>`;
  }

  #renderGroup(group: string, plugins: PluginStatus[]) {
    return html`<section data-group=${group}>
      <h2>${group}</h2>
      <table>
        <thead><tr><th>name</th><th>version</th><th>api</th><th>description</th><th>source</th><th>digest</th><th>status</th><th>actions</th></tr></thead>
        <tbody>${plugins.map((plugin) => this.#renderPlugin(plugin))}</tbody>
      </table>
    </section>`;
  }

  #renderPlugin(plugin: PluginStatus) {
    const key = `${plugin.group}/${plugin.name}`;
    const canManage = plugin.installed || plugin.status === 'disabled';
    return html`<tr data-plugin=${key} data-status=${plugin.status} data-installed=${canManage ? 'yes' : 'no'} data-development=${plugin.development ? 'yes' : 'no'}>
      <td>${plugin.name}</td><td>${plugin.version ?? ''}</td><td>${plugin.api ?? ''}</td><td>${plugin.description ?? ''}</td>
      <td class="mono">${plugin.source}</td>
      <td class="mono">${plugin.development ? 'not pinned (development)' : (plugin.integrity ?? '')}</td>
      <td class="status-${plugin.status}">${plugin.development ? 'development, ' : ''}${STATUS_TEXT[plugin.status]}${plugin.error ? renderProblem(plugin.error) : nothing}</td>
      <td>
        ${plugin.status === 'not-loaded' || plugin.status === 'failed'
          ? html`<button type="button" aria-label=${`Load ${plugin.name}`} @click=${() => this.#act(() => this.host!.load(plugin.group, plugin.name))}>Load</button>`
          : nothing}
        ${canManage
          ? html`
              ${plugin.status === 'disabled'
                ? html`<button type="button" aria-label=${`Enable ${plugin.name}`} @click=${() => this.#act(() => this.host!.plugins.enable(plugin.group, plugin.name))}>Enable</button>`
                : html`<button type="button" aria-label=${`Disable ${plugin.name}`} @click=${() => this.#act(() => this.host!.plugins.disable(plugin.group, plugin.name))}>Disable</button>`}
              <button type="button" aria-label=${`Upgrade ${plugin.name}`} @click=${() => (this.upgrading = this.upgrading === key ? undefined : key)}>Upgrade</button>
              <button type="button" aria-label=${`Uninstall ${plugin.name}`} @click=${() => this.#act(() => this.host!.plugins.uninstall(plugin.group, plugin.name))}>Uninstall</button>
              ${this.upgrading === key ? this.#renderUpgrade(plugin) : nothing}
            `
          : nothing}
      </td>
    </tr>`;
  }

  #renderUpgrade(plugin: PluginStatus) {
    const submit = (event: SubmitEvent) => {
      event.preventDefault();
      const url = String(new FormData(event.target as HTMLFormElement).get('url') ?? '').trim();
      void this.#act(async () => {
        await this.host!.plugins.upgrade(plugin.group, plugin.name, url ? { url, allowOrigin: true } : {});
        this.upgrading = undefined;
      });
    };
    return html`<form @submit=${submit}>
      <label>New URL for ${plugin.name} (empty: what its source serves now)<input name="url" type="text" /></label>
      <button type="submit">Apply upgrade</button>
    </form>`;
  }

  #submitInstall = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const url = String(form.get('url') ?? '').trim();
    const group = String(form.get('group') ?? '').trim();
    const name = String(form.get('name') ?? '').trim();
    if (!url) return;
    if ((group === '') !== (name === '')) {
      this.failure = { code: 'MODULE_NEEDS_GROUP_AND_NAME', problem: 'a module URL needs both a group and a name', hint: 'Fill in both, or leave both empty to install a manifest.' };
      return;
    }
    void this.review(url, group ? { group, name } : undefined);
  };

  #export = () => {
    if (!this.host) return;
    download(this.host.plugins.exportInstalled(), 'plugboard-installed.json');
  };

  #exportBundle = async () => {
    if (!this.host) return;
    await this.#run(async () => download(await this.host!.plugins.bundle(), 'plugboard-bundle.json'));
  };

  #installBundle = (event: Event) =>
    this.#useChosenJson(event, { code: 'INVALID_BUNDLE', madeBy: 'Export bundle' }, (json) => this.host!.plugins.installBundle(json, { allowOrigin: true }));

  #import = (event: Event) =>
    this.#useChosenJson(event, { code: 'INVALID_INSTALLED_FILE', madeBy: 'Export installed plugins' }, (json) =>
      this.host!.plugins.importInstalled(json, { allowOrigin: true }),
    );

  /** Reads the file chosen in a file input as JSON and hands it on; a file that is not JSON fails naming it and the button that makes such files. */
  async #useChosenJson(event: Event, expected: { code: string; madeBy: string }, use: (json: unknown) => Promise<unknown>): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file || !this.host) return;
    await this.#run(async () => {
      let json: unknown;
      try {
        json = JSON.parse(await file.text());
      } catch (thrown) {
        throw new PlugboardError({
          code: expected.code,
          problem: `${file.name} is not JSON: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
          hint: `Choose a file made by "${expected.madeBy}".`,
        });
      }
      await use(json);
    });
    input.value = '';
  }

  async #act(work: () => Promise<unknown>): Promise<void> {
    await this.#run(async () => {
      await work();
    });
  }

  async #run(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.failure = undefined;
    try {
      await work();
    } catch (thrown) {
      this.failure = toProblem(thrown);
    } finally {
      this.busy = false;
      this.requestUpdate();
    }
  }
}

/** The modules a plugin imports, each with the digest it is pinned to, for the install review. */
function renderImported(modules: Record<string, string> | undefined) {
  const pinned = Object.entries(modules ?? {});
  if (pinned.length === 0) return nothing;
  return html`<details>
    <summary>imports ${pinned.length} module${pinned.length === 1 ? '' : 's'}, each pinned</summary>
    <ul>${pinned.map(([url, integrity]) => html`<li>${url} ${integrity}</li>`)}</ul>
  </details>`;
}

function toProblem(thrown: unknown): Problem {
  const fields = thrown as Partial<Problem> | null;
  if (fields && typeof fields === 'object' && typeof fields.problem === 'string') return { code: fields.code ?? 'FAILED', ...fields } as Problem;
  return { code: 'FAILED', problem: thrown instanceof Error ? thrown.message : String(thrown) };
}

/** Renders a problem from its fields (never parsed out of a message), each as text. */
function renderProblem(problem: Problem | LoadError) {
  const where = problem.group ? `[${problem.group}${problem.plugin ? `/${problem.plugin}` : ''}] ` : '';
  return html`<div class="error" data-code=${problem.code} data-stage=${problem.stage ?? ''}>${problem.stage ? `${problem.stage}: ` : ''}${where}${problem.problem}${
    problem.field ? ` → at ${problem.field}` : ''
  }${problem.url ? `\nurl: ${problem.url}` : ''}${problem.hint ? `\nhint: ${problem.hint}` : ''}</div>`;
}

customElements.define('pb-plugin-manager', PbPluginManager);

declare global {
  interface HTMLElementTagNameMap {
    'pb-plugin-manager': PbPluginManager;
  }
}

/** Saves `content` as a JSON file through a download link. */
function download(content: unknown, name: string): void {
  const blob = new Blob([`${JSON.stringify(content, null, 2)}\n`], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}
