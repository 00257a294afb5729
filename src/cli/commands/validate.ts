import { join } from 'node:path';
import { ExitCode, UsageError } from '../../errors.ts';
import { formatDiagnostics, summarizeDiagnostics } from '../../report/diagnostics.ts';
import type { Style } from '../../report/style.ts';
import { parseCommandArgs } from '../args.ts';
import { checkGeneratedFiles, definedEnvironments } from '../../project/generated-files.ts';
import { hasErrors, sortDiagnostics } from '../../validate/diagnostic.ts';
import type { CliIo } from '../io.ts';
import { openProject, prepare } from '../pipeline.ts';
import { VALIDATE_HELP, VALIDATE_CHOICES, VALIDATE_OPTIONS } from '../usage/validate.ts';
import { jsonDocument, OUTPUT_SCHEMAS, type ValidateEnvironment } from '../../report/documents.ts';

export async function validateCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('validate', argv, VALIDATE_OPTIONS, VALIDATE_CHOICES);
  if (values.help) return io.stdout.write(VALIDATE_HELP), ExitCode.ok;
  if (positionals.length > 1) throw new UsageError(`Unexpected arguments: ${positionals.slice(1).join(' ')}`, { hint: 'Usage: drover validate [<env>]' });
  const project = await openProject(io, values, { typecheck: !values['no-typecheck'] });
  const envNames = positionals[0] ? [positionals[0]] : project.environments.map((m) => m.value.name);
  if (envNames.length === 0) throw new UsageError('No environments found', { hint: 'Create environments/<name>.ts with defineEnvironment(), or pass --environments.' });
  const json = values.output === 'json';
  const checked: ValidateEnvironment[] = [];
  let failed = false;
  const environments = definedEnvironments(project);
  for (const [index, name] of envNames.entries()) {
    const prepared = prepare(project, name, io);
    // The same check as `render --check` (vault-policies/ and build/<env>/ orphans): one answer.
    // Files of environments no longer defined belong to none that is checked: reported once, with the first.
    const generated = await checkGeneratedFiles({ root: project.root, buildDir: join(project.root, 'build'), jobs: prepared.jobs, env: prepared.env, unbuiltJobFiles: prepared.unbuiltJobFiles, cluster: prepared.cluster, environments: index === 0 ? environments : undefined });
    const diagnostics = sortDiagnostics([...prepared.diagnostics, ...generated]);
    const ok = !hasErrors(diagnostics);
    failed ||= !ok;
    if (json) {
      checked.push({ env: name, ok, jobs: prepared.jobs.length, excluded: prepared.excluded.map((e) => e.name), diagnostics });
      continue;
    }
    io.stderr.write(formatDiagnostics(diagnostics, style));
    const mark = ok ? style.green('✔') : style.red('✖');
    const excluded = prepared.excluded.length ? ` (not deployed here: ${prepared.excluded.map((e) => e.name).join(', ')})` : '';
    io.stdout.write(`${mark} ${name}: ${prepared.jobs.length} jobs${excluded}, ${summarizeDiagnostics(diagnostics)}\n`);
  }
  if (json) io.stdout.write(jsonDocument({ schema: OUTPUT_SCHEMAS.validate, ok: !failed, environments: checked }));
  return failed ? ExitCode.validation : ExitCode.ok;
}
