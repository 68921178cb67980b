import { describe, expect, it } from 'vitest';
import { timeAxisRange } from './time-axis-range.ts';

describe('timeAxisRange', () => {
  it('leaves runs that started at different moments to the chart', () => {
    expect(timeAxisRange([1_700_000_000, 1_700_086_400])).toBeUndefined();
  });

  it('shows an hour each side of runs that all started at one moment', () => {
    expect(timeAxisRange([1_700_000_000])).toEqual([1_699_996_400, 1_700_003_600]);
    expect(timeAxisRange([1_700_000_000, 1_700_000_000])).toEqual([1_699_996_400, 1_700_003_600]);
  });

  it('leaves an empty chart to the chart', () => {
    expect(timeAxisRange([])).toBeUndefined();
  });
});
