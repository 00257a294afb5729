import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';
import { didYouMeanText } from '../validate/did-you-mean.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every command accepts. */
export const COMMON_OPTIONS = {
  project: { type: 'string' },
  environments: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** `--output MODE` of the commands that report progress or print results. */
export const OUTPUT_OPTIONS = { output: { type: 'string' } } as const satisfies Options;

/**
 * The values each enumerated flag of a command may take (`output: ['tty', 'plain', 'ndjson']`).
 * The command's parser refuses any other and completion offers exactly these, so the two cannot
 * drift apart.
 */
export type Choices = Readonly<Record<string, readonly string[]>>;

/**
 * node:util parseArgs with drover's usage errors (exit 64) instead of Node's TypeErrors, worded
 * for a person: which flag, what was wrong, the nearest flags this command has. A flag listed in
 * `choices` must take one of its values.
 */
export function parseCommandArgs<O extends Options>(command: string, argv: readonly string[], options: O, choices: Choices = {}) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw flagError(command, options, error);
  }
  for (const [flag, allowed] of Object.entries(choices)) {
    const value: unknown = (parsed.values as Record<string, unknown>)[flag];
    if (typeof value === 'string' && !allowed.includes(value)) throw choiceError(command, flag, value, allowed);
  }
  return parsed;
}

/** The usage error for a value an enumerated flag does not take. */
export function choiceError(command: string, flag: string, value: string, allowed: readonly string[]): UsageError {
  // A command that reports a rollout as it happens has no single document to print.
  if (flag === 'output' && value === 'json' && allowed.includes('ndjson')) {
    return new UsageError(`drover ${command} has no --output json: it reports a rollout as it happens`, {
      hint: 'Use --output ndjson: one event per line on stdout, the last one the summary (deploy-finished). See docs/output.md.',
    });
  }
  const list = allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}` : (allowed[0] ?? '');
  return new UsageError(`drover ${command} has no --${flag} ${value}`, { hint: `Use --${flag} ${list}, or leave --${flag} out. Run \`drover ${command} --help\` for what each does.` });
}

/** The usage error for what parseArgs refused, without Node's parser wording. */
export function flagError(command: string, options: Options, error: unknown): UsageError {
  const hint = `Run \`drover ${command} --help\` for the flags it accepts.`;
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flags = Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const typed = /'([^']+)'/.exec(message)?.[1] ?? '';
    const flag = typed.split('=')[0] ?? typed;
    const near = didYouMeanText(flag, flags.filter((f) => f.startsWith('--')), (s) => `\`${s}\``);
    return new UsageError(`drover ${command} has no flag ${flag}.${near}`, { hint });
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /--[\w-]+/.exec(message)?.[0] ?? 'a flag';
    if (/argument missing/.test(message)) return new UsageError(`${flag} needs a value (drover ${command} ${flag} <value>)`, { hint });
    if (/does not take an argument/.test(message)) return new UsageError(`${flag} is a switch and takes no value`, { hint: `Write \`${flag}\` alone. ${hint}` });
  }
  return new UsageError(message.split('. To specify')[0] ?? message, { hint });
}

/**
 * The hint of a command run without `--job`: a command that runs as written (the first job) and
 * every job it could name, so no hint carries a placeholder.
 */
export function nameAJob(command: string, jobIds: readonly string[]): string {
  if (jobIds.length === 0) return 'This project has no jobs in jobs/ for this environment.';
  return `Name a job with --job, e.g. \`${command} --job ${jobIds[0]}\` (jobs: ${jobIds.join(', ')}).`;
}
