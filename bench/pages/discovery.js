// The discovery case in the page: the same sides as in Node, against dist/index.js in Chromium.
import { createHost } from '/dist/index.js';
import { makeManifests, timeDiscovery } from '/bench-fixtures/manifests.js';

const manifests = makeManifests(1000);
window.runDiscovery = (side) => timeDiscovery(side, createHost, manifests);
window.benchReady = true;
