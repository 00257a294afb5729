import { DroverError, ExitCode, InterruptedError, UsageError } from '../../errors.ts';
import { probeRoute, runLoad } from '../../loadtest/run.ts';
import { resolveLoadtestSettings, type LoadtestSettings } from '../../loadtest/settings.ts';
import { formatLoadSummary, summarizeLoad, type LoadSummary } from '../../loadtest/summary.ts';
import { jsonDocument, OUTPUT_SCHEMAS, type LoadtestOutput } from '../../report/documents.ts';
import type { Style } from '../../report/style.ts';
import { parseCommandArgs } from '../args.ts';
import { withFabioAddress } from '../clients.ts';
import type { CliIo } from '../io.ts';
import { openProject, prepare } from '../pipeline.ts';
import { LOADTEST_HELP, LOADTEST_CHOICES, LOADTEST_OPTIONS } from '../usage/loadtest.ts';

/** Test hook: stop the run without a signal. */
export interface LoadtestControl {
  readonly stop?: AbortSignal;
}

/**
 * `drover loadtest <env>`: HTTP load through the environment's Fabio, bounded in time and count;
 * the summary on stdout (or one JSON document), progress on stderr.
 */
export async function loadtestCommand(argv: readonly string[], io: CliIo, style: Style, control: LoadtestControl = {}): Promise<number> {
  const { values, positionals } = parseCommandArgs('loadtest', argv, LOADTEST_OPTIONS, LOADTEST_CHOICES);
  if (values.help) return io.stdout.write(LOADTEST_HELP), ExitCode.ok;
  const env = withFabioAddress(prepare(await openProject(io, values), positionals[0], io).env, io.env);
  const address = env.fabio.address;
  if (!address) {
    throw new UsageError(`Environment ${env.name} has no Fabio address to send load to`, {
      hint: `Set fabio.address in environments/${env.name}.ts, or export DROVER_FABIO_ADDR (\`drover sandbox --env ${env.name}\` exports it).`,
    });
  }
  const settings = settled(address, values);
  // Progress is for people and never mixes with the summary or the document on stdout.
  const progress = io.stderr;
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  control.stop?.addEventListener('abort', onSignal, { once: true });
  try {
    await refuseUnroutable(settings, env.name, abort.signal);
    progress.write(`${style.dim('→')} ${describeRun(settings)}\n`);
    const onTick = (answered: number, seconds: number): void => {
      // autocannon ticks once more as it stops; an empty last second says nothing.
      if (answered > 0 || seconds < settings.durationSeconds) progress.write(style.dim(`  ${Math.round(seconds)}s  ${answered} answers\n`));
    };
    const measured = await runLoad(settings, { signal: abort.signal, onTick });
    const summary = summarizeLoad(settings, measured);
    if (values.output === 'json') io.stdout.write(jsonDocument(loadtestDocument(env.name, summary)));
    else io.stdout.write(formatLoadSummary(summary));
    if (measured.stoppedBy === 'interrupted') return ExitCode.interrupted;
    if (summary.answered === 0 && summary.errors > 0) {
      // The probe was answered, then nothing was: Fabio went away or stopped accepting connections.
      io.stderr.write(`${style.red('✖')} No request was answered after the probe (${summary.errors} errors, ${summary.timeouts} timeouts): Fabio at ${new URL(settings.url).origin} stopped answering\n`);
      return ExitCode.unreachable;
    }
    return ExitCode.ok;
  } finally {
    process.off('SIGINT', onSignal);
    control.stop?.removeEventListener('abort', onSignal);
  }
}

function settled(address: string, values: ReturnType<typeof parseCommandArgs<typeof LOADTEST_OPTIONS>>['values']): LoadtestSettings {
  const resolved = resolveLoadtestSettings(address, {
    route: values.route,
    rps: values.rps,
    duration: values.duration,
    connections: values.connections,
    requests: values.requests,
    host: values.host,
    splitHeader: values['split-header'],
    allowRemote: values['allow-remote'],
  });
  if (resolved.ok) return resolved.settings;
  const [first, ...rest] = resolved.problems;
  throw new UsageError(rest.length ? `${rest.length + 1} problems with the load flags` : (first ?? 'Invalid load flags'), {
    ...(rest.length ? { context: Object.fromEntries(resolved.problems.map((p, i) => [`${i + 1}`, p])) } : {}),
    hint: 'Run `drover loadtest --help` for the flags and their bounds.',
  });
}

/** One request first, so a wrong address or a missing route fails in a second, not after a minute of errors. */
async function refuseUnroutable(settings: LoadtestSettings, env: string, signal: AbortSignal): Promise<void> {
  const probe = await probeRoute(settings, signal);
  if (signal.aborted) throw new InterruptedError('Nothing was sent beyond the probe request.');
  const context = { target: settings.url, ...(settings.host ? { host: settings.host } : {}), env };
  if (probe.kind === 'unreachable') {
    throw new DroverError(`Cannot reach Fabio at ${new URL(settings.url).origin}`, ExitCode.unreachable, {
      context: { ...context, cause: probe.reason },
      hint: `Is Fabio running there? For the sandbox, start \`drover sandbox --env ${env}\` and eval its exports (DROVER_FABIO_ADDR).`,
    });
  }
  if (probe.status === 404) {
    throw new DroverError(`Fabio answered 404 for ${settings.route}: no route for it, or the app behind the route has no such path`, ExitCode.unreachable, {
      context,
      hint: 'Load a path a deployed job serves (its urlprefix- route; the example api answers /api/products), or --host for a host-based route. Nothing was sent beyond one probe request.',
    });
  }
}

function describeRun(settings: LoadtestSettings): string {
  const rate = settings.rps === undefined ? 'as fast as possible' : `${settings.rps} req/s`;
  return `GET ${settings.url}${settings.host ? ` (Host: ${settings.host})` : ''}: ${rate} for ${settings.durationSeconds}s over ${settings.connections} connections, at most ${settings.maxRequests} requests${settings.remote ? ' (remote target, --allow-remote)' : ''}`;
}

/** `--output json`'s document (drover.loadtest/v1). */
function loadtestDocument(env: string, summary: LoadSummary): LoadtestOutput {
  return { schema: OUTPUT_SCHEMAS.loadtest, env, ...summary };
}
