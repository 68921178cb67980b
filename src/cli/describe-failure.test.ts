import { describe, expect, it } from 'vitest';
import { oneLine } from './describe-failure.ts';

describe('oneLine', () => {
  it('turns each whitespace run holding a line break into one space and keeps other runs', () => {
    expect(oneLine('a\n  b')).toBe('a b');
    expect(oneLine('a \n\n\t b  c')).toBe('a b  c');
    expect(oneLine('  url:  x\n  hint: y')).toBe('  url:  x hint: y');
  });

  it('takes linear time on long blank runs from outside data', { timeout: 3000 }, () => {
    // A row's text can reach the message; the earlier pattern took cubic time on a run of line breaks.
    const started = performance.now();
    expect(oneLine(`a${'\n'.repeat(200_000)}`)).toBe('a ');
    expect(oneLine(`a${' '.repeat(200_000)}b`)).toHaveLength(200_002);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
