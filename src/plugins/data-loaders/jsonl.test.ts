import { describe, expect, it } from 'vitest';
import { DataRowError } from './row-error.ts';
import { jsonl } from './jsonl.ts';
import { SOURCE_LINE } from './record-stream.ts';

async function collect(iterable: AsyncIterable<Record<PropertyKey, unknown>>) {
  const out: Record<PropertyKey, unknown>[] = [];
  for await (const record of iterable) out.push(record);
  return out;
}
/** A record's string-keyed fields only: the SOURCE_LINE symbol is checked on its own. */
const plain = (record: Record<PropertyKey, unknown>) => Object.fromEntries(Object.entries(record));
const file = (text: string) => new File([text], 'data.jsonl');

describe('jsonl', () => {
  it('yields one object per line, skipping empty and blank lines, with BOM and CRLF', async () => {
    const records = await collect(jsonl(file('\uFEFF{"a":1}\r\n\r\n   \r\n{"a":"é"}')));
    expect(records.map(plain)).toEqual([{ a: 1 }, { a: 'é' }]);
    expect(records.map((record) => record[SOURCE_LINE])).toEqual([1, 4]);
  });

  it('throws a DataRowError naming the file, the line and the column of invalid JSON', async () => {
    const error = await collect(jsonl(file('{"a":1}\n\n{"a":2,}\n'))).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DataRowError);
    expect(error).toMatchObject({ code: 'JSONL_INVALID_JSON', source: 'data.jsonl', line: 3, row: 2, url: 'data.jsonl' });
    expect((error as DataRowError).problem).toMatch(/^data\.jsonl line 3: not valid JSON at column \d+/);
    expect((error as DataRowError).hint).toMatch(/skipInvalid/);
  });

  it('throws JSONL_NOT_AN_OBJECT for a line that is JSON but not an object', async () => {
    await expect(collect(jsonl(file('[1,2]\n')))).rejects.toMatchObject({ code: 'JSONL_NOT_AN_OBJECT', line: 1, problem: expect.stringContaining('found array') });
    await expect(collect(jsonl(file('{}\nnull\n')))).rejects.toMatchObject({ code: 'JSONL_NOT_AN_OBJECT', line: 2, problem: expect.stringContaining('found null') });
  });

  it('skips bad lines with skipInvalid, tells onSkip and counts them in the summary', async () => {
    const skipped: number[] = [];
    const stream = jsonl(file('{"a":1}\nnot json\n{"a":2}\n7\n'), { skipInvalid: true, onSkip: (error) => skipped.push(error.line!) });
    expect((await collect(stream)).map(plain)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(skipped).toEqual([2, 4]);
    expect(stream.summary).toMatchObject({ records: 2, skipped: 2 });
    expect(stream.summary.skippedExamples.map((error) => error.code)).toEqual(['JSONL_INVALID_JSON', 'JSONL_NOT_AN_OBJECT']);
  });

  it('keeps a key named __proto__ as an ordinary field', async () => {
    const [record] = await collect(jsonl(file('{"__proto__":{"x":1}}\n')));
    expect(Object.keys(record!)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
