import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { sentencepiece } from './sentencepiece.ts';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

interface Expected {
  text: string;
  ids: number[];
  pieces: string[];
  decoded: string;
}

describe('sentencepiece', () => {
  for (const name of ['sp-unigram', 'sp-bpe']) {
    it(`encodes and decodes as Python sentencepiece does with ${name}.model`, async () => {
      const tokenizer = await sentencepiece({ model: fixture(`${name}.model`) });
      const rows: Expected[] = JSON.parse(await readFile(fixture(`${name}.expected.json`), 'utf8'));
      for (const row of rows) {
        expect({ text: row.text, ids: tokenizer.encode(row.text), pieces: tokenizer.tokenize(row.text) }).toEqual({ text: row.text, ids: row.ids, pieces: row.pieces });
        expect({ text: row.text, decoded: tokenizer.decode(row.ids) }).toEqual({ text: row.text, decoded: row.decoded });
      }
    });
  }

  it('loads a model given as bytes', async () => {
    const bytes = await readFile(fixture('sp-unigram.model'));
    const tokenizer = await sentencepiece({ model: new Uint8Array(bytes) });
    expect(tokenizer.decode(tokenizer.encode('Hello world'))).toBe('Hello world');
  });

  it('throws TOKENIZER_BAD_MODEL for bytes that are not a SentencePiece model', async () => {
    await expect(sentencepiece({ model: new TextEncoder().encode('{"model": {}}') })).rejects.toMatchObject({
      code: 'TOKENIZER_BAD_MODEL',
      plugin: 'sentencepiece',
      problem: expect.stringContaining('cannot be loaded'),
    });
  });

  it('throws TOKENIZER_BAD_CONFIG without a model', async () => {
    await expect(sentencepiece({} as never)).rejects.toMatchObject({ code: 'TOKENIZER_BAD_CONFIG', field: 'model' });
    await expect(sentencepiece({ model: 42 })).rejects.toMatchObject({ code: 'TOKENIZER_BAD_CONFIG', problem: expect.stringContaining('received number') });
  });
});
