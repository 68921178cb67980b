// plugboard/vite: the Vite plugin that ships the built-in plugins with an app's production build.
export { plugboard } from './plugboard-vite.ts';
export type { PlugboardViteOptions, PlugboardVitePlugin } from './plugboard-vite.ts';
