// Modules made at build time by build/builtin-plugins.ts.
declare module 'virtual:plugboard/builtin-manifest' {
  /** The built-in manifest's JSON, and the URL its relative paths resolve against. */
  const builtin: { json: unknown; url: string };
  export default builtin;
}
