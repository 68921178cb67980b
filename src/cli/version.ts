import packageJson from '../../package.json' with { type: 'json' };

/** The version of this Plugboard release, read from package.json when the command is built. */
export const VERSION: string = packageJson.version;
