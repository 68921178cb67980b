import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { hf } from './hf.ts';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

interface Expected {
  text: string;
  ids: number[];
  tokens: string[];
  decoded: string;
  ids_without_special: number[];
}

const expected = async (name: string): Promise<Expected[]> => JSON.parse(await readFile(fixture(`${name}.tokenizer.expected.json`), 'utf8'));

describe('hf', () => {
  for (const name of ['bpe', 'wordpiece', 'unigram']) {
    it(`encodes and decodes as Python tokenizers does with the ${name} tokenizer.json`, async () => {
      const tokenizer = await hf({ tokenizer: fixture(`${name}.tokenizer.json`) });
      for (const row of await expected(name)) {
        expect({ text: row.text, ids: tokenizer.encode(row.text) }).toEqual({ text: row.text, ids: row.ids });
        expect({ text: row.text, tokens: tokenizer.tokenize(row.text) }).toEqual({ text: row.text, tokens: row.tokens });
        expect({ text: row.text, decoded: tokenizer.decode(row.ids) }).toEqual({ text: row.text, decoded: row.decoded });
      }
    });
  }

  it('builds from the parsed JSON object and leaves special tokens out when asked', async () => {
    const json = JSON.parse(await readFile(fixture('wordpiece.tokenizer.json'), 'utf8'));
    const tokenizer = await hf({ tokenizer: json, addSpecialTokens: false });
    const [first] = await expected('wordpiece');
    expect(tokenizer.encode(first!.text)).toEqual(first!.ids_without_special);
    expect(tokenizer.vocabularySize).toBe(Object.keys(json.model.vocab).length);
  });

  it('decodes no ids to the empty text', async () => {
    expect((await hf({ tokenizer: fixture('bpe.tokenizer.json') })).decode([])).toBe('');
  });

  it('throws TOKENIZER_BAD_MODEL for JSON that is not a tokenizer, and TOKENIZER_BAD_CONFIG without one', async () => {
    await expect(hf({ tokenizer: { model: { type: 'Nope' } } })).rejects.toMatchObject({ code: 'TOKENIZER_BAD_MODEL', plugin: 'hf', group: 'codex_ml.tokenizers' });
    await expect(hf({ tokenizer: new Blob(['[1, 2]']) })).rejects.toMatchObject({ code: 'TOKENIZER_BAD_MODEL', problem: expect.stringContaining('found array') });
    await expect(hf({} as never)).rejects.toMatchObject({ code: 'TOKENIZER_BAD_CONFIG', field: 'tokenizer' });
  });

  it('throws SOURCE_NOT_FOUND as a tokenizer error for a missing file', async () => {
    await expect(hf({ tokenizer: '/no/such/tokenizer.json' })).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND', group: 'codex_ml.tokenizers', plugin: 'hf', field: 'tokenizer' });
  });
});
