import { describe, expect, it, vi } from 'vitest';

vi.mock('@sctg/sentencepiece-js', () => {
  throw new Error('Cannot find package "@sctg/sentencepiece-js"');
});

describe('sentencepiece without its package', () => {
  it('throws TOKENIZER_UNAVAILABLE saying which package to install', async () => {
    const { sentencepiece } = await import('./sentencepiece.ts');
    const error = await sentencepiece({ model: new Uint8Array([1, 2, 3]) }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({
      code: 'TOKENIZER_UNAVAILABLE',
      group: 'codex_ml.tokenizers',
      plugin: 'sentencepiece',
      problem: expect.stringContaining('@sctg/sentencepiece-js'),
      hint: expect.stringContaining('npm install @sctg/sentencepiece-js'),
    });
  });
});
