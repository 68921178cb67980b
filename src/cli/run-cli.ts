import type { CliContext } from './cli-context.ts';
import { runCheck } from './check-command.ts';
import { describeThrown } from './describe-failure.ts';
import { runDev } from './dev-command.ts';
import { runEval } from './eval-command.ts';
import { runFreeze } from './freeze-command.ts';
import { runList } from './list-command.ts';
import { commandHelp, fullUsage, USAGE, UsageError } from './usage.ts';
import { VERSION } from './version.ts';

const COMMANDS = { eval: runEval, list: runList, check: runCheck, freeze: runFreeze, dev: runDev } as const;

/**
 * Runs `plugboard <command> [args]` (or `plugboard --version`, `-V`: the version on stdout, exit 0) and
 * resolves with the exit code: 0 on success; 1 for bad input (one
 * line on stderr naming the file, row and field), a plugin that failed to load, or a failed check; 2 for
 * bad usage (the problem and the usage text on stderr). Never rejects.
 */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? context.stderr : context.stdout)(`${fullUsage()}\n`);
    return command === undefined ? 2 : 0;
  }
  // --version and -V, as commander and most Node tools spell them (-v is often taken by verbose).
  if (command === '--version' || command === '-V') {
    context.stdout(`${VERSION}\n`);
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, command)) {
    context.stderr(`plugboard: unknown command ${JSON.stringify(command)}; commands: ${Object.keys(COMMANDS).join(', ')}\n\n${fullUsage()}\n`);
    return 2;
  }
  const name = command as keyof typeof COMMANDS;
  if (args.includes('--help') || args.includes('-h')) {
    context.stdout(`Usage: ${commandHelp(name)}\n`);
    return 0;
  }
  try {
    return await COMMANDS[name](args, context);
  } catch (thrown) {
    const usage = asUsageError(thrown, name);
    if (usage) {
      context.stderr(`plugboard: ${usage.message}\n\nUsage: ${USAGE[usage.command ?? name]}\n`);
      return 2;
    }
    context.stderr(`${describeThrown(thrown)}\n`);
    return 1;
  }
}

/** A UsageError, or node:util parseArgs' own complaint (unknown option, missing value) as one. */
function asUsageError(thrown: unknown, command: keyof typeof COMMANDS): UsageError | undefined {
  if (thrown instanceof UsageError) return thrown;
  const code = (thrown as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) return new UsageError((thrown as Error).message, command);
  // A metric's option check fails on what --option gave it: that is how the command was called.
  if (code === 'METRIC_OPTION') {
    const error = thrown as { plugin?: string; problem: string; hint?: string };
    return new UsageError(`--option for ${error.plugin ?? 'the metric'}: ${error.problem}${error.hint ? ` ${error.hint}` : ''}`, command);
  }
  return undefined;
}
