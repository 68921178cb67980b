/** Seconds shown on each side of the runs' start time when they all started at the same moment (one run). */
const LONE_POINT_PADDING_S = 3600;

/**
 * The x range of the chart across runs, given the runs' start times in seconds: an hour each side when every run
 * started at the same moment, else undefined (uPlot fits the data). uPlot stretches a single time over years,
 * which puts a lone run at the chart's edge under ticks that say nothing; it widens the range before a scale's
 * `range` function sees it, so the range is set from the data here.
 */
export function timeAxisRange(starts: readonly number[]): [number, number] | undefined {
  const first = starts[0];
  if (first === undefined || starts.some((start) => start !== first)) return undefined;
  return [first - LONE_POINT_PADDING_S, first + LONE_POINT_PADDING_S];
}
