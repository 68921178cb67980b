// The one load path of the built-in model factories: config → model folder → files checked → transformers.js.
import type { ModelProvenance as RecordedModel, Tokenizer } from 'plugboard/sdk';
import { PlugboardError } from '../../errors/index.ts';
import { openFileCache } from './file-cache.ts';
import { DTYPE_FILE_SUFFIX, readModelConfig, type ResolvedModelConfig } from './model-config.ts';
import { MODEL_FILE_MISSING, ModelFiles, type ModelFileRecord } from './model-files.ts';
import { modelError } from './model-error.ts';
import { resolveModelFolder } from './model-source.ts';
import { logSoftmaxAt } from './log-softmax.ts';
import { loadTransformers, registerFolder, releaseFolder, type Transformers } from './load-transformers.ts';

/**
 * What a run records about the model it used: the factory, the name asked for, the URL of the folder the files
 * were read from, revision, dtype, device, and every file read with its digests — the SDK's ModelProvenance,
 * which a metric hands to `context.recordModel`, with every field set.
 */
export interface ModelProvenance extends RecordedModel {
  revision: string;
  dtype: string;
  device: string;
  files: ModelFileRecord[];
}

/** The special tokens of a tokenizer, by role, as ids; a role the tokenizer lacks is absent. */
export type SpecialTokenIds = Partial<Record<'bos' | 'eos' | 'unk' | 'sep' | 'pad' | 'cls' | 'mask', number>>;

/** The tokenizer a model factory returns: the model's own tokenizer.json, run by transformers.js. */
export interface ModelTokenizer extends Tokenizer {
  /** Token ids of `text`, with the tokenizer's special tokens (`[CLS] … [SEP]`) unless `addSpecialTokens` is false. */
  encode(text: string, options?: { addSpecialTokens?: boolean }): number[];
  decode(ids: readonly number[]): string;
  specialTokens: SpecialTokenIds;
  /** The longest input the tokenizer's config allows (`model_max_length`), or undefined when it sets none. */
  modelMaxLength: number | undefined;
  /** The side padding goes on (`padding_side` of tokenizer_config.json; `right` unless it says otherwise). */
  paddingSide: 'left' | 'right';
}

/** A causal language model (`gpt2`). */
export interface CausalLanguageModel {
  kind: 'causal-lm';
  provenance: ModelProvenance;
  vocabularySize: number;
  /**
   * Runs the model over a batch of equally long rows of token ids and their attention mask (1 = token, 0 =
   * padding); resolves with the logits, row-major `[batch, position, vocabulary]`, and those dims.
   */
  forward(inputIds: readonly (readonly number[])[], attentionMask: readonly (readonly number[])[]): Promise<{ logits: Float32Array; dims: [number, number, number] }>;
  /**
   * Resolves with `log p(x_i | x_<i)` for every token of `inputIds` after the first (natural log, from a
   * log-softmax of the logits in float64): what the `ppl` metric takes as a row. Fewer than two ids give [].
   */
  tokenLogProbabilities(inputIds: readonly number[]): Promise<number[]>;
  /** Frees the runtime session; the model is unusable afterwards. */
  dispose(): Promise<void>;
}

/** A text encoder (`minilm`, `bert_base_uncased`). */
export interface EncoderModel {
  kind: 'encoder';
  provenance: ModelProvenance;
  hiddenSize: number;
  /**
   * Resolves with one sentence embedding per text: the last hidden state mean-pooled over real tokens and
   * scaled to unit length (sentence-transformers' recipe), `batchSize` texts per model call (default 32).
   * Texts longer than the model allows are truncated. An empty list gives an empty list.
   */
  embed(texts: readonly string[], options?: { batchSize?: number }): Promise<number[][]>;
  dispose(): Promise<void>;
}

/** What kind of model a factory builds. */
export type ModelKind = 'causal-lm' | 'encoder';

type LoadedModel<K extends ModelKind> = K extends 'causal-lm' ? CausalLanguageModel : EncoderModel;

/** Library objects as this module uses them (transformers.js types are loose where it matters here). */
interface LibraryTensor {
  data: ArrayLike<number | bigint>;
  dims: number[];
}
type LibraryModel = ((inputs: Record<string, unknown>) => Promise<Record<string, LibraryTensor>>) & { dispose(): Promise<unknown>; config: Record<string, unknown> };
type LibraryTokenizer = ((texts: string[], options: Record<string, unknown>) => Record<string, LibraryTensor>) & {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  decode(ids: number[], options?: Record<string, unknown>): string;
  model_max_length?: number;
  padding_side?: string;
} & Record<`${keyof SpecialTokenIds}_token_id`, number | null | undefined>;

