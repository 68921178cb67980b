// `npm start`: serves the app with Vite's dev server and prints its URL (PORT overrides 5173; Ctrl+C stops it).
// A port that is taken or not a port ends the command with one line saying so and exit code 1.
import { createServer as createNetServer } from 'node:net';

const DEFAULT_PORT = 5173;

/** Prints one line on stderr and ends the process with exit code 1. */
function fail(message) {
  process.stderr.write(`plugboard: ${message}\n`);
  process.exit(1);
}

/** The port PORT names, or 5173 without it; anything but a whole number from 1 to 65535 fails. */
function readPort(text) {
  if (text === undefined || text === '') return DEFAULT_PORT;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) fail(`PORT must be a whole number from 1 to 65535, received ${JSON.stringify(text)}; for example PORT=8080 npm start`);
  return port;
}

/** Resolves when nothing listens on `port` of localhost, by listening there for a moment; otherwise fails. */
function checkPortFree(port) {
  return new Promise((resolve) => {
    const probe = createNetServer();
    probe.once('error', (error) => refuse(port, error));
    probe.listen({ port, host: 'localhost', exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** Fails with what a refused port means and how to pick another. */
function refuse(port, error) {
  const another = port === 65535 ? port - 1 : port + 1;
  if (error.code === 'EADDRINUSE') {
    fail(`port ${port} is taken: another program (perhaps the app, started before) listens on it. Stop that program, or choose another port: PORT=${another} npm start`);
  }
  if (error.code === 'EACCES') fail(`port ${port} needs privileges this user does not have; choose a port above 1023: PORT=8080 npm start`);
  fail(`cannot serve the app on port ${port}: ${error.message}; choose another port: PORT=${another} npm start`);
}

const port = readPort(process.env.PORT);
await checkPortFree(port);
const { createServer } = await import('vite');
try {
  const server = await createServer({ server: { port, strictPort: true, host: 'localhost' } });
  await server.listen();
} catch (error) {
  // Another program may take the port between the check and Vite's own listen.
  refuse(port, error);
}
console.log(`Plugboard is running at http://localhost:${port}/ (Ctrl+C stops it)`);
