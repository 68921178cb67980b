/** The stage of the load path at which a plugin failed. */
export type LoadStage =
  | 'manifest'
  | 'origin'
  | 'fetch'
  | 'integrity'
  | 'lex'
  | 'import'
  | 'timeout'
  | 'validate'
  | 'register';

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

/** Builds the one text every Plugboard error shows, from its fields. */
export function formatError(fields: ErrorFields): string {
  const where = fields.group ? `[${fields.group}${fields.plugin ? `/${fields.plugin}` : ''}] ` : '';
  const field = fields.field ? ` → at ${fields.field}` : '';
  const lines = [`${where}${fields.problem}${field}`];
  if (fields.url) lines.push(`  url:  ${fields.url}`);
  if (fields.hint) lines.push(`  hint: ${fields.hint}`);
  return lines.join('\n');
}

/**
 * The one error class of the host: every field known at the throw site is kept, so a page can render
 * the fields and nothing needs to parse the message.
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

  constructor(fields: ErrorFields) {
    super(formatError(fields), fields.cause === undefined ? undefined : { cause: fields.cause });
    this.code = fields.code;
    this.problem = fields.problem;
    if (fields.hint !== undefined) this.hint = fields.hint;
    if (fields.group !== undefined) this.group = fields.group;
    if (fields.plugin !== undefined) this.plugin = fields.plugin;
    if (fields.url !== undefined) this.url = fields.url;
    if (fields.field !== undefined) this.field = fields.field;
    if (fields.stage !== undefined) this.stage = fields.stage;
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
