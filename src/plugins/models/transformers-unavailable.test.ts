import { describe, expect, it, vi } from 'vitest';

vi.mock('@huggingface/transformers', () => {
  throw new Error('Cannot find package "@huggingface/transformers"');
});

describe('the model factories without transformers.js', () => {
  it('reject with MODEL_UNAVAILABLE saying which package to install, after checking the model folder', async () => {
    const { gpt2 } = await import('./index.ts');
    const error = await gpt2({ model_name: new URL('./fixtures/tiny-gpt2/', import.meta.url).href }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      group: 'codex_ml.models',
      plugin: 'gpt2',
      problem: expect.stringContaining('@huggingface/transformers'),
      hint: expect.stringContaining('npm install @huggingface/transformers'),
    });
  });
});
