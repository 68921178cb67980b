import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateRunId } from './run-name.ts';

describe('generateRunId', () => {
  afterEach(() => vi.restoreAllMocks());

  it('gives 32 lowercase hex digits of a version-4 UUID without crypto.randomUUID, which pages outside a secure context lack', () => {
    vi.spyOn(crypto, 'randomUUID').mockImplementation(() => {
      throw new TypeError('crypto.randomUUID is not a function');
    });
    const ids = Array.from({ length: 50 }, generateRunId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
