import { setMaxListeners } from 'node:events';
import { ApiError } from '../../clients/api-error.ts';
import { DroverError, ExitCode, InterruptedError, UsageError } from '../../errors.ts';
import { LogsOutput } from '../../logs/output.ts';
import { MAX_TAIL_LINES, runLogs } from '../../logs/run.ts';
import { selectLogSources, type LogFilters } from '../../logs/select.ts';
import { toNanoseconds } from '../../model/duration.ts';
import { formatEvent } from '../../report/formatters.ts';
import { colorEnabled, type Style } from '../../report/style.ts';
import { parseCommandArgs } from '../args.ts';
import { createClusterClients, resolveTargets } from '../clients.ts';
import type { CliIo } from '../io.ts';
import { openProject, prepare } from '../pipeline.ts';
import { LOGS_HELP, LOGS_CHOICES, LOGS_OPTIONS } from '../usage/logs.ts';
import { readJobOrNull } from './status.ts';

const MAX_SINCE_MS = 168 * 3600_000;

/** `drover logs <env> <job>`: the logs of a job's allocations, prefixed per allocation; `-f` follows. */
export async function logsCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('logs', argv, LOGS_OPTIONS, LOGS_CHOICES);
  if (values.help) return io.stdout.write(LOGS_HELP), ExitCode.ok;
  const flags = readFlags(values, positionals);
  const prepared = prepare(await openProject(io, values), flags.env, io);
  const namespace = prepared.env.nomad.namespace;
  const report = (event: Parameters<typeof formatEvent>[0]): void => {
    const line = formatEvent(event, style);
    if (line !== undefined) io.stderr.write(`${line}\n`);
  };
  const { nomad, consul } = createClusterClients(prepared.env, resolveTargets(prepared.env, io.env), io.env, report);
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const onSignal = (): void => abort.abort(new InterruptedError(`Run \`drover logs ${flags.env} ${flags.job}\` again to read them.`));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const output = new LogsOutput(io, { ndjson: flags.output === 'ndjson', colour: colorEnabled(io.stdout.isTTY, io.env), streams: flags.streams, style });
  try {
    if (!(await readJobOrNull(nomad, flags.job, abort.signal))) {
      throw new UsageError(`Job "${flags.job}" is not in ${flags.env} (namespace ${namespace})`, { hint: `Run \`drover status ${flags.env}\` for the jobs deployed there.` });
    }
    const allocations = await nomad.jobs.allocations(flags.job, { signal: abort.signal });
    if (flags.follow && selectLogSources(allocations.value, flags.filters, Date.now()).length === 0) {
      io.stderr.write(`${style.dim(`No allocation of ${flags.job} in ${flags.env} matches${describeFilters(flags.filters)} yet; following the ones that start (Ctrl-C ends it).`)}\n`);
    }
    const secrets = [io.env.NOMAD_TOKEN, io.env.CONSUL_HTTP_TOKEN, io.env.VAULT_TOKEN].filter((s): s is string => Boolean(s));
    const { sources } = await runLogs({
      nomad, jobId: flags.job, allocations, filters: flags.filters, streams: flags.streams, tail: flags.tail, tailGiven: flags.tailGiven,
      follow: flags.follow, secrets, signal: abort.signal, emit: (r) => output.write(r), now: Date.now,
    });
    if (sources === 0 && !flags.follow) io.stderr.write(`${style.dim(`No allocation of ${flags.job} in ${flags.env} matches${describeFilters(flags.filters)}.`)}\n`);
    return ExitCode.ok;
  } catch (error) {
    // Ctrl-C is how a follow ends: not an interruption of anything.
    if (abort.signal.aborted && flags.follow) return ExitCode.ok;
    if (abort.signal.aborted) throw abort.signal.reason;
    throw logsDenied(error, namespace) ?? error;
  } finally {
    output.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    abort.abort();
    nomad.close();
    consul.close();
  }
}

