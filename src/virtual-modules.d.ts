// Modules made at build time by build/builtin-plugins.ts.
declare module 'virtual:plugboard/builtin-manifest' {
  /** The built-in manifest's JSON, and the URL its relative paths resolve against. */
  const builtin: { json: unknown; url: string };
  export default builtin;
}

declare module 'virtual:plugboard/sdk-url' {
  /** The URL of the module that exports the SDK, for the import map's 'plugboard/sdk' entry. */
  const sdkUrl: string;
  export default sdkUrl;
}
