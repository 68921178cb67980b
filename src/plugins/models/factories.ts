// The three built-in `codex_ml.models` factories: each returns [model, tokenizer] through createModel.
import { defineModel } from 'plugboard/sdk';
import { createModel, type CausalLanguageModel, type EncoderModel, type ModelTokenizer } from './create-model.ts';
import type { ModelConfig } from './model-config.ts';

/** `minilm`: a sentence encoder, `Xenova/all-MiniLM-L6-v2` unless model_name says otherwise; the model embeds texts. */
export const minilm = defineModel(
  (config?: ModelConfig): Promise<[EncoderModel, ModelTokenizer]> => createModel('minilm', config, { defaultModel: 'Xenova/all-MiniLM-L6-v2', kind: 'encoder' }),
);

/** `bert_base_uncased`: BERT base (lower-cased), `Xenova/bert-base-uncased` unless model_name says otherwise; the model embeds texts. */
export const bertBaseUncased = defineModel(
  (config?: ModelConfig): Promise<[EncoderModel, ModelTokenizer]> => createModel('bert_base_uncased', config, { defaultModel: 'Xenova/bert-base-uncased', kind: 'encoder' }),
);

/** `gpt2`: a causal language model, `Xenova/gpt2` unless model_name says otherwise; the model gives next-token logits. */
export const gpt2 = defineModel(
  (config?: ModelConfig): Promise<[CausalLanguageModel, ModelTokenizer]> => createModel('gpt2', config, { defaultModel: 'Xenova/gpt2', kind: 'causal-lm' }),
);
