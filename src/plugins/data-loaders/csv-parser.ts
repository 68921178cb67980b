const QUOTE = 34;
const LF = 10;
const CR = 13;
/** Rows held back longer than this many characters are parsed again only after the text doubles. */
const LONG_ROW = 1 << 16;

/** One parsed CSV row: its fields and the 1-based line of the file where it starts. */
export interface CsvRow {
  fields: string[];
  line: number;
  /** Set when the row breaks RFC 4180; `column` is the 1-based field where it breaks. */
  problem?: { message: string; column: number };
}

/**
 * An incremental RFC 4180 parser: `feed` takes text in pieces of any size and returns the rows that are
 * complete; an unfinished row (or a quoted field still open) waits for the next piece. Rows end at LF or
 * CRLF (a file whose first line break outside quoted fields is a lone CR is read with CR line ends); quoted fields may hold
 * delimiters, doubled quotes and line breaks; blank lines are skipped. A quote inside an unquoted field is
 * kept as a literal character; text between a closing quote and the next delimiter is a row problem.
 */
export class CsvParser {
  #pending = '';
  #line = 1;
  #heldLength = 0;
  /** LF, or CR for a file whose first line break outside quotes is a lone CR; undefined until such a break is seen. */
  #newline: number | undefined;
  readonly #delimiter: number;
  readonly #delimiterText: string;

  /** Creates a parser for one file; the delimiter is one character (`,` unless given). Throws RangeError for any other delimiter. */
  constructor(delimiter = ',') {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new RangeError(`the delimiter must be one character other than a quote or a line break, received ${JSON.stringify(delimiter)}`);
    }
    this.#delimiter = delimiter.charCodeAt(0);
    this.#delimiterText = delimiter;
  }

  /**
   * Parses `chunk` after whatever an earlier call held back and returns the complete rows. With
   * `final: true` everything left is parsed; a quoted field that never closes becomes a row with a problem.
   */
  feed(chunk: string, final = false): CsvRow[] {
    const text = this.#pending.length === 0 ? chunk : this.#pending + chunk;
    // A row held back for being long (a big quoted field) is parsed again only once the text has doubled,
    // so reading it costs linear time, not quadratic.
    if (!final && this.#heldLength > LONG_ROW && text.length < 2 * this.#heldLength) {
      this.#pending = text;
      return [];
    }
    this.#heldLength = 0;
    const n = text.length;
    const delimiter = this.#delimiter;
    if (this.#newline === undefined) this.#newline = detectNewline(text, final, delimiter);
    const newline = this.#newline ?? LF;
    const newlineText = String.fromCharCode(newline);
    const stripCR = newline === LF;
    const delimiterText = this.#delimiterText;
    const rows: CsvRow[] = [];
    let i = 0;
    let line = this.#line;
    let nextDelimiter = -1;
    let nextNewline = -1;
    let held = false;
    rows: while (i < n) {
      const rowStart = i;
      const rowLine = line;
      let c = text.charCodeAt(i);
      if (c === newline || (stripCR && c === CR && text.charCodeAt(i + 1) === LF)) {
        i += c === newline ? 1 : 2;
        line++;
        continue;
      }
      const fields: string[] = [];
      let problem: CsvRow['problem'];
      for (;;) {
        if (i < n && text.charCodeAt(i) === QUOTE) {
          let value = '';
          let from = i + 1;
          let closed = false;
          for (;;) {
            const quote = text.indexOf('"', from);
            if (quote === -1 || (quote + 1 === n && !final)) break;
            if (text.charCodeAt(quote + 1) === QUOTE) {
              value += text.slice(from, quote + 1);
              from = quote + 2;
              continue;
            }
            value += text.slice(from, quote);
            from = quote + 1;
            closed = true;
            break;
          }
          if (!closed) {
            if (!final) { held = this.#holdBack(text, rowStart, rowLine); break rows; }
            value += text.slice(from);
            fields.push(value);
            line += countChar(value, newline);
            rows.push({ fields, line: rowLine, problem: { message: 'a quoted field is never closed', column: fields.length } });
            i = n;
            break rows;
          }
          if (value.indexOf(newlineText) !== -1) line += countChar(value, newline);
          fields.push(value);
          i = from;
          c = i < n ? text.charCodeAt(i) : -1;
          if (c === delimiter) { i++; continue; }
          if (stripCR && c === CR && i + 1 < n && text.charCodeAt(i + 1) === LF) { i++; c = LF; }
          if (c === -1 && !final) { held = this.#holdBack(text, rowStart, rowLine); break rows; }
          if (c !== newline && c !== -1) {
            problem ??= { message: `unexpected ${JSON.stringify(text[i])} after the closing quote`, column: fields.length };
            const end = text.indexOf(newlineText, i);
            if (end === -1 && !final) { held = this.#holdBack(text, rowStart, rowLine); break rows; }
            i = end === -1 ? n : end;
            c = end === -1 ? -1 : newline;
          }
        } else {
          if (nextDelimiter < i) {
            nextDelimiter = text.indexOf(delimiterText, i);
            if (nextDelimiter === -1) nextDelimiter = n;
          }
          if (nextNewline < i) {
            nextNewline = text.indexOf(newlineText, i);
            if (nextNewline === -1) nextNewline = n;
          }
          let end: number;
          if (nextDelimiter < nextNewline) {
            end = nextDelimiter;
            c = delimiter;
          } else if (nextNewline < n) {
            end = nextNewline;
            c = newline;
          } else {
            if (!final) { held = this.#holdBack(text, rowStart, rowLine); break rows; }
            end = n;
            c = -1;
          }
          const fieldEnd = c === newline && stripCR && end > i && text.charCodeAt(end - 1) === CR ? end - 1 : end;
          fields.push(text.slice(i, fieldEnd));
          i = end;
          if (c === delimiter) { i++; continue; }
        }
        // At a line end or the end of the text: the row is complete.
        if (c === newline) {
          i++;
          line++;
        }
        rows.push(problem ? { fields, line: rowLine, problem } : { fields, line: rowLine });
        continue rows;
      }
    }
    if (!held) {
      this.#pending = '';
      this.#line = line;
    }
    return rows;
  }

  /** Keeps the unfinished row for the next call; returns true so the caller can mark the text as held. */
  #holdBack(text: string, rowStart: number, rowLine: number): true {
    this.#pending = text.slice(rowStart);
    this.#heldLength = this.#pending.length;
    this.#line = rowLine;
    return true;
  }
}

/**
 * Reads the line-end style from the first line break outside quoted fields: LF (CRLF included), or CR when
 * that break is a lone CR. A quote opens a field only at the start of a field, as in the parser. Undefined
 * while the text read so far ends before such a break is certain (and the text is not final).
 */
function detectNewline(text: string, final: boolean, delimiter: number): number | undefined {
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (text.charCodeAt(i) === QUOTE) {
      // A quoted field: skip to its closing quote (a doubled quote stays inside).
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote === -1 || (quote + 1 === n && !final)) return final ? LF : undefined;
        if (text.charCodeAt(quote + 1) === QUOTE) {
          from = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
    }
    // The rest of the field, up to a delimiter or a line break.
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === LF) return LF;
      if (c === CR) {
        if (i + 1 === n) return final ? CR : undefined;
        return text.charCodeAt(i + 1) === LF ? LF : CR;
      }
      if (c === delimiter) {
        i++;
        break;
      }
    }
  }
  return final ? LF : undefined;
}

function countChar(text: string, code: number): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === code) count++;
  return count;
}
