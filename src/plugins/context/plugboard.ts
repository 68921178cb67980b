import { defineContextProvider } from 'plugboard/sdk';

/** The Plugboard release these built-ins ship with (kept equal to package.json's version by a test). */
export const PLUGBOARD_VERSION = '0.1.0';

/** Tags every run with `plugboard.version`; always in context. */
export const plugboardContext = defineContextProvider({
  name: 'plugboard',
  description: 'Tags a run with the Plugboard version.',
  inContext: () => true,
  tags: () => ({ 'plugboard.version': PLUGBOARD_VERSION }),
});
