import { PlugboardError } from '../../errors/index.ts';

/** Builds the error a built-in tokenizer throws, stamped with its group and name. */
export function tokenizerError(fields: { code: string; plugin: string; problem: string; hint: string; field?: string; url?: string; cause?: unknown }): PlugboardError {
  return new PlugboardError({ group: 'codex_ml.tokenizers', ...fields });
}
