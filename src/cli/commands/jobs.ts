import { ExitCode, UsageError } from '../../errors.ts';
import { deployWaves } from '../../deploy/order.ts';
import { formatDiagnostics } from '../../report/diagnostics.ts';
import type { Style } from '../../report/style.ts';
import { parseCommandArgs } from '../args.ts';
import type { CliIo } from '../io.ts';
import { openProject, prepare } from '../pipeline.ts';
import { JOBS_HELP, JOBS_OPTIONS } from '../usage/jobs.ts';

export async function jobsCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('jobs', argv, JOBS_OPTIONS);
  if (values.help) return io.stdout.write(JOBS_HELP), ExitCode.ok;
  const project = await openProject(io, values);
  const envName = positionals[0] ?? project.environments.map((m) => m.value.name).sort()[0];
  if (!envName) throw new UsageError('No environments found', { hint: 'Create environments/<name>.ts with defineEnvironment().' });
  const prepared = prepare(project, envName, io);
  io.stderr.write(formatDiagnostics(prepared.diagnostics, style));
  const byId = new Map(prepared.jobs.map((j) => [j.spec.id, j]));
  const order = deployWaves(prepared.jobs.map((j) => ({ id: j.spec.id, dependsOn: j.spec.dependsOn })));
  const rows = [['WAVE', 'JOB', 'KIND', 'GROUPS', 'OWNER', 'DEPENDS ON', 'FILE']];
  order.waves.forEach((wave, i) => {
    for (const id of wave) {
      const { spec, file } = byId.get(id)!;
      const kind = spec.kind === 'batch' && spec.periodic ? 'batch (periodic)' : spec.kind === 'batch' && spec.parameterized ? 'batch (parameterized)' : spec.kind;
      rows.push([String(i + 1), id, kind, String(spec.groups?.length ?? 0), spec.owner ?? '-', spec.dependsOn?.join(', ') || '-', file]);
    }
  });
  for (const id of order.unordered) rows.push(['?', id, '', '', '', 'cycle', byId.get(id)?.file ?? '']);
  for (const { name, file } of prepared.excluded) rows.push(['-', name, 'excluded', '', '', '-', file]);
  const reasons = prepared.excluded.map(({ name, reason }) => `${name} is not deployed to ${envName}: ${reason}\n`).join('');
  io.stdout.write(`${envName}\n${table(rows)}${reasons}`);
  return prepared.ok ? ExitCode.ok : ExitCode.validation;
}

function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n') + '\n';
}
