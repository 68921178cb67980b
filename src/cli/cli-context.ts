import type { HostOptions } from '../index.ts';

/** What a command needs from its surroundings, so tests can run it in-process. */
export interface CliContext {
  /** Writes text to standard output (the text carries its own line ends). */
  stdout(text: string): void;
  /** Writes text to standard error. */
  stderr(text: string): void;
  /** The folder relative paths resolve against. */
  cwd: string;
  /** The environment variables read as MLflow reads them (MLFLOW_TRACKING_URI, MLFLOW_EXPERIMENT_ID); none when absent. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Aborts when the person stops the command (Ctrl+C): a command that runs until stopped, such as `dev`, then returns. */
  signal?: AbortSignal;
  /** Extra host options (a test's loader environment); the command's own options win. */
  hostOptions?: Partial<HostOptions>;
}
