// The plugin development server (Node only): serves a plugin folder to a running app and tells it when a file changed.
export { startDevServer, DEFAULT_DEV_PORT, EVENTS_PATH, GENERATION_PREFIX, MANIFEST_PATH } from './dev-server.ts';
export type { DevServer, DevServerEvent, DevServerOptions } from './dev-server.ts';
export { readPluginFolder } from './read-plugin-folder.ts';
export type { FolderModule, PluginFolder } from './read-plugin-folder.ts';
export { fileInside, mimeTypeOf, safePath } from './file-inside.ts';
export type { SafePath } from './file-inside.ts';
