import { DroverError, ExitCode, UsageError } from '../../errors.ts';
import { formatTable } from '../../inspect/status.ts';
import { historyRows, type VersionRow } from '../../inspect/versions.ts';
import type { Style } from '../../report/style.ts';
import { nameAJob, parseCommandArgs } from '../args.ts';
import type { CliIo } from '../io.ts';
import { openProject, prepare } from '../pipeline.ts';
import { connectCluster, readJobOrNull } from './status.ts';
import { HISTORY_HELP, HISTORY_CHOICES, HISTORY_OPTIONS } from '../usage/history.ts';
import { humanStream } from '../output.ts';
import { jsonDocument, OUTPUT_SCHEMAS, type HistoryOutput } from '../../report/documents.ts';

/** `drover history`: a job's versions as a table on stdout. */
export async function historyCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('history', argv, HISTORY_OPTIONS, HISTORY_CHOICES);
  if (values.help) return io.stdout.write(HISTORY_HELP), ExitCode.ok;
  const prepared = prepare(await openProject(io, values), positionals[0], io);
  const jobId = values.job;
  if (!jobId) throw new UsageError('No job given', { hint: nameAJob(`drover history ${prepared.env.name}`, prepared.jobs.map((j) => j.spec.id)) });
  const session = await connectCluster(prepared, io, style, values.output);
  try {
    const { nomad, signal } = session;
    const current = await readJobOrNull(nomad, jobId, signal);
    if (!current) {
      throw new DroverError(`Job "${jobId}" does not exist in ${session.env}`, ExitCode.refused, {
        context: { namespace: prepared.env.nomad.namespace },
        hint: `Run \`drover status ${session.env}\` for the jobs this project runs there.`,
      });
    }
    const [versions, deployments] = await Promise.all([nomad.jobs.versions(jobId, { signal }), nomad.jobs.deployments(jobId, { signal })]);
    const rows = historyRows(versions.value.Versions, deployments.value, current.Version);
    if (values.output === 'json') {
      const doc: HistoryOutput = { schema: OUTPUT_SCHEMAS.history, env: session.env, job: jobId, versions: rows };
      return io.stdout.write(jsonDocument(doc)), ExitCode.ok;
    }
    humanStream(io, values.output).write(`${jobId} in ${session.env}\n${historyTable(rows)}`);
    return ExitCode.ok;
  } finally {
    session.close();
  }
}

function historyTable(rows: readonly VersionRow[]): string {
  const header = ['VERSION', 'STABLE', 'SUBMITTED', 'RELEASE', 'GIT SHA', 'SPEC HASH', 'DEPLOYMENT'];
  const body = rows.map((r) => [
    `${r.current ? '*' : ' '}${r.version}${r.stopped ? ' (stopped)' : ''}`,
    r.stable ? 'yes' : 'no',
    r.submitted,
    r.release,
    r.gitSha,
    r.specHash,
    r.deployment,
  ]);
  return formatTable([header, ...body]);
}
