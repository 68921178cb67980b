import type { DataRecord } from '../../sdk/index.ts';
import type { DataRowError } from './row-error.ts';

/**
 * The symbol under which a text loader stores the 1-based line a record starts on. It is a registered
 * symbol (`Symbol.for`), so every copy of the loaders and the callers agree on it; JSON and `Object.keys`
 * do not see it.
 */
export const SOURCE_LINE: unique symbol = Symbol.for('plugboard.sourceLine') as never;

/** Options every built-in loader takes. */
export interface LoaderOptions {
  /** Skip a malformed row or line instead of throwing its DataRowError; default false. */
  skipInvalid?: boolean;
  /** Called with each skipped row's error when `skipInvalid` is true. */
  onSkip?: (error: DataRowError) => void;
  /** Stops the read: the iteration throws the signal's reason at the next chunk. */
  signal?: AbortSignal;
  /** The name errors use for the source; defaults to the file name, path or URL. */
  sourceName?: string;
}

/** What a finished (or stopped) read saw: records yielded and rows skipped as malformed. */
export interface LoadSummary {
  records: number;
  skipped: number;
  /** The first few skipped rows' errors (at most five), for a report. */
  skippedExamples: DataRowError[];
}

/**
 * What a built-in loader returns: an AsyncIterable of records that also yields them in the batches it
 * parsed (`batches()`, cheaper per record) and keeps a running `summary`. Each iteration reads the source
 * again from the start and resets the summary.
 */
export interface RecordStream extends AsyncIterable<DataRecord> {
  batches(): AsyncIterable<DataRecord[]>;
  readonly summary: LoadSummary;
}

/** Counts skips for one read, or throws the error when skipping is off. */
export class SkipPolicy {
  readonly summary: LoadSummary = { records: 0, skipped: 0, skippedExamples: [] };
  readonly #options: LoaderOptions;

  /** Creates the policy of one read from the loader's options. */
  constructor(options: LoaderOptions) {
    this.#options = options;
  }

  /** Throws `error` unless `skipInvalid` is on; then counts it, keeps it as an example and tells `onSkip`. */
  reject(error: DataRowError): void {
    if (!this.#options.skipInvalid) throw error;
    this.summary.skipped++;
    if (this.summary.skippedExamples.length < 5) this.summary.skippedExamples.push(error);
    this.#options.onSkip?.(error);
  }
}

/**
 * Wraps a batch producer as a RecordStream. `produce` is called once per iteration with a fresh policy;
 * every record of every batch it yields is counted in the summary.
 */
export function createRecordStream(
  options: LoaderOptions,
  produce: (policy: SkipPolicy) => AsyncIterable<DataRecord[]>,
): RecordStream {
  let summary: LoadSummary = { records: 0, skipped: 0, skippedExamples: [] };
  async function* batches(): AsyncGenerator<DataRecord[]> {
    const policy = new SkipPolicy(options);
    summary = policy.summary;
    for await (const batch of produce(policy)) {
      if (batch.length === 0) continue;
      policy.summary.records += batch.length;
      yield batch;
    }
  }
  return {
    batches,
    get summary() {
      return summary;
    },
    async *[Symbol.asyncIterator]() {
      for await (const batch of batches()) yield* batch;
    },
  };
}
