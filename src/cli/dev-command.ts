import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { formatError } from '../index.ts';
import { DEFAULT_DEV_PORT, startDevServer, type DevServerEvent } from '../dev-server/index.ts';
import type { CliContext } from './cli-context.ts';
import { resolvePath } from './locate.ts';
import { UsageError } from './usage.ts';

/**
 * `plugboard dev FOLDER`: serves a plugin folder to a running app (see `startDevServer`), prints the manifest URL
 * to connect in the app, the folder's problems, and one line per change, and runs until `context.signal` aborts
 * (Ctrl+C), then closes the server and returns 0. A folder without a manifest or a port in use throws (exit 1).
 */
export async function runDev(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { port: { type: 'string' }, origin: { type: 'string', multiple: true } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError(`dev takes one FOLDER, received ${positionals.length}`, 'dev');
  const port = readPort(values.port);
  for (const origin of values.origin ?? []) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) throw new UsageError(`--origin ${JSON.stringify(origin)} is not an origin; give scheme, host and port only, e.g. https://app.example`, 'dev');
  }
  const folder = resolvePath(positionals[0]!, context.cwd);
  const printProblems = (problems: DevServerEvent['problems']) => {
    for (const problem of problems) context.stderr(`plugboard dev: ${problem.code}: ${formatError(problem).split('\n').join('\n    ')}\n`);
  };
  const server = await startDevServer({
    folder,
    port,
    ...(values.origin ? { origins: values.origin } : {}),
    onChange: (event) => {
      const files = event.files.filter((file) => file !== '').join(', ') || 'the folder';
      const state = event.problems.length ? `${event.problems.length} problem${event.problems.length === 1 ? '' : 's'}` : 'ok';
      context.stdout(`plugboard dev: ${files} changed → generation ${event.generation}, ${server.connections} app${server.connections === 1 ? '' : 's'} told (${state})\n`);
      printProblems(event.problems);
    },
  });
  context.stdout(
    [
      `plugboard dev: serving ${server.folder.dir} (${basename(server.folder.file)}, ${server.folder.entryPoints} entry point${server.folder.entryPoints === 1 ? '' : 's'})`,
      `  manifest  ${server.manifestUrl}`,
      '  In the app: Plugins → Develop → paste the manifest URL → Connect. Development plugins are not pinned;',
      `  they reload when a file here changes. Pages of localhost may connect${values.origin ? ` and ${values.origin.join(', ')}` : ''}.`,
      '  Ctrl+C stops.',
      '',
    ].join('\n'),
  );
  printProblems(server.folder.problems);
  await new Promise<void>((resolve) => {
    if (!context.signal || context.signal.aborted) return resolve();
    context.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  context.stdout('plugboard dev: stopped\n');
  return 0;
}

/** The --port value: a whole number from 0 (any free port) to 65535; the default without it. */
function readPort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_DEV_PORT;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port must be a whole number from 0 to 65535, received ${JSON.stringify(text)}`, 'dev');
  return port;
}
