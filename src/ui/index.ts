// The web components, one per file, prefixed pb-. Importing this module defines them.
export { PbPluginList } from './pb-plugin-list.ts';
