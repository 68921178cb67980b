// Built-in data loaders (codex_ml.data_loaders): stream records from Blobs, URLs and files in bounded memory.
// A string source is a URL, or in Node a file path; it is never the data itself.
export { lines } from './lines.ts';
export type { LinesOptions } from './lines.ts';
export { jsonl } from './jsonl.ts';
export type { JsonlOptions } from './jsonl.ts';
export { csv } from './csv.ts';
export type { CsvOptions } from './csv.ts';
export { parquet } from './parquet.ts';
export type { ParquetOptions } from './parquet.ts';
export { CsvParser } from './csv-parser.ts';
export type { CsvRow } from './csv-parser.ts';
export { readBatches } from './read-batches.ts';
export { SOURCE_LINE } from './record-stream.ts';
export type { LoaderOptions, LoadSummary, RecordStream } from './record-stream.ts';
export { DataRowError } from './row-error.ts';
export { noRowsError } from './no-rows-error.ts';
export type { RowLocation } from './row-error.ts';
export { describeSource } from './open-source.ts';
export type { DataSource } from './open-source.ts';
