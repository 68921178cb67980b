import { describe, it } from 'vitest';
import { describeTrackingStoreConformance } from '../testing/index.ts';
import { RestTrackingStore } from './index.ts';
import { resetTestMlflowServer, testMlflowServer } from './test-server.test-helpers.ts';

const server = testMlflowServer();

// Each check gets the server's database as it was when the server started: the default experiment alone.
describeTrackingStoreConformance(async () => {
  resetTestMlflowServer(server);
  return new RestTrackingStore(server.url);
}, { describe, it });
