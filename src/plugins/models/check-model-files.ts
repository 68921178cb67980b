// What the files of a model a run recorded are now: each read as loading the model here would read it.
import type { ModelProvenance } from 'plugboard/sdk';
import { openFileCache, type FileCache } from './file-cache.ts';
import { ModelFiles, originOf } from './model-files.ts';

/** One recorded model file as it is now: the SHA-384 of the bytes a load would read, or why none could be read. */
export interface ModelFileNow {
  /** The path inside the model folder, as the run recorded it. */
  file: string;
  /** `sha384-<base64>` of the bytes now; absent when they could not be read (then `problem` says why). */
  sha384?: string;
  problem?: string;
}

/**
 * Reads every file a run recorded of `model` as loading that model now would: this environment's model cache
 * first (the Cache API in pages and Workers, `cacheDir` or `~/.cache/plugboard-models` in Node), then the file's
 * URL under the folder's origin. The check fills no cache: a changed file it fetches is not kept. Resolves with one
 * entry per recorded file, in the run's order; a file that cannot be read (gone, unreachable, outside the origin)
 * is an entry with its problem, never a rejection.
 */
export async function checkModelFiles(model: ModelProvenance, options: { cache?: FileCache; cacheDir?: string } = {}): Promise<ModelFileNow[]> {
  const cache = options.cache ?? (await openFileCache(options.cacheDir));
  let folder: URL;
  try {
    folder = new URL(model.folder);
  } catch {
    return model.files.map(({ file }) => ({ file, problem: `the recorded folder ${JSON.stringify(model.folder)} is not a URL` }));
  }
  const files = new ModelFiles(folder, {
    plugin: model.plugin,
    allowedOrigins: [originOf(folder)],
    ...(cache ? { cache: { match: (url) => cache.match(url), put: async () => undefined } } : {}),
  });
  return Promise.all(
    model.files.map(async ({ file }): Promise<ModelFileNow> => {
      try {
        await files.read(file);
      } catch (thrown) {
        const problem = (thrown as { problem?: unknown }).problem;
        return { file, problem: typeof problem === 'string' ? problem : thrown instanceof Error ? thrown.message : String(thrown) };
      }
      const sha384 = files.records().find((record) => record.file === file)!.sha384;
      return { file, sha384 };
    }),
  );
}
