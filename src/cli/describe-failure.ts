import { formatError, PlugboardError } from '../errors/index.ts';

/** Where a record came from, as the CLI reports it: the file, the line when known, else the row. */
export interface RecordPlace {
  source: string;
  line?: number;
  row: number;
}

/** Builds the one line the CLI prints for bad input: `plugboard: data.csv line 7, field "reference": … (hint)`. */
export function badInputLine(place: RecordPlace | undefined, field: string | undefined, problem: string, hint?: string): string {
  const where = place ? `${place.source}${place.line !== undefined ? ` line ${place.line}` : ` row ${place.row}`}` : '';
  const what = field ? `${where ? ', ' : ''}field ${JSON.stringify(field)}` : '';
  const prefix = where || what ? `${where}${what}: ` : '';
  const tail = hint ? ` (${hint.replace(/\.$/, '')})` : '';
  return oneLine(`plugboard: ${prefix}${problem.replace(/\.$/, '')}${tail}`);
}

/** The fields a data loader's row error carries (DataRowError), read by shape so any copy of the class counts. */
export function asRowError(thrown: unknown): { source: string; line?: number; row: number; field?: string; detail: string; hint?: string } | undefined {
  const shape = thrown as { source?: unknown; row?: unknown; detail?: unknown } | null;
  if (shape && typeof shape === 'object' && typeof shape.source === 'string' && typeof shape.row === 'number' && typeof shape.detail === 'string') {
    return thrown as { source: string; line?: number; row: number; field?: string; detail: string; hint?: string };
  }
  return undefined;
}

/** Turns anything thrown into the CLI's one line: a row error with its place, a PlugboardError with its plugin and hint, anything else by its message. */
export function describeThrown(thrown: unknown): string {
  const row = asRowError(thrown);
  // The loader's hint names its API option; on the command line that option is the --skip-invalid flag.
  if (row) return badInputLine(row, row.field, row.detail, row.hint?.replace(/\bpass skipInvalid\b/, 'pass --skip-invalid'));
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
