// The web app's entry: a host over the built-in manifest that scores in Workers, shown by <plugboard-app>.
import { createHost } from './host/index.ts';
import { createWorkerScorer } from './workers/index.ts';
import './ui/index.ts';

// `?manifest=URL` (repeatable) layers a team's manifest before the built-in one; its origin is allowed.
const manifests = new URLSearchParams(location.search).getAll('manifest');
const host = await createHost({ manifests, scoreInWorkers: createWorkerScorer() });
const app = document.querySelector('plugboard-app');
if (app) app.host = host;
