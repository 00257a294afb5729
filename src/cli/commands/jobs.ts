import { ExitCode, UsageError } from '../../errors.ts';
import { deployWaves } from '../../deploy/order.ts';
import { formatDiagnostics } from '../../report/diagnostics.ts';
import type { Style } from '../../report/style.ts';
import { parseCommandArgs } from '../args.ts';
import type { CliIo } from '../io.ts';
import { openProject, prepare, type Prepared } from '../pipeline.ts';
import { jsonDocument, OUTPUT_SCHEMAS, type JobsEntry, type JobsOutput } from '../../report/documents.ts';
import { JOBS_HELP, JOBS_CHOICES, JOBS_OPTIONS } from '../usage/jobs.ts';

export async function jobsCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('jobs', argv, JOBS_OPTIONS, JOBS_CHOICES);
  if (values.help) return io.stdout.write(JOBS_HELP), ExitCode.ok;
  const project = await openProject(io, values);
  const envName = positionals[0] ?? project.environments.map((m) => m.value.name).sort()[0];
  if (!envName) throw new UsageError('No environments found', { hint: 'Create environments/<name>.ts with defineEnvironment().' });
  const prepared = prepare(project, envName, io);
  const json = values.output === 'json';
  if (!json) io.stderr.write(formatDiagnostics(prepared.diagnostics, style));
  const byId = new Map(prepared.jobs.map((j) => [j.spec.id, j]));
  const order = deployWaves(prepared.jobs.map((j) => ({ id: j.spec.id, dependsOn: j.spec.dependsOn })));
  const rows = [['WAVE', 'JOB', 'KIND', 'GROUPS', 'OWNER', 'DEPENDS ON', 'FILE']];
  order.waves.forEach((wave, i) => {
    for (const id of wave) {
      const { spec, file } = byId.get(id)!;
      const kind = kindOf(spec);
      rows.push([String(i + 1), id, kind, String(spec.groups?.length ?? 0), spec.owner ?? '-', spec.dependsOn?.join(', ') || '-', file]);
    }
  });
  if (json) return io.stdout.write(jsonDocument(jobsDocument(envName, prepared, order))), prepared.ok ? ExitCode.ok : ExitCode.validation;
  for (const id of order.unordered) rows.push(['?', id, '', '', '', 'cycle', byId.get(id)?.file ?? '']);
  for (const { name, file } of prepared.excluded) rows.push(['-', name, 'excluded', '', '', '-', file]);
  const reasons = prepared.excluded.map(({ name, reason }) => `${name} is not deployed to ${envName}: ${reason}\n`).join('');
  io.stdout.write(`${envName}\n${table(rows)}${reasons}`);
  return prepared.ok ? ExitCode.ok : ExitCode.validation;
}

/** `--output json`'s document (drover.jobs/v1): the rows of the table, typed. */
function jobsDocument(env: string, prepared: Prepared, order: { readonly waves: readonly (readonly string[])[]; readonly unordered: readonly string[] }): JobsOutput {
  const byId = new Map(prepared.jobs.map((j) => [j.spec.id, j]));
  const entry = (id: string, wave: number | null): JobsEntry => {
    const { spec, file } = byId.get(id)!;
    return { wave, id, kind: kindOf(spec), groups: spec.groups?.length ?? 0, owner: spec.owner ?? null, dependsOn: [...(spec.dependsOn ?? [])], file };
  };
  const jobs = [...order.waves.flatMap((wave, i) => wave.map((id) => entry(id, i + 1))), ...order.unordered.map((id) => entry(id, null))];
  const excluded = prepared.excluded.map(({ name, file, reason }) => ({ name, file, reason }));
  return { schema: OUTPUT_SCHEMAS.jobs, env, ok: prepared.ok, jobs, excluded, diagnostics: prepared.diagnostics };
}

function kindOf(spec: Prepared['jobs'][number]['spec']): string {
  if (spec.kind === 'batch' && spec.periodic) return 'batch (periodic)';
  if (spec.kind === 'batch' && spec.parameterized) return 'batch (parameterized)';
  return spec.kind;
}

function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n') + '\n';
}
