import { PlugboardError } from '../../errors/index.ts';

/** Where a bad row sits in its source, as a person counts: 1-based line and 1-based data row. */
export interface RowLocation {
  /** The source as a person names it: a file name, path or URL. */
  source: string;
  /** The 1-based line of the file where the row starts; absent for formats without lines (Parquet). */
  line?: number;
  /** The 1-based number of the data row (a header row and blank lines are not counted); 0 for the header row itself. */
  row: number;
}

/**
 * A row or line a loader cannot read: a PlugboardError whose fields also say where the row is, so a page
 * and the command line can both print "data.csv line 7, field reference" without parsing the message.
 */
export class DataRowError extends PlugboardError {
  override name = 'DataRowError';
  source: string;
  line?: number;
  row: number;
  /** The problem without the location in front, for a caller that prints the location its own way. */
  detail: string;

  /** Builds the error; `field` is the column or JSON field where the row breaks, when one is known. */
  constructor(fields: { code: string; problem: string; hint: string; field?: string; cause?: unknown } & RowLocation) {
    const where = fields.line === undefined ? `row ${fields.row}` : `line ${fields.line}`;
    super({
      code: fields.code,
      group: 'codex_ml.data_loaders',
      url: fields.source,
      problem: `${fields.source} ${where}: ${fields.problem}`,
      hint: fields.hint,
      ...(fields.field === undefined ? {} : { field: fields.field }),
      ...(fields.cause === undefined ? {} : { cause: fields.cause }),
    });
    this.source = fields.source;
    this.detail = fields.problem;
    if (fields.line !== undefined) this.line = fields.line;
    this.row = fields.row;
  }
}

/** Builds a loader-level error (the source cannot be opened or read at all) with the loader's name. */
export function sourceError(fields: { code: string; plugin: string; source: string; problem: string; hint: string; cause?: unknown }): PlugboardError {
  return new PlugboardError({
    code: fields.code,
    group: 'codex_ml.data_loaders',
    plugin: fields.plugin,
    url: fields.source,
    problem: fields.problem,
    hint: fields.hint,
    ...(fields.cause === undefined ? {} : { cause: fields.cause }),
  });
}
