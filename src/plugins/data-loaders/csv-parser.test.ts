import { describe, expect, it } from 'vitest';
import { CsvParser, type CsvRow } from './csv-parser.ts';

function parseInPieces(text: string, pieceLength: number, delimiter = ','): CsvRow[] {
  const parser = new CsvParser(delimiter);
  const rows: CsvRow[] = [];
  for (let i = 0; i < text.length; i += pieceLength) rows.push(...parser.feed(text.slice(i, i + pieceLength)));
  rows.push(...parser.feed('', true));
  return rows;
}

const parse = (text: string, delimiter = ',') => parseInPieces(text, Math.max(1, text.length), delimiter);

describe('CsvParser', () => {
  it('reads quoted fields holding delimiters, doubled quotes and line breaks', () => {
    const rows = parse('a,b\n"x, y","say ""hi"""\n"two\nlines",z\n');
    expect(rows.map((row) => row.fields)).toEqual([['a', 'b'], ['x, y', 'say "hi"'], ['two\nlines', 'z']]);
  });

  it('counts the line a row starts on, past line breaks inside quotes and blank lines', () => {
    const rows = parse('h1,h2\n"a\nb\nc",1\n\n\nlast,2');
    expect(rows.map((row) => row.line)).toEqual([1, 2, 7]);
  });

  it('reads CRLF line ends without leaving a CR in the last field, also inside quotes', () => {
    const rows = parse('a,b\r\n1,2\r\n"x\r\ny",3\r\n');
    expect(rows.map((row) => row.fields)).toEqual([['a', 'b'], ['1', '2'], ['x\r\ny', '3']]);
    expect(rows.map((row) => row.line)).toEqual([1, 2, 3]);
  });

  it('reads a file whose line ends are lone CRs', () => {
    expect(parse('a,b\r1,2\r').map((row) => row.fields)).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('reads the line-end style from the first line break outside quoted fields', () => {
    const quotedCR = parse('"pred\rx",reference\na,a\nb,b\n');
    expect(quotedCR.map((row) => row.fields)).toEqual([['pred\rx', 'reference'], ['a', 'a'], ['b', 'b']]);
    expect(quotedCR.map((row) => row.line)).toEqual([1, 2, 3]);
    expect(parse('"a\rb",x\nc,d\ne,f\n').map((row) => row.fields)).toEqual([['a\rb', 'x'], ['c', 'd'], ['e', 'f']]);
    expect(parse('"x\ny",b\r1,2\r').map((row) => row.fields)).toEqual([['x\ny', 'b'], ['1', '2']]);
    expect(parse('"say ""\r""",b\n1,2\n').map((row) => row.fields)).toEqual([['say "\r"', 'b'], ['1', '2']]);
    expect(parse('a,"\r"\n1,2\n').map((row) => row.fields)).toEqual([['a', '\r'], ['1', '2']]);
  });

  it('puts a short row after a quoted CR in a CRLF file at the line where it is', () => {
    const rows = parse('"a\rb",x\r\nc,d\r\ne\r\n');
    expect(rows.map((row) => row.fields)).toEqual([['a\rb', 'x'], ['c', 'd'], ['e']]);
    expect(rows.map((row) => row.line)).toEqual([1, 2, 3]);
  });

  it('finds the line-end style the same way whatever the size of the pieces', () => {
    for (const text of ['"pred\rx",reference\na,a\n', '"a\rb",x\r\nc,d\r\n', '"x\ny",b\r1,2\r', '"q""\r",b\r\n1,2\r\n']) {
      const whole = parse(text);
      for (let piece = 1; piece <= text.length; piece++) expect(parseInPieces(text, piece)).toEqual(whole);
    }
  });

  it('keeps a last row that has no line break, and an empty last field after a trailing delimiter', () => {
    expect(parse('a,b\n1,').map((row) => row.fields)).toEqual([['a', 'b'], ['1', '']]);
  });

  it('keeps a quote inside an unquoted field as a character', () => {
    expect(parse('5" screen,x\n').map((row) => row.fields)).toEqual([['5" screen', 'x']]);
  });

  it('splits on the delimiter it is given', () => {
    expect(parse('a;b\t\n"1;2";3\n', ';').map((row) => row.fields)).toEqual([['a', 'b\t'], ['1;2', '3']]);
    expect(parse('a\tb\n1\t2\n', '\t').map((row) => row.fields)).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('reports text after a closing quote as a problem of that row and goes on with the next line', () => {
    const rows = parse('a,b\n"x"y,2\n3,4\n');
    expect(rows[1]).toMatchObject({ line: 2, problem: { column: 1, message: 'unexpected "y" after the closing quote' } });
    expect(rows[2]).toEqual({ fields: ['3', '4'], line: 3 });
  });

  it('reports a quoted field that never closes at the line where its row starts', () => {
    const rows = parse('a,b\n1,"open\nstill open\n');
    expect(rows[1]).toMatchObject({ line: 2, problem: { column: 2, message: 'a quoted field is never closed' } });
  });

  it('gives the same rows and lines whatever the size of the pieces it is fed', () => {
    const text = 'id,text\r\n1,"a ""b"", c"\r\n\r\n2,"multi\r\nline"\r\n3,plain\n4,"end"';
    const whole = parse(text);
    for (let piece = 1; piece <= text.length; piece++) expect(parseInPieces(text, piece)).toEqual(whole);
  });

  it('reads a quoted field far longer than the pieces it arrives in', () => {
    const long = 'x'.repeat(300_000) + '""' + 'y'.repeat(100_000);
    const rows = parseInPieces(`a,b\n"${long}",2\n3,4\n`, 4096);
    expect(rows.map((row) => row.fields[0]?.length)).toEqual([1, 400_001, 1]);
    expect(rows[2]).toEqual({ fields: ['3', '4'], line: 3 });
  });

  it('refuses a delimiter that is not one character', () => {
    expect(() => new CsvParser(';;')).toThrow(RangeError);
    expect(() => new CsvParser('"')).toThrow(/other than a quote/);
  });
});
