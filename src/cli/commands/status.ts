import { setMaxListeners } from 'node:events';
import { ApiError } from '../../clients/api-error.ts';
import type { ConsulClient } from '../../clients/consul/index.ts';
import type { NomadClient } from '../../clients/nomad/index.ts';
import { describeOwner, ownedJobs, type Owner } from '../../deploy/ownership.ts';
import { ExitCode, InterruptedError, UsageError } from '../../errors.ts';
import { interruptedRunAt, sessionInterruptHint } from '../interrupt-hint.ts';
import { formatTable, notDeployedRow, summarizeJobStatus, type JobStatusRow } from '../../inspect/status.ts';
import { summarizeDiagnostics } from '../../report/diagnostics.ts';
import type { Report } from '../../report/events.ts';
import { ndjsonReporter } from '../../report/reporters/ndjson.ts';
import { plainReporter } from '../../report/reporters/plain.ts';
import { columnsOf, ttyReporter } from '../../report/reporters/tty.ts';
import type { Style } from '../../report/style.ts';
import type { NomadJobRead } from '../../wire/nomad-api.ts';
import { parseCommandArgs } from '../args.ts';
import { createClusterClients, resolveTargets } from '../clients.ts';
import type { CliIo } from '../io.ts';
import { openProject, prepare, projectName, type Prepared } from '../pipeline.ts';
import { humanStream } from '../output.ts';
import { jsonDocument, OUTPUT_SCHEMAS, type StatusOutput } from '../../report/documents.ts';
import { STATUS_HELP, STATUS_CHOICES, STATUS_OPTIONS } from '../usage/status.ts';

/** `drover status`: this project's jobs in an environment as a table on stdout. */
export async function statusCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('status', argv, STATUS_OPTIONS, STATUS_CHOICES);
  if (values.help) return io.stdout.write(STATUS_HELP), ExitCode.ok;
  const prepared = prepare(await openProject(io, values), positionals[0], io);
  if (!prepared.ok) {
    // Status still helps while jobs/ is broken; it only cannot list jobs that failed to build.
    io.stderr.write(`${style.yellow('⚠')} Definitions have problems (${summarizeDiagnostics(prepared.diagnostics)}); jobs that did not build are not listed as undeployed. Run \`drover validate ${prepared.env.name}\`.\n`);
  }
  const session = await connectCluster(prepared, io, style, values.output);
  try {
    const { nomad, signal } = session;
    const listed = (await nomad.jobs.list({ meta: true, signal })).value;
    const owned = ownedJobs(listed, session.owner);
    const rows: JobStatusRow[] = await Promise.all(
      owned.map(async (stub) => {
        const [job, deployments, allocations] = await Promise.all([
          nomad.jobs.read(stub.ID, { signal }),
          nomad.jobs.deployments(stub.ID, { signal }),
          nomad.jobs.allocations(stub.ID, { signal }),
        ]);
        return summarizeJobStatus(job.value, deployments.value, allocations.value);
      }),
    );
    const ownedIds = new Set(owned.map((j) => j.ID));
    const byId = new Map(listed.filter((j) => !j.ParentID).map((j) => [j.ID, j]));
    const notes: string[] = [];
    for (const { spec } of prepared.jobs) {
      if (ownedIds.has(spec.id)) continue;
      rows.push(notDeployedRow(spec.id));
      const other = byId.get(spec.id);
      if (other) notes.push(`${spec.id}: the ID is taken by a job this project does not own here (${describeOwner(other.Meta)}); deploy refuses it without --adopt.\n`);
    }
    rows.sort((a, b) => (a.id < b.id ? -1 : 1));
    if (values.output === 'json') return io.stdout.write(jsonDocument(statusDocument(session.env, prepared.env.nomad.namespace, rows, notes))), ExitCode.ok;
    humanStream(io, values.output).write(`${session.env} (namespace ${prepared.env.nomad.namespace})\n${statusTable(rows)}${notes.join('')}`);
    return ExitCode.ok;
  } finally {
    session.close();
  }
}

