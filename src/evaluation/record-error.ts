import { PlugboardError } from '../errors/index.ts';

/** Where a record sits in its source: the 1-based data row, and the 1-based line for text formats. */
export interface RecordPlace {
  source: string;
  line?: number;
  row: number;
}

/**
 * A record an evaluation cannot score: a PlugboardError that also says where the record is (`source`,
 * `line`, `row`) and holds the problem without the place (`detail`), so a page and the command line each
 * print the place their own way — the same shape as a data loader's DataRowError.
 */
export class RecordError extends PlugboardError {
  override name = 'RecordError';
  source: string;
  line?: number;
  row: number;
  detail: string;

  /** Builds the error; `field` is the record's field (the column) that holds the bad value. */
  constructor(fields: { code: string; problem: string; hint: string; field: string; group?: string; plugin?: string; cause?: unknown } & RecordPlace) {
    const where = fields.line === undefined ? `row ${fields.row}` : `line ${fields.line}`;
    super({
      code: fields.code,
      problem: `${fields.source} ${where}: ${fields.problem}`,
      hint: fields.hint,
      field: fields.field,
      url: fields.source,
      ...(fields.group === undefined ? {} : { group: fields.group }),
      ...(fields.plugin === undefined ? {} : { plugin: fields.plugin }),
      ...(fields.cause === undefined ? {} : { cause: fields.cause }),
    });
    this.source = fields.source;
    this.detail = fields.problem;
    if (fields.line !== undefined) this.line = fields.line;
    this.row = fields.row;
  }
}
