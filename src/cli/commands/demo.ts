import { createNomadClient } from '../../clients/nomad/index.ts';
import type { CanaryAnalysisSettings, Environment } from '../../config/environment.ts';
import { promotionOrder, releaseChainOf } from '../../config/promotion-chain.ts';
import { ExitCode, InterruptedError } from '../../errors.ts';
import { buildJobs } from '../../project/load.ts';
import type { Project } from '../../project/project.ts';
import { parseImageReference } from '../../release/release-image.ts';
import { renderOutputs } from '../../render/outputs.ts';
import type { Style } from '../../report/style.ts';
import { binaryAvailability, type PrometheusServer } from '../../sandbox/prometheus-process.ts';
import { progressiveJobs, readySandbox, sandboxNomadFor, startSandboxPrometheus } from '../sandbox-stage.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { abortableSleep } from '../../smoke/run.ts';
import type { LoadedJob } from '../../model/loaded-job.ts';
import { parseCommandArgs } from '../args.ts';
import type { CliIo } from '../io.ts';
import { humanIo } from '../output.ts';
import { openProject, projectName } from '../pipeline.ts';
import { deployCommand } from './deploy.ts';
import { logsCommand } from './logs.ts';
import { renderCommand } from './render.ts';
import { validateCommand } from './validate.ts';
import { DEMO_HELP, DEMO_CHOICES, DEMO_OPTIONS } from '../usage/demo.ts';

/** The demo's canary steps: seconds instead of drover's minutes, same shape. */
const DEMO_ANALYSIS: Partial<CanaryAnalysisSettings> = { interval: '2s', count: 3 };

export async function demoCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values } = parseCommandArgs('demo', argv, DEMO_OPTIONS, DEMO_CHOICES);
  if (values.help) return io.stdout.write(DEMO_HELP), ExitCode.ok;
  const speed = Number(values.speed ?? 10);
  const project = await openProject(io, values);
  const envs = promotionOrder(project.environments.map((m) => m.value));
  const passthrough = [
    ...(values.project ? ['--project', values.project] : []),
    ...(values.environments ? ['--environments', values.environments] : []),
  ];
  const sha = values['git-sha'] ? ['--git-sha', values['git-sha']] : [];
  const deployed = releaseStory(envs);
  // Render's and validate's lines are for people: off stdout when it carries --output ndjson.
  const textIo = humanIo(io, values.output);
  for (const env of envs) {
    const rendered = await renderCommand([env.name, ...passthrough, ...sha], textIo, style);
    if (rendered !== ExitCode.ok) return rendered;
  }
  const validated = await validateCommand(passthrough, textIo, style);
  if (validated !== ExitCode.ok) return validated;
  const sandboxes = new Map<string, RunningSandbox>();
  const prometheusServers: PrometheusServer[] = [];
  try {
    for (const env of deployed) {
      // A seed per environment: the simulated instances of both sandboxes listen on 127.0.0.1 side by side.
      const sandbox = await startSandbox({ clockSpeed: speed, seed: sandboxes.size + 1, nomad: sandboxNomadFor(env) });
      sandboxes.set(env.name, sandbox);
      // As an operator would before the first deploy: write the secrets the jobs reference (random
      // placeholders, never printed) and apply the committed Vault policies and roles.
      const jobs = buildJobs(project.jobs, env).jobs;
      const deployer = await readySandbox(sandbox, env, { jobs, root: project.root });
      const prometheus = env.promotion.releasesFrom ? await canaryStage(project, env, jobs, sandbox, io, style) : undefined;
      if (prometheus) prometheusServers.push(prometheus);
      const source = env.promotion.releasesFrom ? sandboxes.get(env.promotion.releasesFrom) : undefined;
      io.stderr.write(`\n${style.bold(`▶ deploy ${env.name}`)} ${style.dim(`(sandbox: Nomad ${sandbox.addresses.nomad}, Consul ${sandbox.addresses.consul}, Fabio ${sandbox.addresses.fabio}; a simulator, not a scheduler)`)}\n`);
      // Without Prometheus a progressive canary is refused before anything is registered; the
      // demo's prod runs no earlier version, so holding canaries holds none and the deploy goes on.
      const hold = !prometheus && progressiveJobs(jobs, env).length > 0 ? ['--stop-at-canary'] : [];
      const code = await deployCommand([env.name, ...passthrough, ...sha, ...hold, ...(env.promotion.confirm ? ['--yes'] : []), ...(values.output ? ['--output', values.output] : [])], io, style, {
        targets: { nomad: sandbox.addresses.nomad, consul: sandbox.addresses.consul },
        vault: { address: sandbox.addresses.vault, token: deployer.deployerToken },
        fabio: sandbox.addresses.fabio,
        ...(prometheus ? { prometheus: prometheus.address, analysis: DEMO_ANALYSIS } : {}),
        ...(source ? { releasesConsul: source.addresses.consul } : {}),
        // Soak and retry waits in sandbox time, like the deadlines Nomad's simulator keeps.
        sleep: (ms, signal) => abortableSleep(ms / speed, signal),
        sleepClock: () => Date.now() * speed,
      });
      if (code !== ExitCode.ok) return code;
      if (env === deployed[0]) await showLogs(env, jobs, sandbox, { io: textIo, style, passthrough });
    }
    io.stderr.write(`\n${style.green('✔')} Demo finished: qa verified a release and prod runs exactly it. Everything ran against simulators; see README.md for real clusters.\n`);
    return ExitCode.ok;
  } catch (error) {
    // The sandboxes stop with the demo, so deploy's "see where it stands" commands would reach the
    // environment files' real addresses instead: the only thing to run is the demo itself.
    if (error instanceof InterruptedError) throw new InterruptedError('The demo ran against its own sandboxes, which stopped with it; nothing else was touched. Run `drover demo` to start over.');
    throw error;
  } finally {
    await Promise.all(prometheusServers.map((p) => p.stop()));
    await Promise.all([...sandboxes.values()].map((s) => s.close()));
  }
}

