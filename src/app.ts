// The web app's entry: a host over the built-in manifest that scores in Workers, shown by <plugboard-app>.
import { createHost } from './host/index.ts';
import { formatError, PlugboardError } from './errors/index.ts';
import { idbInstalledPlugins } from './lifecycle/index.ts';
import { createWorkerScorer } from './workers/index.ts';
import { PbPluginManager } from './ui/index.ts';

// The Plugins view browses the sample catalog the app serves beside itself.
PbPluginManager.defaultCatalogs = [new URL('plugins-catalog.json', document.baseURI).href];

// `?manifest=URL` (repeatable) layers a team's manifest before the built-in one; its origin is allowed.
const manifests = new URLSearchParams(location.search).getAll('manifest');
// What a person installs in the Plugins view is kept in IndexedDB and layered above the other manifests.
const host = await createHost({ manifests, scoreInWorkers: createWorkerScorer(), installedPlugins: idbInstalledPlugins() });
const app = document.querySelector('plugboard-app');
if (app) app.host = host;
// The plugboard dev servers the person was developing from are followed again (Plugins → Develop shows their state).
host.plugins.resumeDevelopment().catch((thrown: unknown) => console.warn(thrown instanceof PlugboardError ? formatError(thrown) : thrown));
