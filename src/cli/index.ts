// The plugboard command line (eval, list, check, freeze, dev) over the same manifests and plugin modules as the page.
export { runCli } from './run-cli.ts';
export type { CliContext } from './cli-context.ts';
export { runEval } from './eval-command.ts';
export { runList } from './list-command.ts';
export type { ListedEntryPoint } from './list-command.ts';
export { runCheck } from './check-command.ts';
export { runFreeze } from './freeze-command.ts';
export { runDev } from './dev-command.ts';
export type { CheckReport } from './check-command.ts';
export { parseOptionValue } from './parse-option.ts';
export { USAGE, UsageError } from './usage.ts';
