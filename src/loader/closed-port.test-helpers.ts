// A local port nothing listens on, for tests that need a request to fail as it does with the server down.
import { createServer } from 'node:http';

/** Resolves with a port on 127.0.0.1 that was opened and closed again, so a connection to it is refused. */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
