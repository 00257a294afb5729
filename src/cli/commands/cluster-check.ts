import { clusterCheckDocument, formatCheckResult, formatCheckSummary } from '../../cluster-check/format.ts';
import { devProfileOf } from '../../cluster-check/dev-profile.ts';
import { runClusterCheck } from '../../cluster-check/run.ts';
import { UsageError } from '../../errors.ts';
import type { Style } from '../../report/style.ts';
import { clusterCheckInputs } from '../cluster-check-inputs.ts';
import type { CliIo } from '../io.ts';
import { openProject, prepare, type ProjectFlags } from '../pipeline.ts';

/** `drover cluster check <env>`: reads the running cluster (read-only) and judges it against the definition. */
export async function clusterCheckCommand(envName: string | undefined, values: { readonly output?: string | undefined; readonly check?: boolean | undefined; readonly dev?: boolean | undefined } & ProjectFlags, io: CliIo, style: Style): Promise<number> {
  if (values.output !== undefined && values.output !== 'json' && values.output !== 'plain') throw new UsageError(`Unknown --output ${values.output}`, { hint: 'Use --output json (one document on stdout) or leave it out.' });
  if (values.check) throw new UsageError('--check is an option of `drover cluster render`', { hint: `Run \`drover cluster check ${envName ?? '<env>'}\` without it.` });
  const prepared = prepare(await openProject(io, values, { typecheck: false }), envName, io);
  if (!prepared.cluster && !values.dev) {
    throw new UsageError(`Environment ${prepared.env.name} has no cluster definition to check against`, {
      hint: `Create environments/clusters/${prepared.env.name}.ts with \`export default defineCluster({ env: '${prepared.env.name}', … })\` (README "Clusters").`,
    });
  }
  const inputs = clusterCheckInputs(prepared.env, io.env);
  try {
    const json = values.output === 'json';
    const cluster = values.dev ? devProfileOf(prepared.cluster?.value, prepared.env) : prepared.cluster!.value;
    const run = await runClusterCheck(cluster, inputs, (result) => {
      if (!json) io.stdout.write(formatCheckResult(result, style));
    }, { profile: values.dev ? 'dev' : 'declared' });
    if (json) io.stdout.write(clusterCheckDocument(prepared.env.name, run.results, run.exitCode));
    else io.stderr.write(formatCheckSummary(prepared.env.name, run.results, run.exitCode, style));
    return run.exitCode;
  } finally {
    inputs.close();
  }
}
