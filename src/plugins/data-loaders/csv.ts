import { defineDataLoader, type DataRecord } from 'plugboard/sdk';
import { PlugboardError } from '../../errors/index.ts';
import { CsvParser, type CsvRow } from './csv-parser.ts';
import { describeSource, readBytes, type DataSource } from './open-source.ts';
import { decodeText } from './read-text.ts';
import { createRecordStream, SOURCE_LINE, type LoaderOptions, type RecordStream, type SkipPolicy } from './record-stream.ts';
import { DataRowError } from './row-error.ts';

/** Options of the `csv` loader. */
export interface CsvOptions extends LoaderOptions {
  /** The field delimiter, one character; default `,` (use `\t` for TSV). */
  delimiter?: string;
  /** Whether the first row names the columns; default true. */
  header?: boolean;
  /** Column names to use when `header` is false; without them the keys are "0", "1", … */
  columns?: string[];
}

const HINT =
  'Quote a field that holds the delimiter, a quote or a line break ("a, b"), double each quote inside it (""), ' +
  'or pass skipInvalid to skip such rows.';

/**
 * The `csv` data loader: RFC 4180 CSV, streamed; one record per row keyed by the header row (or by
 * `columns`, or by "0", "1", … with `header: false`). Values are strings, never converted. A BOM, CRLF
 * line ends, quoted delimiters, doubled quotes and line breaks inside quotes are accepted; blank lines are
 * skipped. A row with the wrong number of fields or broken quoting throws a DataRowError naming its line
 * and field (or is skipped and counted with `skipInvalid`). Throws `CSV_BAD_OPTION` at once for a bad
 * delimiter, and `CSV_DUPLICATE_COLUMN` when the header names a column twice. A string source is a URL,
 * or in Node a file path — never the CSV text itself.
 */
export const csv = defineDataLoader((source: DataSource, options: CsvOptions = {}): RecordStream => {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new PlugboardError({
      code: 'CSV_BAD_OPTION',
      group: 'codex_ml.data_loaders',
      plugin: 'csv',
      field: 'delimiter',
      problem: `the delimiter must be one character other than a quote or a line break, received ${JSON.stringify(delimiter)}`,
      hint: 'Pass delimiter: "," or ";" or "\\t".',
    });
  }
  const name = describeSource(source, options.sourceName);
  const context = { plugin: 'csv', name, ...(options.signal ? { signal: options.signal } : {}) };
  return createRecordStream(options, async function* (policy) {
    const parser = new CsvParser(delimiter);
    const table = new CsvTable(name, options, policy);
    for await (const text of decodeText(readBytes(source, context), context, () => readBytes(source, context))) yield table.toRecords(parser.feed(text));
    yield table.toRecords(parser.feed('', true));
  });
});

/** Turns parsed rows into records: takes the header, checks every row's width, counts data rows. */
class CsvTable {
  #names: string[] | undefined;
  #row = 0;
  readonly #source: string;
  readonly #policy: SkipPolicy;
  readonly #wantsHeader: boolean;

  constructor(source: string, options: CsvOptions, policy: SkipPolicy) {
    this.#source = source;
    this.#policy = policy;
    if (options.header === false && options.columns) this.#names = [...options.columns];
    this.#wantsHeader = options.header !== false;
  }

  toRecords(rows: CsvRow[]): DataRecord[] {
    const records: DataRecord[] = [];
    for (const parsed of rows) {
      if (this.#names === undefined) {
        if (this.#wantsHeader) {
          this.#takeHeader(parsed);
          continue;
        }
        this.#names = parsed.fields.map((_, index) => String(index));
      }
      const names = this.#names;
      const row = ++this.#row;
      const { fields, line } = parsed;
      if (parsed.problem) {
        const column = parsed.problem.column;
        this.#reject(line, row, names[column - 1] ?? `column ${column}`, parsed.problem.message);
        continue;
      }
      if (fields.length !== names.length) {
        const field = fields.length < names.length ? names[fields.length]! : `column ${names.length + 1}`;
        const detail = fields.length < names.length ? `, so field "${field}" is missing` : '';
        this.#reject(line, row, field, `expected ${names.length} field${names.length === 1 ? '' : 's'} (${names.join(', ')}), found ${fields.length}${detail}`);
        continue;
      }
      const record: DataRecord = {};
      for (let i = 0; i < names.length; i++) {
        // defineProperty keeps a column named "__proto__" an ordinary field.
        if (names[i] === '__proto__') Object.defineProperty(record, '__proto__', { value: fields[i], enumerable: true, writable: true, configurable: true });
        else record[names[i]!] = fields[i];
      }
      (record as Record<PropertyKey, unknown>)[SOURCE_LINE] = line;
      records.push(record);
    }
    return records;
  }

  #takeHeader(parsed: CsvRow): void {
    if (parsed.problem) {
      throw new DataRowError({ code: 'CSV_BAD_HEADER', source: this.#source, line: parsed.line, row: 0, field: `column ${parsed.problem.column}`, problem: `the header row is malformed: ${parsed.problem.message}`, hint: HINT });
    }
    const seen = new Set<string>();
    for (const name of parsed.fields) {
      if (seen.has(name)) {
        throw new DataRowError({
          code: 'CSV_DUPLICATE_COLUMN',
          source: this.#source,
          line: parsed.line,
          row: 0,
          field: name,
          problem: `the header names the column "${name}" twice`,
          hint: 'Give every column a distinct name, or pass header: false with columns: [...].',
        });
      }
      seen.add(name);
    }
    this.#names = parsed.fields;
  }

  #reject(line: number, row: number, field: string, problem: string): void {
    this.#policy.reject(new DataRowError({ code: 'CSV_MALFORMED_ROW', source: this.#source, line, row, field, problem, hint: HINT }));
  }
}
