import { defineDataLoader, type DataRecord } from 'plugboard/sdk';
import { describeValue } from '../../errors/index.ts';
import { describeSource, readBytes, type DataSource } from './open-source.ts';
import { decodeText, LineSplitter } from './read-text.ts';
import { createRecordStream, SOURCE_LINE, type LoaderOptions, type RecordStream, type SkipPolicy } from './record-stream.ts';
import { DataRowError } from './row-error.ts';

/** Options of the `jsonl` loader. */
export type JsonlOptions = LoaderOptions;

const HINT = 'Write one JSON object per line (JSON Lines); pass skipInvalid to skip lines that are not.';

/**
 * The `jsonl` data loader: one record per line of a JSON Lines source, streamed. Empty and blank lines
 * are skipped; a BOM and CRLF line ends are accepted. A line that is not valid JSON, or is JSON but not
 * an object, throws a DataRowError with its line number (or is skipped and counted with `skipInvalid`).
 * A string source is a URL, or in Node a file path — never the text itself.
 */
export const jsonl = defineDataLoader((source: DataSource, options: JsonlOptions = {}): RecordStream => {
  const name = describeSource(source, options.sourceName);
  const context = { plugin: 'jsonl', name, ...(options.signal ? { signal: options.signal } : {}) };
  return createRecordStream(options, async function* (policy) {
    const splitter = new LineSplitter();
    const state = { line: 0, row: 0 };
    for await (const text of decodeText(readBytes(source, context), context, () => readBytes(source, context))) yield parseLines(splitter.feed(text), state, name, policy);
    yield parseLines(splitter.end(), state, name, policy);
  });
});

function parseLines(texts: string[], state: { line: number; row: number }, source: string, policy: SkipPolicy): DataRecord[] {
  const records: DataRecord[] = [];
  for (const text of texts) {
    const line = ++state.line;
    if (isBlank(text)) continue;
    const row = ++state.row;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (thrown) {
      const detail = thrown instanceof Error ? thrown.message : String(thrown);
      const position = /position (\d+)/.exec(detail);
      policy.reject(
        new DataRowError({
          code: 'JSONL_INVALID_JSON',
          source,
          line,
          row,
          problem: `not valid JSON${position ? ` at column ${Number(position[1]) + 1}` : ''} (${detail})`,
          hint: HINT,
          cause: thrown,
        }),
      );
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      policy.reject(
        new DataRowError({ code: 'JSONL_NOT_AN_OBJECT', source, line, row, problem: `expected a JSON object, found ${describeValue(value)}`, hint: HINT }),
      );
      continue;
    }
    (value as Record<PropertyKey, unknown>)[SOURCE_LINE] = line;
    records.push(value as DataRecord);
  }
  return records;
}

function isBlank(text: string): boolean {
  // A line that starts with "{" is not blank; checking it first spares a trim() per record.
  return text.length === 0 || (text.charCodeAt(0) !== 123 && text.trim() === '');
}
