import { describe, expect, it } from 'vitest';
import { resolveArtifactUri } from './resolve-artifact-uri.ts';
import { parseArtifactUri } from './rest-artifact-repository.ts';
import { trimSlashes } from './trim-slashes.ts';

describe('trimSlashes', () => {
  it('drops the slashes at the end, and with "both" at the start too', () => {
    expect(trimSlashes('http://host:5000///')).toBe('http://host:5000');
    expect(trimSlashes('//a/b//', 'both')).toBe('a/b');
    expect(trimSlashes('///', 'both')).toBe('');
    expect(trimSlashes('a')).toBe('a');
  });

  it('keeps artifact URIs from a server linear, however many slashes they hold', { timeout: 3000 }, () => {
    // /\/+$/ took seconds on a run of 40,000 slashes that does not end the text.
    const slashes = '/'.repeat(200_000);
    const started = performance.now();
    expect(trimSlashes(`${slashes}x`)).toHaveLength(200_001);
    expect(parseArtifactUri(`mlflow-artifacts:/a${slashes}b`, `http://host${slashes}x`).root).toHaveLength(200_002);
    expect(resolveArtifactUri(`mlflow-artifacts:/a${slashes}b`, `http://host${slashes}x`)).toContain('/api/2.0/mlflow-artifacts/artifacts/');
    expect(() => parseArtifactUri(`http://h${'/api/2.0/mlflow-artifacts/artifacts'.repeat(5_000)}x?`)).toThrow(/not an artifact URI/);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
