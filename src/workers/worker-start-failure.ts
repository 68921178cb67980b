/** A Worker script the page's Content-Security-Policy refused, as the page reported it. */
interface Refusal {
  at: number;
  directive: string;
  policy: string;
  blocked: string;
}

const refusals: Refusal[] = [];
const watched = new WeakSet<EventTarget>();
/** Directives that can refuse a Worker's script. */
const WORKER_DIRECTIVES = /^(worker-src|child-src|script-src|script-src-elem|default-src)$/;

/**
 * Starts keeping the refusals of Worker scripts that `target` (the page's document) reports as
 * `securitypolicyviolation` events; once per target, and nothing where there is no document (a Worker, Node).
 */
export function watchWorkerRefusals(target: EventTarget | undefined = typeof document === 'undefined' ? undefined : document): void {
  if (!target || watched.has(target)) return;
  watched.add(target);
  target.addEventListener('securitypolicyviolation', (event) => {
    const violation = event as SecurityPolicyViolationEvent;
    // Inline scripts, eval and WebAssembly refusals are not about a Worker's script.
    if (!WORKER_DIRECTIVES.test(violation.effectiveDirective) || !/^(https?|blob|data|file):|^self$/.test(violation.blockedURI)) return;
    refusals.push({ at: violation.timeStamp, directive: violation.effectiveDirective, policy: violation.originalPolicy, blocked: violation.blockedURI });
    if (refusals.length > 20) refusals.shift();
  });
}

/**
 * Why a Worker started at `since` (a `performance.now()` time) failed to start, in words: the browser's own
 * message when its error event has one, else the refusal of a Worker script the page's Content-Security-Policy
 * reported since then (or last), else the usual causes. Waits one task first: the page reports a refusal in a task
 * of its own, which can come after the Worker's error event.
 */
export async function workerStartFailure(event: Event, since: number): Promise<string> {
  const message = (event as Partial<ErrorEvent>).message;
  if (message) return message;
  await new Promise((resolve) => setTimeout(resolve, 0));
  // A refusal since the Worker started; else the page's latest (a Worker readied earlier was refused the same way).
  const refusal = refusals.findLast((candidate) => candidate.at >= since) ?? refusals.at(-1);
  if (refusal) return `the page's Content-Security-Policy refused its script ${refusal.blocked} (${refusal.directive} of "${refusal.policy}")`;
  return "the browser gave no reason (most often its script is not served beside plugboard/worker's module, or a policy refused it)";
}
