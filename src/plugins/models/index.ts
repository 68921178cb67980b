// The built-in `codex_ml.models` factories on transformers.js (loaded only when one runs), and what they return.
export { minilm, bertBaseUncased, gpt2 } from './factories.ts';
export { createModel } from './create-model.ts';
export { logSoftmaxAt } from './log-softmax.ts';
export { checkModelFiles } from './check-model-files.ts';
export type { ModelFileNow } from './check-model-files.ts';
export type { CausalLanguageModel, EncoderModel, ModelTokenizer, ModelProvenance, SpecialTokenIds, ModelKind } from './create-model.ts';
export { ModelConfigSchema, DTYPE_FILE_SUFFIX, MODEL_DEVICES } from './model-config.ts';
export type { ModelConfig, ModelDtype } from './model-config.ts';
export type { ModelFileRecord } from './model-files.ts';
export { MODELS_GROUP } from './model-error.ts';
export { TRANSFORMERS_PACKAGE } from './load-transformers.ts';