/**
 * What the first environment's first service wrote, as `drover logs <env> <job>` prints it (its
 * lines go where the demo's text goes: stderr under --output ndjson).
 */
async function showLogs(env: Environment, jobs: readonly LoadedJob[], sandbox: RunningSandbox, out: { io: CliIo; style: Style; passthrough: readonly string[] }): Promise<void> {
  const service = jobs.map((j) => j.spec).filter((spec) => spec.kind === 'service').map((spec) => spec.id).sort()[0];
  if (!service) return;
  out.io.stderr.write(`\n${out.style.bold(`▶ drover logs ${env.name} ${service} --tail 5`)} ${out.style.dim('(what its allocations wrote; -f would follow them)')}\n`);
  const io: CliIo = { ...out.io, env: { ...out.io.env, NOMAD_ADDR: sandbox.addresses.nomad, CONSUL_HTTP_ADDR: sandbox.addresses.consul, VAULT_ADDR: sandbox.addresses.vault } };
  await logsCommand([env.name, service, '--tail', '5', ...out.passthrough], io, out.style);
}

/**
 * The environments the demo deploys: those a release travels through (qa → prod). One outside
 * every chain (dev, whose jobs run from a checkout on a real agent) would show nothing the
 * release story does not; a project without any chain deploys all of its environments.
 */
function releaseStory(envs: readonly Environment[]): Environment[] {
  const chained = envs.filter((env) => releaseChainOf(envs, env.name).length > 1);
  return chained.length ? chained : [...envs];
}

/**
 * Sets the stage for prod's progressive canaries: a real Prometheus scraping the simulated Fabio and apps,
 * background traffic on the example routes, and the canaried jobs already running an earlier
 * image, so this release's update has canaries to weigh. Without Prometheus: none of that.
 */
async function canaryStage(project: Project, env: Environment, jobs: readonly LoadedJob[], sandbox: RunningSandbox, io: CliIo, style: Style): Promise<PrometheusServer | undefined> {
  const canaried = progressiveJobs(jobs, env);
  if (canaried.length === 0) return undefined;
  const availability = binaryAvailability('prometheus', io.env.PATH ?? '');
  if (!availability.available) {
    io.stderr.write(style.yellow(`! No Prometheus (${availability.reason}): prod runs no earlier version, so no progressive canary is shown.\n`));
    return undefined;
  }
  io.stderr.write(style.dim(`Setting up prod (simulated history): a real Prometheus scraping the simulated Fabio and app instances, traffic on the example routes, and ${canaried.map((j) => j.spec.id).join(', ')} running an earlier image.\n`));
  const prometheus = await startSandboxPrometheus(sandbox, env, availability.binary);
  try {
    await runEarlierImages(project, env, sandbox, canaried);
  } catch (error) {
    await prometheus.stop();
    throw error;
  }
  return prometheus;
}

/** Registers `built` as drover would have, with every image retagged `previous`, and waits for their deployments. */
async function runEarlierImages(project: Project, env: Environment, sandbox: RunningSandbox, built: readonly LoadedJob[]): Promise<void> {
  const images: Record<string, string> = {};
  for (const job of built) for (const group of job.spec.groups) for (const task of group.tasks) {
    if (!('image' in task) || typeof task.image !== 'string') continue;
    const repository = parseImageReference(task.image).repository;
    images[repository] = `${repository}:previous`;
  }
  const { jobs } = renderOutputs(built, { env, project: await projectName(project.root), gitSha: '0'.repeat(40), release: 'r-previous', images });
  const nomad = createNomadClient({ address: sandbox.addresses.nomad, namespace: env.nomad.namespace, region: env.nomad.region });
  try {
    for (const { job } of jobs) await nomad.jobs.register(job, {});
    for (const { id } of jobs) {
      for (let i = 0; ; i++) {
        const deployment = (await nomad.jobs.latestDeployment(id)).value;
        if (deployment?.Status === 'successful') break;
        if (i > 300 || (deployment && ['failed', 'cancelled'].includes(deployment.Status))) throw new Error(`demo setup: the earlier version of ${id} did not deploy (${deployment?.Status ?? 'no deployment'})`);
        await abortableSleep(100);
      }
    }
  } finally {
    nomad.close();
  }
}
