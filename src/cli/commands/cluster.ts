import { DroverError, ExitCode, UsageError, ValidationError } from '../../errors.ts';
import { checkClusterFiles, writeClusterFiles } from '../../project/cluster-files.ts';
import { clusterOutputDir } from '../../render/cluster/render-cluster.ts';
import { formatDiagnostics, summarizeDiagnostics } from '../../report/diagnostics.ts';
import type { Style } from '../../report/style.ts';
import { hasErrors, type Diagnostic } from '../../validate/diagnostic.ts';
import { parseCommandArgs } from '../args.ts';
import type { CliIo } from '../io.ts';
import { openProject, prepare, type Prepared } from '../pipeline.ts';
import { CLUSTER_ACTIONS, CLUSTER_HELP, CLUSTER_CHOICES, CLUSTER_OPTIONS } from '../usage/cluster.ts';

/** `drover cluster render <env> [--check]` and `drover cluster check <env>`: an environment's cluster. */
export async function clusterCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('cluster', argv, CLUSTER_OPTIONS, CLUSTER_CHOICES);
  const [action, envName, ...extra] = positionals;
  if (values.help || action === undefined) return io.stdout.write(CLUSTER_HELP), values.help ? ExitCode.ok : ExitCode.usage;
  if (!(CLUSTER_ACTIONS as readonly string[]).includes(action)) {
    throw new UsageError(`Unknown cluster action "${action}"`, { hint: `Use \`drover cluster render ${envName ?? action}\` or \`drover cluster check ${envName ?? action}\`.` });
  }
  if (extra.length) throw new UsageError(`Unexpected arguments: ${extra.join(' ')}`, { hint: 'Usage: drover cluster render <env> [--check] | drover cluster check <env> [--dev] [--output json]' });
  // Loaded only for check: render needs none of the clients.
  if (action === 'check') return (await import('./cluster-check.ts')).clusterCheckCommand(envName, values, io, style);
  if (values.dev) throw new UsageError('--dev is an option of `drover cluster check`', { hint: '`drover up` renders the dev profile itself.' });
  if (values.output !== undefined) throw new UsageError('--output is an option of `drover cluster check`', { hint: '`drover cluster render` writes files and prints their paths.' });
  const prepared = prepare(await openProject(io, values, { typecheck: !values['no-typecheck'] }), envName, io);
  const relevant = clusterDiagnostics(prepared);
  io.stderr.write(formatDiagnostics(relevant, style));
  if (hasErrors(relevant)) {
    io.stderr.write(`${style.red('✖')} The cluster of ${prepared.env.name} is not valid: ${summarizeDiagnostics(relevant)}; nothing was written.\n`);
    return ExitCode.validation;
  }
  if (!prepared.cluster) {
    throw new UsageError(`Environment ${prepared.env.name} has no cluster definition`, {
      hint: `Create environments/clusters/${prepared.env.name}.ts with \`export default defineCluster({ env: '${prepared.env.name}', … })\` (README "Clusters").`,
    });
  }
  const input = { root: prepared.project.root, env: prepared.env, cluster: prepared.cluster };
  if (values.check) {
    const problems = await checkClusterFiles(input);
    if (problems.length) throw new ValidationError(`The cluster files of ${prepared.env.name} are not up to date`, problems, { hint: `Run \`drover cluster render ${prepared.env.name}\` and commit ${clusterOutputDir(prepared.env.name)}/.` });
    io.stderr.write(`${style.green('✔')} ${clusterOutputDir(prepared.env.name)}/ is up to date.\n`);
    return ExitCode.ok;
  }
  const { written, removed } = await writeClusterFiles(input);
  for (const path of written) io.stdout.write(`${path}\n`);
  for (const path of removed) io.stderr.write(`${style.yellow('-')} Removed ${path}: no longer rendered.\n`);
  const left = await checkClusterFiles(input);
  if (left.length) throw new DroverError(`Rendered ${prepared.env.name}'s cluster, but ${left.length} file(s) under ${clusterOutputDir(prepared.env.name)}/ are not drover's to remove`, ExitCode.validation, { hint: `Delete them by hand: ${left.map((d) => d.location.file).join(', ')}.` });
  io.stderr.write(`${style.green('✔')} Rendered the cluster of ${prepared.env.name} (${prepared.cluster.file}): ${written.length} files in ${clusterOutputDir(prepared.env.name)}/.\n`);
  return ExitCode.ok;
}

/**
 * The diagnostics that concern the cluster: its own rules, its file, the environment file, and
 * jobs that fail to load (then the cross-checks against jobs/ could not run completely).
 */
function clusterDiagnostics(prepared: Prepared): Diagnostic[] {
  const files = new Set([prepared.envFile, ...(prepared.cluster ? [prepared.cluster.file] : [])]);
  return prepared.diagnostics.filter((d) => d.rule.startsWith('cluster/') || files.has(d.location.file) || d.location.file.startsWith('environments/clusters/') || d.rule === 'load/module');
}
