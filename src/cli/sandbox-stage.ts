/**
 * A sandbox set up for one environment of the project, as an operator would set up a cluster
 * before the first deploy: what `drover sandbox --env <env>` and `drover demo` share.
 * Only the commands that start the simulator import this module (`product-not-to-sandbox`).
 */
import { randomBytes } from 'node:crypto';
import { progressiveCanaryPlan } from '../canary/plan.ts';
import type { Environment } from '../config/environment.ts';
import type { LoadedJob } from '../model/loaded-job.ts';
import { EXAMPLE_APPS, exampleTraffic } from '../sandbox/example-apps.ts';
import { startPrometheus, type PrometheusServer } from '../sandbox/prometheus-process.ts';
import type { RunningSandbox, SandboxOptions } from '../sandbox/server.ts';
import { seedSandboxVault, type SeededVault } from './seed-vault.ts';

/** The sandbox's Nomad as `env` needs it: its namespace, datacenters and node pool exist. */
export function sandboxNomadFor(env: Environment): NonNullable<SandboxOptions['nomad']> {
  // `*` (the default) matches any datacenter; the simulated nodes need a concrete name.
  const datacenters = env.datacenters.filter((dc) => !dc.includes('*'));
  return { namespaces: [env.nomad.namespace], datacenters: datacenters.length ? datacenters : ['dc1'], nodePool: env.nodePool === 'all' ? 'default' : env.nodePool };
}

/**
 * Makes `sandbox` ready for `jobs` in `env`: Vault holds a generated placeholder (random, never
 * printed) for every secret the jobs reference, the committed `vault-policies/<env>/` policies and
 * roles and the deployer policy; the example jobs' instances run the example apps, so smoke checks
 * meet their real handlers. Returns the seeding (value ids and the deployer token).
 */
export async function readySandbox(sandbox: RunningSandbox, env: Environment, options: { readonly jobs: readonly LoadedJob[]; readonly root: string }): Promise<SeededVault> {
  const seeded = await seedSandboxVault(sandbox, env, { ...options, valueFor: () => randomBytes(18).toString('base64url') });
  for (const [service, behaviour] of Object.entries(EXAMPLE_APPS)) sandbox.fabio.setApp(service, behaviour);
  return seeded;
}

/** Jobs of `env` with a progressive canary (judged by Prometheus). */
export function progressiveJobs(jobs: readonly LoadedJob[], env: Environment): LoadedJob[] {
  return jobs.filter((j) => progressiveCanaryPlan(j.spec, env));
}

/**
 * A real Prometheus (`binary`) scraping the simulated Fabio and every app instance (file_sd, with
 * the `service` and `canary` labels Consul discovery gives), and background traffic on the example
 * routes, so a progressive canary has requests to be judged on.
 */
export async function startSandboxPrometheus(sandbox: RunningSandbox, env: Environment, binary: string): Promise<PrometheusServer> {
  const prometheus = await startPrometheus([sandbox.addresses.fabioMetrics], { binary, discovered: () => sandbox.fabio.scrapeTargets() });
  for (const { route, rps } of exampleTraffic(env.fabio.domain)) sandbox.fabio.setTraffic(route, { rps });
  return prometheus;
}
