import { defineDataLoader, type DataRecord } from 'plugboard/sdk';
import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type Compressors, type FileMetaData } from 'hyparquet';
import { compressors as allCompressors } from 'hyparquet-compressors';
import { PlugboardError } from '../../errors/index.ts';
import { describeSource, openRandomAccess, type DataSource } from './open-source.ts';
import { createRecordStream, type LoaderOptions, type RecordStream } from './record-stream.ts';
import { sourceError } from './row-error.ts';

/** Options of the `parquet` loader. */
export interface ParquetOptions extends LoaderOptions {
  /** Read only these columns (top-level names); default all. Reading fewer columns reads fewer bytes. */
  columns?: string[];
  /** Bytes read from the end of the file first, to find the footer; default 512 KiB (hyparquet's). */
  footerFetchSize?: number;
}

/** Codecs hyparquet decodes on its own; any other codec is handed hyparquet-compressors. */
const BUILT_IN_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY']);

/**
 * The `parquet` data loader: Apache Parquet through hyparquet, one record per row, one row group at a
 * time. Only the footer and the column chunks of the row group being read are fetched (ranged reads of a
 * Blob, a URL or, in Node, a file), so memory is bounded by the largest row group. INT64 values within
 * ±2^53 become numbers, larger ones stay BigInt; a null value is null. Parquet rows are typed by the schema, so `skipInvalid`
 * has nothing to skip: an unreadable file throws `PARQUET_UNREADABLE`, an unknown column
 * `PARQUET_UNKNOWN_COLUMN` listing the known ones. A string source is a URL or, in Node, a file path.
 */
export const parquet = defineDataLoader((source: DataSource, options: ParquetOptions = {}): RecordStream => {
  const name = describeSource(source, options.sourceName);
  const context = { plugin: 'parquet', name };
  return createRecordStream(options, async function* () {
    const file = await openRandomAccess(source, context);
    try {
      let metadata: FileMetaData;
      try {
        metadata = await parquetMetadataAsync(file, options.footerFetchSize ? { initialFetchSize: options.footerFetchSize } : {});
      } catch (thrown) {
        throw unreadable(name, `it is not a readable Parquet file (${messageText(thrown)})`, thrown);
      }
      const columns = options.columns ? checkColumns(options.columns, metadata, name) : undefined;
      const compressors = compressorsFor(metadata);
      let rowStart = 0;
      for (const [index, group] of metadata.row_groups.entries()) {
        options.signal?.throwIfAborted();
        const rowEnd = rowStart + Number(group.num_rows);
        let rows: Record<string, unknown>[];
        try {
          rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd, ...(columns ? { columns } : {}), ...(compressors ? { compressors } : {}) });
        } catch (thrown) {
          throw unreadable(name, `row group ${index + 1} (rows ${rowStart + 1}–${rowEnd}) cannot be decoded (${messageText(thrown)})`, thrown);
        }
        for (const row of rows) for (const key in row) row[key] = toPlainNumbers(row[key]);
        yield rows as DataRecord[];
        rowStart = rowEnd;
      }
    } finally {
      await file.close();
    }
  });
});

function compressorsFor(metadata: FileMetaData): Compressors | undefined {
  const needsMore = metadata.row_groups.some((group) => group.columns.some((column) => column.meta_data && !BUILT_IN_CODECS.has(column.meta_data.codec)));
  return needsMore ? allCompressors : undefined;
}

function checkColumns(columns: string[], metadata: FileMetaData, source: string): string[] {
  const known = parquetSchema(metadata).children.map((child) => child.element.name);
  const unknown = columns.filter((column) => !known.includes(column));
  if (unknown.length > 0) {
    throw new PlugboardError({
      code: 'PARQUET_UNKNOWN_COLUMN',
      group: 'codex_ml.data_loaders',
      plugin: 'parquet',
      url: source,
      field: unknown[0]!,
      problem: `${source} has no column ${unknown.map((column) => JSON.stringify(column)).join(', ')}; its columns are ${known.map((column) => JSON.stringify(column)).join(', ')}`,
      hint: 'Pass column names exactly as the file spells them.',
    });
  }
  return columns;
}

/** Turns BigInt values that fit a double exactly into numbers and a missing value into null, inside lists and structs too. */
function toPlainNumbers(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = toPlainNumbers(value[i]);
    return value;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>;
    for (const key in record) record[key] = toPlainNumbers(record[key]);
  }
  return value;
}

function unreadable(source: string, problem: string, cause: unknown): PlugboardError {
  return sourceError({
    code: 'PARQUET_UNREADABLE',
    plugin: 'parquet',
    source,
    problem: `${source}: ${problem}`,
    hint: 'Check that the file is a complete Parquet file (written to the end, not truncated).',
    cause,
  });
}

function messageText(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}
