import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every command accepts. */
export const COMMON_OPTIONS = {
  project: { type: 'string' },
  environments: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** node:util parseArgs with drover's usage errors (exit 64) instead of TypeErrors. */
export function parseCommandArgs<O extends Options>(command: string, argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}`, { hint: `Run \`drover ${command} --help\` for the flags it accepts.` });
  }
}

/**
 * The hint of a command run without `--job`: a command that runs as written (the first job) and
 * every job it could name, so no hint carries a placeholder.
 */
export function nameAJob(command: string, jobIds: readonly string[]): string {
  if (jobIds.length === 0) return 'This project has no jobs in jobs/ for this environment.';
  return `Name a job with --job, e.g. \`${command} --job ${jobIds[0]}\` (jobs: ${jobIds.join(', ')}).`;
}