interface LogsFlags {
  readonly env: string;
  readonly job: string;
  readonly filters: LogFilters;
  readonly follow: boolean;
  readonly tail: number;
  readonly tailGiven: boolean;
  readonly streams: 'stdout' | 'stderr' | 'both';
  readonly output: 'plain' | 'ndjson';
}

function readFlags(values: ReturnType<typeof parseCommandArgs<typeof LOGS_OPTIONS>>['values'], positionals: readonly string[]): LogsFlags {
  const [env, job, ...rest] = positionals;
  const hint = 'Run `drover logs --help`.';
  if (!env || !job) throw new UsageError('drover logs needs an environment and a job, e.g. `drover logs qa api`', { hint });
  if (rest.length) throw new UsageError(`drover logs takes one job; unexpected ${rest.map((r) => `"${r}"`).join(', ')}`, { hint });
  if (values.stderr && values.both) throw new UsageError('--stderr and --both exclude each other', { hint: 'Use --stderr for stderr alone, --both for stdout and stderr.' });
  // tty is accepted as plain: the lines are the live view.
  const output = values.output === undefined || values.output === 'tty' ? 'plain' : values.output;
  if (output !== 'plain' && output !== 'ndjson') throw new UsageError(`drover logs has no --output ${output}`, { hint: 'Use plain (default) or ndjson.' });
  const tail = values.tail === undefined ? 100 : wholeNumber('--tail', values.tail, MAX_TAIL_LINES);
  const version = values.version === undefined ? undefined : wholeNumber('--version', values.version, Number.MAX_SAFE_INTEGER);
  const filters: LogFilters = {
    ...(values.group !== undefined ? { group: values.group } : {}),
    ...(values.task !== undefined ? { task: values.task } : {}),
    ...(values.alloc !== undefined ? { alloc: values.alloc } : {}),
    ...(values.canary ? { canary: true } : {}),
    ...(version !== undefined ? { version } : {}),
    ...(values.since !== undefined ? { sinceMs: sinceMs(values.since) } : {}),
  };
  return { env, job, filters, follow: values.follow ?? false, tail, tailGiven: values.tail !== undefined, streams: values.both ? 'both' : values.stderr ? 'stderr' : 'stdout', output };
}

function wholeNumber(flag: string, text: string, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > max) throw new UsageError(`${flag} takes a whole number from 0 to ${max}, not "${text}"`, { hint: `e.g. ${flag} 50` });
  return n;
}

function sinceMs(text: string): number {
  const nanos = toNanoseconds(text);
  if (nanos === undefined || nanos <= 0 || nanos / 1e6 > MAX_SINCE_MS) {
    throw new UsageError(`--since takes a duration from 1s to 168h, like 10m or 2h, not "${text}"`, { hint: 'e.g. --since 30m' });
  }
  return nanos / 1e6;
}

function describeFilters(filters: LogFilters): string {
  const parts = Object.entries(filters).map(([k, v]) => (k === 'sinceMs' ? `--since ${Number(v) / 1000}s` : k === 'canary' ? '--canary' : `--${k} ${String(v)}`));
  return parts.length ? ` ${parts.join(' ')}` : ' (no allocation is meant to run)';
}

/**
 * Reading logs needs `read-logs` on the namespace (or `read-fs`); listing and following the
 * allocations already worked, so the token has `read-job` and lacks only that. The policy line to
 * add, verbatim.
 */
function logsDenied(error: unknown, namespace: string): DroverError | undefined {
  if (!(error instanceof ApiError) || error.status !== 403 || !error.path.startsWith('/v1/client/fs/logs/')) return undefined;
  const line = `namespace "${namespace}" { capabilities = ["read-logs"] }`;
  return new DroverError(`Not allowed to read logs in namespace ${namespace}: Nomad refused the token (HTTP 403) for ${error.method} ${error.path.split('?')[0]}`, ExitCode.noPermission, {
    context: { capability: 'read-logs', namespace },
    hint: `Add this line to a policy of the token in NOMAD_TOKEN (or add "read-logs" to its namespace "${namespace}" block), then retry:\n  ${line}`,
  });
}
