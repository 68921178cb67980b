// Summary statistics of repeated timings: median and range, nothing fancier.

/** Returns the median of a non-empty list of numbers (the mean of the two middle ones for an even count). */
export function median(values) {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Returns `{ median, min, max, samples }` of a list of timings; throws on an empty list. */
export function summarize(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), samples: [...values] };
}

/** Rounds a number of milliseconds to a precision that suits its size (3 significant digits, at least 0.001). */
export function roundMs(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return value ?? null;
  if (value === 0) return 0;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 3)));
}
