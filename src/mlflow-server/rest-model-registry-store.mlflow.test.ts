import { describe, it } from 'vitest';
import { describeModelRegistryConformance } from '../testing/index.ts';
import { RestModelRegistryStore } from './index.ts';
import { resetTestMlflowServer, testMlflowServer } from './test-server.test-helpers.ts';

const server = testMlflowServer();

// Each check gets the server's database as it was when the server started: an empty registry.
describeModelRegistryConformance(async () => {
  resetTestMlflowServer(server);
  return new RestModelRegistryStore(server.url);
}, { describe, it });
