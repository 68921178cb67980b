// The web components, one per file (the app shell <plugboard-app>, the rest prefixed pb-). Importing this module defines them.
export { PlugboardApp } from './plugboard-app.ts';
export type { AppView } from './plugboard-app.ts';
export { PbEvaluator } from './pb-evaluator.ts';
export { PbTrainer } from './pb-trainer.ts';
export { PbRunsView } from './pb-runs-view.ts';
export { PbPluginList } from './pb-plugin-list.ts';
export { PbPluginManager } from './pb-plugin-manager.ts';
