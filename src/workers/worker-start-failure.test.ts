import { describe, expect, it } from 'vitest';
import { watchWorkerRefusals, workerStartFailure } from './worker-start-failure.ts';

/** A `securitypolicyviolation` event as a page dispatches it. */
function violation(fields: { effectiveDirective: string; blockedURI: string; originalPolicy: string }): Event {
  return Object.assign(new Event('securitypolicyviolation'), fields);
}

describe('workerStartFailure', () => {
  // First in this file: no refusal has been reported to this module yet.
  it('names the usual causes when there is nothing else to go on', async () => {
    expect(await workerStartFailure(new Event('error'), 0)).toBe("the browser gave no reason (most often its script is not served beside plugboard/worker's module, or a policy refused it)");
  });

  it('gives the browser’s own message when the error event has one', async () => {
    expect(await workerStartFailure(Object.assign(new Event('error'), { message: 'Uncaught SyntaxError: x' }), 0)).toBe('Uncaught SyntaxError: x');
  });

  it('says which policy refused the Worker’s script when the page reported it, even in the task after the error', async () => {
    const page = new EventTarget();
    watchWorkerRefusals(page);
    const since = performance.now();
    const reason = workerStartFailure(new Event('error'), since);
    page.dispatchEvent(violation({ effectiveDirective: 'script-src-elem', blockedURI: 'inline', originalPolicy: "script-src 'self'" }));
    page.dispatchEvent(violation({ effectiveDirective: 'worker-src', blockedURI: 'http://127.0.0.1:1/sub/assets/evaluation-worker.js', originalPolicy: "worker-src 'none'" }));
    expect(await reason).toBe(`the page's Content-Security-Policy refused its script http://127.0.0.1:1/sub/assets/evaluation-worker.js (worker-src of "worker-src 'none'")`);
  });
});