/**
 * Builds `[model, tokenizer]` for a factory: checks the config (MODEL_BAD_CONFIG naming the field), finds the
 * model folder, reads `config.json` (MODEL_NOT_FOUND on model_name when absent) and the weight file of the
 * dtype (MODEL_DTYPE_MISSING on dtype when absent), then loads both through transformers.js.
 */
export async function createModel<K extends ModelKind>(
  plugin: string,
  rawConfig: unknown,
  spec: { defaultModel: string; kind: K },
): Promise<[LoadedModel<K>, ModelTokenizer]> {
  const config = readModelConfig(plugin, rawConfig, spec.defaultModel);
  const folder = await resolveModelFolder(config);
  if (!folder) {
    throw modelError({
      code: 'MODEL_BAD_CONFIG',
      plugin,
      field: 'model_name',
      problem: `model_name ${JSON.stringify(config.model_name)} is neither a Hub id, a URL nor a folder path`,
      hint: 'Pass a Hub id such as "Xenova/gpt2", the URL of a model folder, or (in Node) a path starting with / or ./.',
    });
  }
  const files = new ModelFiles(folder, {
    plugin,
    ...(config.allowed_origins ? { allowedOrigins: config.allowed_origins } : {}),
    ...(config.cache ? { cache: await openFileCache(config.cache_dir) } : {}),
  });
  const modelConfig = await readFolderConfig(plugin, files, config);
  await checkWeights(plugin, files, config);
  const library = await loadTransformers(plugin, config.wasm_paths);
  const key = registerFolder(files);
  try {
    const options = { dtype: config.dtype, revision: config.revision, ...(config.device === 'auto' ? {} : { device: config.device }) };
    const modelClass = spec.kind === 'causal-lm' ? library.AutoModelForCausalLM : library.AutoModel;
    const [model, tokenizer] = await Promise.all([
      modelClass.from_pretrained(key, options as never) as unknown as Promise<LibraryModel>,
      library.AutoTokenizer.from_pretrained(key) as unknown as Promise<LibraryTokenizer>,
    ]);
    const provenance: ModelProvenance = {
      plugin,
      model_name: config.model_name,
      folder: folder.href,
      revision: config.revision,
      dtype: config.dtype,
      device: config.device,
      files: files.records(),
    };
    const wrapped = spec.kind === 'causal-lm'
      ? causalModel(library, model, provenance, Number(modelConfig['vocab_size']))
      : encoderModel(library, model, tokenizer, provenance, Number(modelConfig['hidden_size']));
    return [wrapped as LoadedModel<K>, wrapTokenizer(tokenizer)];
  } catch (thrown) {
    if (thrown instanceof PlugboardError) throw thrown;
    throw modelError({
      code: 'MODEL_LOAD',
      plugin,
      field: 'model_name',
      url: folder.href,
      problem: `the model could not be loaded (${thrown instanceof Error ? thrown.message : String(thrown)})`,
      hint: `Check that the folder is a transformers.js model (config.json, tokenizer.json, onnx/model${DTYPE_FILE_SUFFIX[config.dtype]}.onnx) of the kind ${plugin} expects, and that device ${JSON.stringify(config.device)} is available here.`,
      cause: thrown,
    });
  } finally {
    releaseFolder(key);
  }
}

async function readFolderConfig(plugin: string, files: ModelFiles, config: ResolvedModelConfig): Promise<Record<string, unknown>> {
  let bytes: Uint8Array;
  try {
    bytes = await files.read('config.json');
  } catch (thrown) {
    if ((thrown as { code?: unknown }).code !== MODEL_FILE_MISSING) throw thrown;
    throw modelError({
      code: 'MODEL_NOT_FOUND',
      plugin,
      field: 'model_name',
      url: new URL('config.json', files.folder).href,
      problem: `no model ${JSON.stringify(config.model_name)}: its folder has no config.json`,
      hint: 'Check the model_name, and remote_host or local_path when the model is not on the Hub.',
    });
  }
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below with the URL
  }
  throw modelError({
    code: 'MODEL_BAD_FILE',
    plugin,
    field: 'model_name',
    url: new URL('config.json', files.folder).href,
    problem: 'the model\'s config.json is not a JSON object',
    hint: 'Point model_name at a model folder as transformers.js lays it out.',
  });
}

