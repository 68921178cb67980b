/** The stage of the load path at which a plugin failed (`finalize`: a metric finishing its result). */
export type LoadStage =
  | 'manifest'
  | 'origin'
  | 'fetch'
  | 'integrity'
  | 'lex'
  | 'import'
  | 'timeout'
  | 'validate'
  | 'register'
  | 'finalize';

/** Everything known about a problem where it happened; the message is built from these fields alone. */
export interface ErrorFields {
  /** A stable, SCREAMING_SNAKE code (for example `UNMAPPED_IMPORT`). */
  code: string;
  /** What went wrong, in one sentence that names the bad value and the expected one. */
  problem: string;
  /** What to do about it. */
  hint?: string;
  group?: string;
  plugin?: string;
  url?: string;
  /** A JSON path or field name (`groups.codex_ml.metrics.bleu.url`). */
  field?: string;
  stage?: LoadStage;
  cause?: unknown;
}

/** How `formatError` lays the text out. */
export interface FormatOptions {
  /** One line (a terminal's one-line report): `problem → at field (hint) <url>`. Default: a block. */
  oneLine?: boolean;
}

/**
 * Builds the one text every Plugboard error shows, from its fields: `[group/plugin] problem → at field`, then
 * the url and the hint. Given several problems (a plugin that broke its contract in three places), it prints
 * each problem on its own line and each distinct url and hint once, after them.
 */
export function formatError(fields: ErrorFields | readonly ErrorFields[], options: FormatOptions = {}): string {
  const problems = Array.isArray(fields) ? (fields as readonly ErrorFields[]) : [fields as ErrorFields];
  const heads = problems.map((problem) => {
    const where = problem.group ? `[${problem.group}${problem.plugin ? `/${problem.plugin}` : ''}] ` : '';
    return `${where}${problem.problem}${problem.field ? ` → at ${problem.field}` : ''}`;
  });
  const distinct = (pick: (problem: ErrorFields) => string | undefined) => [...new Set(problems.map(pick).filter((value): value is string => !!value))];
  const urls = distinct((problem) => problem.url);
  const hints = distinct((problem) => problem.hint);
  if (options.oneLine) {
    const head = heads.join('; ');
    // A url the problem already names (a data file's path) is not repeated.
    const tail = [...hints.map((hint) => ` (${hint.replace(/\.$/, '')})`), ...urls.filter((url) => !head.includes(url)).map((url) => ` <${url}>`)];
    // Each whitespace run holding a line break becomes one space; linear on any text (whitespace on both
    // sides of the break in one pattern took quadratic time on long blank runs from outside data).
    return (head + tail.join('')).replace(/\s+/g, (run) => (run.includes('\n') ? ' ' : run));
  }
  return [...heads, ...urls.map((url) => `  url:  ${url}`), ...hints.map((hint) => `  hint: ${hint}`)].join('\n');
}

/**
 * The one error class of the host: every field known at the throw site is kept, so a page can render
 * the fields and nothing needs to parse the message. An error about several problems at once keeps each of
 * them in `problems` (its own fields are the first one's); otherwise `problems` holds just its own fields.
 */
export class PlugboardError extends Error implements ErrorFields {
  override name = 'PlugboardError';
  code: string;
  problem: string;
  hint?: string;
  group?: string;
  plugin?: string;
  url?: string;
  field?: string;
  stage?: LoadStage;
  /** Every problem this error reports, as data: one or more, the first being the error's own fields. */
  readonly problems: readonly ErrorFields[];

  /** Creates the error from its fields; `problems` lists them all when there are several (each with its own field and hint). */
  constructor(fields: ErrorFields & { problems?: readonly ErrorFields[] }) {
    const { problems, cause, ...own } = fields;
    const all = problems && problems.length > 0 ? problems.map(({ cause: _cause, ...problem }) => problem) : [own];
    super(formatError(all), cause === undefined ? undefined : { cause });
    this.code = fields.code;
    this.problem = fields.problem;
    if (fields.hint !== undefined) this.hint = fields.hint;
    if (fields.group !== undefined) this.group = fields.group;
    if (fields.plugin !== undefined) this.plugin = fields.plugin;
    if (fields.url !== undefined) this.url = fields.url;
    if (fields.field !== undefined) this.field = fields.field;
    if (fields.stage !== undefined) this.stage = fields.stage;
    this.problems = all;
  }
}

/**
 * A PlugboardError that is reported, not thrown (a warning). It is made without a stack trace: no one reads it,
 * and capturing it costs more than the rest of the object when overlapping manifests shadow hundreds of entries.
 */
export function warningOf(fields: ErrorFields): PlugboardError {
  const errorClass = Error as { stackTraceLimit?: number };
  const limit = errorClass.stackTraceLimit;
  if (typeof limit !== 'number') return new PlugboardError(fields); // only V8 reads the limit
  errorClass.stackTraceLimit = 0;
  try {
    return new PlugboardError(fields);
  } finally {
    errorClass.stackTraceLimit = limit;
  }
}

/** Describes a value's kind the way error messages name it: `number`, `null`, `array`, `function`, `object`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Returns the message of anything thrown, without its stack. */
export function messageOf(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  return String(thrown);
}
