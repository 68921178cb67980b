import { describe, expect, it } from 'vitest';
import { PlugboardError } from '../errors/index.ts';
import { hasTrackingCode, HTTP_STATUS_OF, TrackingError, type TrackingErrorCode } from './index.ts';

describe('TrackingError', () => {
  it("carries MLflow's code in error.code with every field, and serialises as MLflow's REST error", () => {
    const codes: TrackingErrorCode[] = ['RESOURCE_DOES_NOT_EXIST', 'RESOURCE_ALREADY_EXISTS', 'INVALID_PARAMETER_VALUE', 'INVALID_STATE', 'RESOURCE_EXHAUSTED', 'ABORTED', 'INTERNAL_ERROR'];
    for (const code of codes) {
      const cause = new Error('inner');
      const error = new TrackingError(code, `problem ${code}`, { field: 'runId', hint: 'do this', cause });
      expect(error).toBeInstanceOf(PlugboardError);
      expect(error).toMatchObject({ name: 'TrackingError', code, problem: `problem ${code}`, field: 'runId', hint: 'do this', cause });
      expect(error.message).toBe(`problem ${code} → at runId\n  hint: do this`);
      expect(error.toJSON()).toEqual({ error_code: code, message: `problem ${code}` });
      expect(HTTP_STATUS_OF[code]).toBeGreaterThanOrEqual(400);
      expect(hasTrackingCode(error, code)).toBe(true);
    }
    expect(hasTrackingCode({ code: 'INVALID_STATE' }, 'INVALID_STATE')).toBe(true);
    expect(hasTrackingCode(new Error('x'), 'INVALID_STATE')).toBe(false);
  });
});
