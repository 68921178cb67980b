import type { DataRecord } from '../../sdk/index.ts';

/**
 * Regroups records into arrays of exactly `size` (the last one may be shorter), so a metric accumulator
 * can be fed in slices. Uses a loader's own `batches()` when it has one, which avoids a promise per
 * record. Throws RangeError unless `size` is a positive integer.
 */
export async function* readBatches(
  records: AsyncIterable<DataRecord> | Iterable<DataRecord>,
  size: number,
): AsyncGenerator<DataRecord[]> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`the batch size must be a positive integer, received ${size}`);
  const batched = (records as { batches?: () => AsyncIterable<DataRecord[]> }).batches;
  let batch: DataRecord[] = [];
  if (typeof batched === 'function') {
    for await (const parsed of batched.call(records)) {
      let from = 0;
      while (from < parsed.length) {
        const take = Math.min(size - batch.length, parsed.length - from);
        if (batch.length === 0 && take === size) {
          yield parsed.slice(from, from + take);
        } else {
          for (let i = from; i < from + take; i++) batch.push(parsed[i]!);
          if (batch.length === size) {
            yield batch;
            batch = [];
          }
        }
        from += take;
      }
    }
  } else {
    for await (const record of records) {
      batch.push(record);
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}
