const LF = 10;
const QUOTE = 34;
const PROBE = 1 << 16;

/** Sources smaller than this are scored whole by one Worker: starting more costs more than it saves. */
export const SPLIT_MIN_BYTES = 4 * 1024 * 1024;

/** The first offset at or after `from` holding `byte`, or -1; reads 64 KiB at a time. */
async function indexOf(blob: Blob, byte: number, from: number): Promise<number> {
  for (let start = from; start < blob.size; start += PROBE) {
    const found = new Uint8Array(await blob.slice(start, start + PROBE).arrayBuffer()).indexOf(byte);
    if (found !== -1) return start + found;
  }
  return -1;
}

/**
 * Cuts a line-based source (CSV with a header, JSON Lines, lines) into up to `parts` Blobs at line breaks
 * near equal offsets; every CSV part after the first starts with the header row. Returns undefined when the
 * source should not be cut: too small, another format, a CSV without a header row or whose header holds a
 * quote. The cut is speculative for CSV: a quoted field may hold a line break, and then a part ends inside
 * quotes and fails to parse — the caller then scores the whole source in one Worker, so the answer is right
 * for any valid file.
 */
export async function splitSource(blob: Blob, loader: string, loaderOptions: Record<string, unknown>, parts: number): Promise<Blob[] | undefined> {
  if (parts < 2 || blob.size < SPLIT_MIN_BYTES || !['csv', 'jsonl', 'lines'].includes(loader)) return undefined;
  let bodyStart = 0;
  let header: Blob | undefined;
  if (loader === 'csv') {
    if (loaderOptions['header'] === false) return undefined;
    bodyStart = (await indexOf(blob, LF, 0)) + 1;
    if (bodyStart <= 0) return undefined;
    header = blob.slice(0, bodyStart);
    if (new Uint8Array(await header.arrayBuffer()).includes(QUOTE)) return undefined;
  }
  const cuts = [bodyStart];
  for (let part = 1; part < parts; part++) {
    const target = Math.max(cuts.at(-1)!, Math.floor((blob.size * part) / parts));
    const cut = (await indexOf(blob, LF, target)) + 1;
    if (cut <= 0 || cut <= cuts.at(-1)! || cut >= blob.size) break;
    cuts.push(cut);
  }
  cuts.push(blob.size);
  if (cuts.length < 3) return undefined;
  const pieces: Blob[] = [];
  for (let index = 0; index + 1 < cuts.length; index++) {
    const body = blob.slice(cuts[index]!, cuts[index + 1]!);
    pieces.push(header ? new Blob([header, body]) : body);
  }
  return pieces;
}