async function checkWeights(plugin: string, files: ModelFiles, config: ResolvedModelConfig): Promise<void> {
  const file = `onnx/model${DTYPE_FILE_SUFFIX[config.dtype]}.onnx`;
  try {
    await files.read(file);
  } catch (thrown) {
    if ((thrown as { code?: unknown }).code !== MODEL_FILE_MISSING) throw thrown;
    throw modelError({
      code: 'MODEL_DTYPE_MISSING',
      plugin,
      field: 'dtype',
      url: new URL(file, files.folder).href,
      problem: `dtype ${JSON.stringify(config.dtype)} needs ${file}, which the model folder does not have`,
      hint: config.dtype === 'fp32' ? 'Export the model to ONNX into onnx/model.onnx.' : 'Pick a dtype the folder has weights for, such as "fp32" (onnx/model.onnx).',
    });
  }
}

function toInt64(rows: readonly (readonly number[])[], width: number): BigInt64Array {
  const data = new BigInt64Array(rows.length * width);
  rows.forEach((row, index) => row.forEach((value, position) => (data[index * width + position] = BigInt(value))));
  return data;
}

function causalModel(library: Transformers, model: LibraryModel, provenance: ModelProvenance, vocabularySize: number): CausalLanguageModel {
  const wrapped: CausalLanguageModel = {
    kind: 'causal-lm',
    provenance,
    vocabularySize,
    async tokenLogProbabilities(inputIds) {
      if (inputIds.length < 2) return [];
      const { logits, dims } = await wrapped.forward([inputIds], [inputIds.map(() => 1)]);
      const size = dims[2];
      return inputIds.slice(1).map((target, position) => logSoftmaxAt(logits, position * size, size, target));
    },
    async forward(inputIds, attentionMask) {
      const batch = inputIds.length;
      const width = inputIds[0]?.length ?? 0;
      const output = await model({
        input_ids: new library.Tensor('int64', toInt64(inputIds, width), [batch, width]),
        attention_mask: new library.Tensor('int64', toInt64(attentionMask, width), [batch, width]),
      });
      const logits = output['logits']!;
      return { logits: logits.data as Float32Array, dims: logits.dims as [number, number, number] };
    },
    dispose: async () => void (await model.dispose()),
  };
  return wrapped;
}

function encoderModel(library: Transformers, model: LibraryModel, tokenizer: LibraryTokenizer, provenance: ModelProvenance, hiddenSize: number): EncoderModel {
  void library;
  return {
    kind: 'encoder',
    provenance,
    hiddenSize,
    async embed(texts, options) {
      const batchSize = options?.batchSize ?? 32;
      const out: number[][] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        const inputs = tokenizer(texts.slice(start, start + batchSize) as string[], { padding: true, truncation: true });
        const hidden = (await model(inputs))['last_hidden_state']!;
        out.push(...meanPoolNormalised(hidden, inputs['attention_mask']!));
      }
      return out;
    },
    dispose: async () => void (await model.dispose()),
  };
}

/** Mean of the hidden states over positions whose mask is 1, scaled to unit L2 norm (a zero vector stays zero). */
function meanPoolNormalised(hidden: LibraryTensor, mask: LibraryTensor): number[][] {
  const [batch, length, size] = hidden.dims as [number, number, number];
  const rows: number[][] = [];
  for (let row = 0; row < batch; row++) {
    const sum = new Array<number>(size).fill(0);
    let count = 0;
    for (let position = 0; position < length; position++) {
      if (Number(mask.data[row * length + position]) === 0) continue;
      count++;
      const offset = (row * length + position) * size;
      for (let unit = 0; unit < size; unit++) sum[unit]! += Number(hidden.data[offset + unit]);
    }
    const mean = sum.map((value) => value / Math.max(count, 1));
    const norm = Math.max(Math.sqrt(mean.reduce((total, value) => total + value * value, 0)), 1e-12);
    rows.push(mean.map((value) => value / norm));
  }
  return rows;
}

function wrapTokenizer(tokenizer: LibraryTokenizer): ModelTokenizer {
  const specialTokens: SpecialTokenIds = {};
  for (const role of ['bos', 'eos', 'unk', 'sep', 'pad', 'cls', 'mask'] as const) {
    const id = tokenizer[`${role}_token_id`];
    if (typeof id === 'number') specialTokens[role] = id;
  }
  const maxLength = Number(tokenizer.model_max_length);
  return {
    encode: (text, options) => tokenizer.encode(text, { add_special_tokens: options?.addSpecialTokens ?? true }),
    decode: (ids) => tokenizer.decode([...ids]),
    specialTokens,
    modelMaxLength: Number.isFinite(maxLength) && maxLength < 1e12 ? maxLength : undefined,
    paddingSide: tokenizer.padding_side === 'left' ? 'left' : 'right',
  };
}