/** `--output json`'s document (drover.status/v1): the table's rows with absent values as null. */
function statusDocument(env: string, namespace: string, rows: readonly JobStatusRow[], notes: readonly string[]): StatusOutput {
  const jobs = rows.map((r) => ({ id: r.id, state: r.state, version: r.version ?? null, release: r.release ?? null, deployment: r.deployment, allocations: r.allocations, canaries: r.canaries, lastFailure: r.lastFailure }));
  return { schema: OUTPUT_SCHEMAS.status, env, namespace, jobs, notes: notes.map((n) => n.trimEnd()) };
}

function statusTable(rows: readonly JobStatusRow[]): string {
  const header = ['JOB', 'VERSION', 'RELEASE', 'STATUS', 'DEPLOYMENT', 'ALLOCATIONS', 'CANARIES', 'LAST FAILURE'];
  return formatTable([header, ...rows.map((r) => [r.id, r.version === undefined ? '-' : String(r.version), r.release ?? '-', r.state, r.deployment, r.allocations, r.canaries, r.lastFailure])]);
}

/**
 * What a cluster command works with once the environment is known: the owner identity, the Nomad
 * client, a reporter for progress (stderr, or ndjson on stdout) and a signal that Ctrl-C aborts.
 */
export interface ClusterSession {
  readonly env: string;
  readonly owner: Owner;
  readonly nomad: NomadClient;
  /** The environment's Consul (locks, and the release records of an environment others take releases from). */
  readonly consul: ConsulClient;
  readonly report: Report;
  readonly signal: AbortSignal;
  /** Closes the clients and the reporter and removes the signal handlers. */
  close(): void;
}

/** Connects to the environment's cluster (addresses overridden by NOMAD_ADDR/CONSUL_HTTP_ADDR). */
export async function connectCluster(prepared: Prepared, io: CliIo, style: Style, output: string | undefined): Promise<ClusterSession> {
  // `json` prints one document at the end: progress then goes to stderr as in CI.
  const requested = output === 'json' ? 'plain' : output;
  const mode = requested ?? (io.stderr.isTTY && !io.env.CI ? 'tty' : 'plain');
  if (!['tty', 'plain', 'ndjson'].includes(mode)) throw new UsageError(`Unknown --output ${mode}`, { hint: 'Use tty, plain, ndjson or json.' });
  const reporter = mode === 'ndjson' ? ndjsonReporter((t) => io.stdout.write(t)) : mode === 'tty' ? ttyReporter((t) => io.stderr.write(t), style, { columns: columnsOf(io.stderr) }) : plainReporter((t) => io.stderr.write(t), style);
  const owner = { project: await projectName(prepared.project.root), env: prepared.env.name };
  const { nomad, consul } = createClusterClients(prepared.env, resolveTargets(prepared.env, io.env), io.env, reporter);
  const abort = new AbortController();
  // One signal is shared by every request in flight (a plan reads 3 things per job at once).
  setMaxListeners(0, abort.signal);
  const run = interruptedRunAt({ cwd: io.cwd, root: prepared.project.root, envFile: prepared.envFile, env: prepared.env.name });
  const onSignal = () => abort.abort(new InterruptedError(sessionInterruptHint(run)));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    env: prepared.env.name,
    owner,
    nomad,
    consul,
    report: reporter,
    signal: abort.signal,
    close: () => {
      if ('stop' in reporter) (reporter as { stop(): void }).stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      abort.abort(); // ends event streams and polling still attached to the signal
      nomad.close();
      consul.close();
    },
  };
}

/** The job, or `null` when Nomad does not know it (404). */
export async function readJobOrNull(nomad: NomadClient, id: string, signal: AbortSignal): Promise<NomadJobRead | null> {
  try {
    return (await nomad.jobs.read(id, { signal })).value;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}
