// The config every built-in model factory takes, checked with one schema; problems name their field.
import * as z from 'zod/mini';
import { describeIssues, formatPath } from '../../errors/index.ts';
import { modelError } from './model-error.ts';

/** The ONNX weight variants transformers.js knows, each a file `onnx/model<suffix>.onnx`. */
export const DTYPE_FILE_SUFFIX = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
} as const;

/** A weight variant's name (`fp32`, `q8`, …). */
export type ModelDtype = keyof typeof DTYPE_FILE_SUFFIX;

/** Where ONNX Runtime runs: `cpu` (Node's native runtime), `wasm` (WebAssembly), `webgpu`, or `auto`. */
export const MODEL_DEVICES = ['auto', 'cpu', 'wasm', 'webgpu'] as const;

/**
 * The model factory config. `model_name` is a Hub id (`Xenova/all-MiniLM-L6-v2`), the URL of a model
 * folder, or (in Node) a folder path; `remote_host` replaces the Hub for ids (a self-hosted mirror with the
 * Hub's `{id}/resolve/{revision}/` layout); `local_path` is a folder (or folder URL) holding model folders by
 * id, read instead of any host; `dtype` picks the weight file and is `fp32` unless given, in Node and in
 * pages alike; `allowed_origins` lists the origins model files may come from (default: the model folder's
 * own); `cache` keeps fetched files (Cache API in pages, `cache_dir` on disk in Node); `wasm_paths` is where
 * ONNX Runtime's WebAssembly files are served (default: beside the plugin module).
 */
export const ModelConfigSchema = z.strictObject({
  model_name: z.optional(z.string().check(z.minLength(1))),
  device: z.optional(z.enum(MODEL_DEVICES)),
  dtype: z.optional(z.enum(Object.keys(DTYPE_FILE_SUFFIX) as [ModelDtype, ...ModelDtype[]])),
  revision: z.optional(z.string().check(z.minLength(1))),
  remote_host: z.optional(z.string().check(z.minLength(1))),
  local_path: z.optional(z.string().check(z.minLength(1))),
  allowed_origins: z.optional(z.array(z.string().check(z.minLength(1)))),
  cache: z.optional(z.boolean()),
  cache_dir: z.optional(z.string().check(z.minLength(1))),
  wasm_paths: z.optional(z.string().check(z.minLength(1))),
});

/** A model factory config as given. */
export type ModelConfig = z.infer<typeof ModelConfigSchema>;

/** A checked config with every default filled in. */
export interface ResolvedModelConfig {
  model_name: string;
  device: (typeof MODEL_DEVICES)[number];
  dtype: ModelDtype;
  revision: string;
  remote_host: string;
  local_path?: string;
  allowed_origins?: readonly string[];
  cache: boolean;
  cache_dir?: string;
  wasm_paths?: string;
}

/** The Hugging Face Hub, where ids resolve unless `remote_host` or `local_path` says otherwise. */
export const HUB_HOST = 'https://huggingface.co';

/**
 * Checks `config` (undefined counts as `{}`) against ModelConfigSchema and fills the defaults; throws
 * MODEL_BAD_CONFIG naming the field of the first problem and listing all of them.
 */
export function readModelConfig(plugin: string, config: unknown, defaultModel: string): ResolvedModelConfig {
  const input = config ?? {};
  const parsed = z.safeParse(ModelConfigSchema, input);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error.issues, input);
    const first = problems[0]!;
    throw modelError({
      code: 'MODEL_BAD_CONFIG',
      plugin,
      field: formatPath(first.path),
      problem: `the config is invalid: ${problems.map((problem) => `${formatPath(problem.path)}: ${problem.message}`).join('; ')}`,
      hint: `Valid fields: ${Object.keys(ModelConfigSchema.shape).join(', ')}.`,
    });
  }
  const value = parsed.data;
  return {
    model_name: value.model_name ?? defaultModel,
    device: value.device ?? 'auto',
    dtype: value.dtype ?? 'fp32',
    revision: value.revision ?? 'main',
    remote_host: value.remote_host ?? HUB_HOST,
    ...(value.local_path === undefined ? {} : { local_path: value.local_path }),
    ...(value.allowed_origins === undefined ? {} : { allowed_origins: value.allowed_origins }),
    cache: value.cache ?? true,
    ...(value.cache_dir === undefined ? {} : { cache_dir: value.cache_dir }),
    ...(value.wasm_paths === undefined ? {} : { wasm_paths: value.wasm_paths }),
  };
}
