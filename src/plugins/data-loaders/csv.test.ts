import { describe, expect, it } from 'vitest';
import { csv } from './csv.ts';
import { SOURCE_LINE } from './record-stream.ts';
import { DataRowError } from './row-error.ts';

async function collect(iterable: AsyncIterable<Record<PropertyKey, unknown>>) {
  const out: Record<PropertyKey, unknown>[] = [];
  for await (const record of iterable) out.push(record);
  return out;
}
/** A record's string-keyed fields only: the SOURCE_LINE symbol is checked on its own. */
const plain = (record: Record<PropertyKey, unknown>) => Object.fromEntries(Object.entries(record));
const file = (text: string) => new File([text], 'scores.csv');

describe('csv', () => {
  it('keys each row by the header, with RFC 4180 quoting, a BOM and CRLF line ends', async () => {
    const records = await collect(csv(file('\uFEFFprediction,reference\r\n"a, b","say ""hi"""\r\n"two\r\nlines",z\r\n')));
    expect(records.map(plain)).toEqual([
      { prediction: 'a, b', reference: 'say "hi"' },
      { prediction: 'two\r\nlines', reference: 'z' },
    ]);
    expect(records.map((record) => record[SOURCE_LINE])).toEqual([2, 3]);
  });

  it('skips blank lines and keeps a last row without a line break', async () => {
    const records = await collect(csv(file('a,b\n\n1,2\n\n3,4')));
    expect(records.map(plain)).toEqual([{ a: '1', b: '2' }, { a: '3', b: '4' }]);
    expect(records.map((record) => record[SOURCE_LINE])).toEqual([3, 5]);
  });

  it('splits on the delimiter option', async () => {
    expect((await collect(csv(file('a\tb\nx y\t"1\t2"\n'), { delimiter: '\t' }))).map(plain)).toEqual([{ a: 'x y', b: '1\t2' }]);
  });

  it('keys rows by position, or by the columns option, with header: false', async () => {
    expect((await collect(csv(file('x,y\n1,2\n'), { header: false }))).map(plain)).toEqual([{ 0: 'x', 1: 'y' }, { 0: '1', 1: '2' }]);
    expect((await collect(csv(file('x,y\n'), { header: false, columns: ['p', 'r'] }))).map(plain)).toEqual([{ p: 'x', r: 'y' }]);
  });

  it('throws a DataRowError naming the file, line, row and missing field of a short row', async () => {
    const error = await collect(csv(file('id,prediction,reference\n1,a,b\n\n2,only\n'))).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DataRowError);
    expect(error).toMatchObject({ code: 'CSV_MALFORMED_ROW', source: 'scores.csv', line: 4, row: 2, field: 'reference' });
    expect((error as DataRowError).problem).toBe('scores.csv line 4: expected 3 fields (id, prediction, reference), found 2, so field "reference" is missing');
    expect((error as DataRowError).message).toContain('hint: Quote a field');
  });

  it('names the extra column of a long row', async () => {
    await expect(collect(csv(file('a,b\n1,2,3\n')))).rejects.toMatchObject({ code: 'CSV_MALFORMED_ROW', line: 2, row: 1, field: 'column 3' });
  });

  it('names the column of broken quoting and the line its row starts on', async () => {
    await expect(collect(csv(file('a,b\n1,"x"y\n')))).rejects.toMatchObject({ line: 2, field: 'b', problem: expect.stringContaining('after the closing quote') });
    await expect(collect(csv(file('a,b\n1,2\n3,"never\nclosed\n')))).rejects.toMatchObject({ line: 3, row: 2, field: 'b', problem: expect.stringContaining('never closed') });
  });

  it('skips malformed rows with skipInvalid and reports how many', async () => {
    const seen: string[] = [];
    const stream = csv(file('a,b\n1,2\n3\n4,5,6\n7,8\n'), { skipInvalid: true, onSkip: (error) => seen.push(`${error.line}:${error.field}`) });
    expect((await collect(stream)).map(plain)).toEqual([{ a: '1', b: '2' }, { a: '7', b: '8' }]);
    expect(seen).toEqual(['3:b', '4:column 3']);
    expect(stream.summary).toMatchObject({ records: 2, skipped: 2 });
  });

  it('throws CSV_DUPLICATE_COLUMN when the header names a column twice', async () => {
    await expect(collect(csv(file('a,b,a\n1,2,3\n')))).rejects.toMatchObject({ code: 'CSV_DUPLICATE_COLUMN', line: 1, field: 'a' });
  });

  it('throws CSV_BAD_OPTION at the call for a delimiter that is not one character', () => {
    expect(() => csv(file('a'), { delimiter: '::' })).toThrow(expect.objectContaining({ code: 'CSV_BAD_OPTION', field: 'delimiter' }));
  });

  it('keeps a column named __proto__ as an ordinary field', async () => {
    const [record] = await collect(csv(file('__proto__,b\n1,2\n')));
    expect(Object.keys(record!)).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
  });

  it('keeps a CR inside a quoted header field and reads the LF line ends after it', async () => {
    const records = await collect(csv(file('"pred\rx",reference\na,a\nb,b\n')));
    expect(records.map(plain)).toEqual([{ 'pred\rx': 'a', reference: 'a' }, { 'pred\rx': 'b', reference: 'b' }]);
    expect(records.map((record) => record[SOURCE_LINE])).toEqual([2, 3]);
  });

  it('keeps rows apart after a quoted CR with header: false', async () => {
    const records = await collect(csv(file('"a\rb",x\nc,d\ne,f\n'), { header: false }));
    expect(records.map(plain)).toEqual([{ 0: 'a\rb', 1: 'x' }, { 0: 'c', 1: 'd' }, { 0: 'e', 1: 'f' }]);
  });

  it('names the real line of a short row in a CRLF file with a quoted CR', async () => {
    await expect(collect(csv(file('prediction,reference\r\n"a\rb",x\r\nc,d\r\ne\r\n')))).rejects.toMatchObject({
      code: 'CSV_MALFORMED_ROW',
      line: 4,
      row: 3,
      field: 'reference',
    });
  });

  it('yields no records for an empty file or a file with a header only', async () => {
    expect(await collect(csv(file('')))).toEqual([]);
    expect(await collect(csv(file('a,b\r\n')))).toEqual([]);
  });
});
