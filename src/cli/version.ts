// A named import, so the build inlines the version alone rather than the whole package.json.
import { version } from '../../package.json' with { type: 'json' };

/** The version of this Plugboard release, read from package.json when the command is built. */
export const VERSION: string = version;
