import { formatError, PlugboardError } from '../errors/index.ts';

/** The fields a data loader's row error carries (DataRowError), read by shape so any copy of the class counts. */
export function asRowError(thrown: unknown): { source: string; line?: number; row: number; field?: string; detail: string; hint?: string } | undefined {
  const shape = thrown as { source?: unknown; row?: unknown; detail?: unknown } | null;
  if (shape && typeof shape === 'object' && typeof shape.source === 'string' && typeof shape.row === 'number' && typeof shape.detail === 'string') {
    return thrown as { source: string; line?: number; row: number; field?: string; detail: string; hint?: string };
  }
  return undefined;
}

/**
 * Turns anything thrown into the CLI's one line, rendered by formatError from the error's fields: a row error
 * with its file, line and field in front, a PlugboardError with its stage, anything else by its message.
 */
export function describeThrown(thrown: unknown): string {
  const row = asRowError(thrown);
  // The loader's hint names its API option; on the command line that option is the --skip-invalid flag.
  if (row) {
    const place = `${row.source}${row.line !== undefined ? ` line ${row.line}` : ` row ${row.row}`}${row.field ? `, field ${JSON.stringify(row.field)}` : ''}`;
    const hint = row.hint?.replace(/\bpass skipInvalid\b/, 'pass --skip-invalid');
    return `plugboard: ${formatError({ code: (thrown as { code?: string }).code ?? 'BAD_ROW', problem: `${place}: ${row.detail}`, ...(hint ? { hint } : {}) }, { oneLine: true })}`;
  }
  if (thrown instanceof PlugboardError || isPlugboardShaped(thrown)) {
    const error = thrown as PlugboardError;
    return `plugboard: ${error.stage ? `${error.stage}: ` : ''}${formatError(error.problems ?? error, { oneLine: true })}`;
  }
  return oneLine(`plugboard: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
}

function isPlugboardShaped(thrown: unknown): boolean {
  const shape = thrown as { code?: unknown; problem?: unknown } | null;
  return !!shape && typeof shape === 'object' && typeof shape.code === 'string' && typeof shape.problem === 'string';
}

/**
 * Joins a multi-line text into one line: each run of whitespace that holds a line break becomes one space.
 * Linear on any text (a pattern with whitespace on both sides of the break took seconds on long blank runs).
 */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, (run) => (run.includes('\n') ? ' ' : run));
}
