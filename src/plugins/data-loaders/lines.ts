import { defineDataLoader, type DataRecord } from 'plugboard/sdk';
import { describeSource, readBytes, type DataSource } from './open-source.ts';
import { decodeText, LineSplitter } from './read-text.ts';
import { createRecordStream, SOURCE_LINE, type LoaderOptions, type RecordStream } from './record-stream.ts';

/** Options of the `lines` loader. */
export interface LinesOptions extends LoaderOptions {
  /** The record field that holds the line; default `text`. */
  field?: string;
  /** Drop empty lines instead of yielding `{ text: "" }`; default false (an empty line is a record). */
  skipEmpty?: boolean;
}

/**
 * The `lines` data loader: one record `{ text }` per line of a UTF-8 text source, streamed. Lines end at
 * LF or CRLF; a BOM is dropped; a last line without a line break is a record, a final line break adds
 * none. Empty lines are records (so two files of predictions and references stay aligned) unless
 * `skipEmpty` is set. A string source is a URL, or in Node a file path — never the text itself.
 */
export const lines = defineDataLoader((source: DataSource, options: LinesOptions = {}): RecordStream => {
  const field = options.field ?? 'text';
  const context = { plugin: 'lines', name: describeSource(source, options.sourceName), ...(options.signal ? { signal: options.signal } : {}) };
  return createRecordStream(options, async function* () {
    const splitter = new LineSplitter();
    let line = 0;
    const toRecords = (texts: string[]): DataRecord[] => {
      const records: DataRecord[] = [];
      for (const text of texts) {
        line++;
        if (options.skipEmpty && text.length === 0) continue;
        records.push({ [field]: text, [SOURCE_LINE]: line } as DataRecord);
      }
      return records;
    };
    for await (const text of decodeText(readBytes(source, context), context, () => readBytes(source, context))) yield toRecords(splitter.feed(text));
    yield toRecords(splitter.end());
  });
});
