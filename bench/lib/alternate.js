// Runs the sides of one comparison in the same process, alternating, so drift on a shared machine hits all of them.

/**
 * Runs every side `reps` times; in repetition r the sides start from a rotated order (A B C, B C A, …) so
 * none of them always goes first. Each `run(rep)` resolves with `{ ms, answer }` — the time it measured
 * itself around the work, and what the work computed. `warmup` extra rounds run first and are dropped.
 * Resolves with `{ [name]: { times: number[], answers: unknown[] } }`; a side that throws stops the case.
 */
export async function alternate(sides, { reps, warmup = 0, onSample } = {}) {
  const results = Object.fromEntries(sides.map((side) => [side.name, { times: [], answers: [] }]));
  for (let round = 0; round < warmup + reps; round += 1) {
    const start = round % sides.length;
    const order = [...sides.slice(start), ...sides.slice(0, start)];
    for (const side of order) {
      const { ms, answer } = await side.run(round - warmup);
      if (round < warmup) continue;
      results[side.name].times.push(ms);
      results[side.name].answers.push(answer);
      onSample?.(side.name, ms);
    }
  }
  return results;
}

/**
 * Compares two answers: equal primitives, numbers within `tolerance` (absolute: on the answer's own
 * scale, as "to 1e-9" means for a metric), arrays and plain objects key by key. Returns null when they agree, else a sentence naming
 * the first path where they differ.
 */
export function differenceBetween(a, b, tolerance = 0, path = 'answer') {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) && Number.isNaN(b)) return null;
    return Math.abs(a - b) <= tolerance ? null : `${path}: ${a} ≠ ${b} (difference ${Math.abs(a - b)})`;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return `${path}: one side is not a list`;
    if (a.length !== b.length) return `${path}: ${a.length} items ≠ ${b.length} items`;
    for (let i = 0; i < a.length; i += 1) {
      const found = differenceBetween(a[i], b[i], tolerance, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const found = differenceBetween(a[key], b[key], tolerance, `${path}.${key}`);
      if (found) return found;
    }
    return null;
  }
  return Object.is(a, b) ? null : `${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
}

/** Returns null when every answer in the list agrees with the first, else the first difference found. */
export function differenceWithin(answers, tolerance = 0) {
  for (let i = 1; i < answers.length; i += 1) {
    const found = differenceBetween(answers[0], answers[i], tolerance, `repetition ${i + 1}`);
    if (found) return found;
  }
  return null;
}
