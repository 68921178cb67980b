// The metric options come from the declarations alone, so the help loads no metric code.
import { BUILTIN_METRIC_OPTIONS, formatOptionsHelp } from '../plugins/metrics/options/index.ts';
import { DEFAULT_DEV_PORT } from '../dev-server/index.ts';

/** The usage lines of the cache flags every command that loads plugins takes. */
const CACHE_USAGE = `    --cache-dir DIR          where modules fetched over http(s) are kept (default: $XDG_CACHE_HOME/plugboard,
                             else ~/.cache/plugboard)
    --no-cache               keep nothing on disk and fetch every http(s) module again`;

/** The usage text of each command; `plugboard --help` prints them all. */
export const USAGE = {
  eval: `plugboard eval --metric NAME --data FILE [options]
  Streams FILE through a data loader into one or more metrics and prints one JSON object:
  {"metric": NAME, "rows": N, "result": ...}, or with several --metric {"metrics": [...], "rows": N, "results": {...}}.
    --metric NAME            a codex_ml.metrics entry point (repeat for several)
    --data FILE              a file path or an http(s)/file URL
    --loader NAME            lines | jsonl | csv | parquet (default: from the extension:
                             .txt lines, .jsonl/.ndjson jsonl, .csv csv, .tsv csv with tabs, .parquet parquet)
    --predictions FIELD      the prediction field of each record (default: prediction)
    --references FIELD       the reference field; it may hold an array of references (default: reference)
    --option KEY=VALUE       a metric option; VALUE is JSON when it parses (true, 3, "x", [..]), else text;
                             METRIC.KEY=VALUE gives it to that metric only (repeatable)
    --loader-option KEY=VALUE  an option of the data loader, e.g. delimiter=";" (repeatable)
    --skip-invalid           skip malformed rows instead of stopping; their count goes to stderr
    --batch-size N           records per metric update (default: 1024)
    --tracking-uri URI       log the evaluation as a run there: params, metrics, provenance tags, results.json and
                             the file as artifacts; an MLflow server (http://host:5000) or idb: (default: the
                             MLFLOW_TRACKING_URI environment variable; no logging when neither is set)
    --experiment-id ID       the experiment of the run (default: MLFLOW_EXPERIMENT_ID, else "0")
    --run-name NAME          the run's name (default: "eval <file>")
    --manifest PATH_OR_URL   a plugin manifest layered before the built-in one (repeatable)
    --bundle FILE            install the plugins of a bundle (see freeze) first, from its bytes, with no network
    --allow-origin ORIGIN    an origin plugins may load from, besides the manifests' own (repeatable)
${CACHE_USAGE}`,
  list: `plugboard list [--group GROUP] [--json]
  Lists the groups and entry points of the built-in and given manifests: name, version, api, description,
  and the manifest that declares each. Runs no plugin code.
    --group GROUP            only this group
    --manifest PATH_OR_URL   a plugin manifest layered before the built-in one (repeatable)
    --json                   print JSON instead of text
${CACHE_USAGE}`,
  check: `plugboard check MANIFEST | --bundle FILE [--json] [--cache-dir DIR | --no-cache]
  Validates MANIFEST (a path or URL), then preflights, loads and validates every plugin it declares, and
  prints the load report. Exits 1 when anything failed.
    --bundle FILE            check a bundle instead (see freeze): its plugins install from the bytes it holds,
                             with no network, and bytes that do not match their pins are refused
    --allow-origin ORIGIN    only these origins (default: every origin the manifest names)
    --json                   print the report as JSON
${CACHE_USAGE}`,
  freeze: `plugboard freeze SOURCE... [--lock FILE] [--bundle FILE]
  Like pip freeze + pip download: installs what each SOURCE declares — a manifest, a lock or installed-plugins
  file (the page's "Export installed plugins"), or a bundle — fetching, pinning (the manifest's digest, else
  the SHA-384 of the bytes read now) and validating every plugin and every module it imports as a load does,
  then writes the lock and/or the bundle. With neither flag it prints the lock.
    --lock FILE              write the lock: groups, names, versions, URLs, digests (the installed-plugins format
                             the page imports)
    --bundle FILE            write the bundle: the lock plus the bytes of every module, for eval/check --bundle
                             and the page's "Install bundle", with no network
    --allow-origin ORIGIN    only the sources' own origins and these (default: every origin the sources name)
${CACHE_USAGE}`,
  dev: `plugboard dev FOLDER [--port N] [--origin ORIGIN]
  Serves a plugin folder you are working on to a running app, like pip install -e: FOLDER holds a
  plugins-manifest.json or a package.json with a "plugboard" field. Checks the manifest at start and after each
  change (problems name the file and JSON path), serves the files on 127.0.0.1, and tells connected apps when a
  file changed so they reload its plugins in place. Prints the manifest URL to connect in the app (Plugins →
  Develop). Development plugins are not pinned: their bytes change by design. Ctrl+C stops it.
    --port N                 the port on 127.0.0.1 (default: ${DEFAULT_DEV_PORT}; 0 for any free port)
    --origin ORIGIN          an app origin that may connect besides pages of localhost, 127.0.0.1 and [::1]
                             (repeatable), e.g. https://app.example`,
} as const;

/** The text `plugboard COMMAND --help` prints: the usage, and for `eval` the options of every built-in metric. */
export function commandHelp(command: keyof typeof USAGE): string {
  if (command !== 'eval') return USAGE[command];
  const options = formatOptionsHelp(BUILTIN_METRIC_OPTIONS).split('\n').map((line) => `  ${line}`).join('\n');
  return `${USAGE.eval}\n\n  Options of the built-in metrics (--option KEY=VALUE or METRIC.KEY=VALUE; see docs/METRICS.md):\n${options}`;
}

/** The whole usage text: every command. */
export function fullUsage(): string {
  const commands = Object.values(USAGE).map((text) => `  ${text.split('\n').join('\n  ')}`);
  return ['Usage:', ...commands, '  plugboard --version (or -V)\n    Prints the version of Plugboard.'].join('\n\n');
}

/** A mistake in how the command was called: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly command: keyof typeof USAGE | undefined;

  /** Creates the error; `command` picks the usage text printed with it (all of them when undefined). */
  constructor(message: string, command?: keyof typeof USAGE) {
    super(message);
    this.command = command;
  }
}
