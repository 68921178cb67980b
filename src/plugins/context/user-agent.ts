import { defineContextProvider } from 'plugboard/sdk';

/** The tag key holding the user agent (Plugboard's own; MLflow reserves no key for it). */
export const USER_AGENT_TAG = 'plugboard.userAgent';

function userAgent(): string | undefined {
  const agent = (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent;
  return typeof agent === 'string' && agent !== '' ? agent : undefined;
}

/** Tags a run with `plugboard.userAgent` = `navigator.userAgent`; in context when the runtime has one. */
export const userAgentContext = defineContextProvider({
  name: 'user_agent',
  description: 'Tags a run with the user agent.',
  inContext: () => userAgent() !== undefined,
  tags: () => ({ [USER_AGENT_TAG]: userAgent() ?? '' }),
});
