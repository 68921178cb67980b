// Turns alternated samples into results.json entries: medians, ranges, ratio, target met or not.
import { differenceBetween, differenceWithin } from './alternate.js';
import { roundMs, summarize } from './stats.js';

/**
 * Builds the entry of a case against one baseline: `{ case, n, plugboard, baseline, baselineName, ratio }`
 * (median ms; ratio = plugboard ÷ baseline) plus ranges, sample counts and the target. The ratio is null
 * and `mismatch` says why when the two sides (or two repetitions of one side) computed different answers.
 * `maxRatio` is the target (met when ratio ≤ maxRatio); `tolerance` is how far numeric answers may differ.
 */
export function pairEntry({ caseName, n, plugboard, baseline, baselineName, maxRatio = null, tolerance = 0, targetText, compare, extra = {} }) {
  const mine = summarize(plugboard.times);
  const theirs = summarize(baseline.times);
  const mismatch =
    differenceWithin(plugboard.answers, tolerance) ??
    differenceWithin(baseline.answers, tolerance) ??
    (compare ? compare(plugboard.answers[0], baseline.answers[0]) : differenceBetween(plugboard.answers[0], baseline.answers[0], tolerance));
  const ratio = mismatch ? null : mine.median / theirs.median;
  return {
    case: caseName,
    n,
    plugboard: roundMs(mine.median),
    baseline: roundMs(theirs.median),
    baselineName,
    ratio: ratio === null ? null : Number(ratio.toFixed(3)),
    plugboardRange: [roundMs(mine.min), roundMs(mine.max)],
    baselineRange: [roundMs(theirs.min), roundMs(theirs.max)],
    reps: mine.samples.length,
    target: targetText ?? (maxRatio === null ? null : `ratio ≤ ${maxRatio}`),
    met: mismatch ? false : maxRatio === null ? null : ratio <= maxRatio,
    ...(mismatch ? { mismatch: `the two sides disagree — ${mismatch}` } : {}),
    ...extra,
  };
}

/** Builds the entry of a case with an absolute target (`maxMs`): no baseline, ratio null. */
export function absoluteEntry({ caseName, n, plugboard, maxMs, unit = 'ms', targetText, extra = {} }) {
  const mine = summarize(plugboard.times);
  const mismatch = plugboard.answers ? differenceWithin(plugboard.answers) : null;
  return {
    case: caseName,
    n,
    plugboard: unit === 'ms' ? roundMs(mine.median) : mine.median,
    baseline: null,
    baselineName: null,
    ratio: null,
    plugboardRange: unit === 'ms' ? [roundMs(mine.min), roundMs(mine.max)] : [mine.min, mine.max],
    reps: mine.samples.length,
    unit,
    target: targetText ?? `< ${maxMs} ${unit}`,
    met: mismatch ? false : mine.median < maxMs,
    ...(mismatch ? { mismatch: `repetitions disagree — ${mismatch}` } : {}),
    ...extra,
  };
}

/** Builds the entry of a case that could not be measured, saying why (nothing is faked). */
export function notMeasured({ caseName, n = null, baselineName = null, target = null, reason }) {
  return { case: caseName, n, plugboard: null, baseline: null, baselineName, ratio: null, target, met: null, notMeasured: reason };
}
