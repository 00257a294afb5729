/**
 * What `drover sandbox` prints: the banner for people (stderr) and the `export` lines for the
 * shell (stdout). Pure: addresses and the setup in, text out.
 */
import type { Environment } from '../config/environment.ts';

/** Addresses of a running sandbox (the simulator's `RunningSandbox.addresses`). */
export interface SandboxAddresses {
  readonly addresses: { readonly nomad: string; readonly consul: string; readonly vault: string; readonly fabio: string; readonly fabioMetrics: string; readonly fabioUi?: string };
}

/** How the sandbox was set up for an environment (or not, with `--bare`). */
export interface SandboxSetup {
  readonly env?: Environment;
  /** `<mount>/<path>#<key>` of every generated placeholder written to Vault. */
  readonly placeholders: readonly string[];
  /** The token to export as VAULT_TOKEN: the deployer token, or the root token with `--bare`. */
  readonly vaultToken: string;
  /** Jobs with a progressive canary. */
  readonly canaried: readonly string[];
  readonly prometheus?: { readonly address: string };
  /** Why no Prometheus runs although the canaries need one. */
  readonly noPrometheus?: string;
  /** `--releases-from`: the Consul holding the source environment's releases. */
  readonly releasesFrom?: string;
}

/** The `export` lines; `unset DROVER_PROMETHEUS_ADDR` without a Prometheus, so an earlier sandbox's address does not linger. */
export function sandboxExports(sandbox: SandboxAddresses, setup: SandboxSetup, aclToken: string | undefined): string {
  const lines = [
    `export NOMAD_ADDR=${sandbox.addresses.nomad}`,
    `export CONSUL_HTTP_ADDR=${sandbox.addresses.consul}`,
    `export VAULT_ADDR=${sandbox.addresses.vault}`,
    `export VAULT_TOKEN=${setup.vaultToken}`,
    `export DROVER_FABIO_ADDR=${sandbox.addresses.fabio}`,
  ];
  // Fabio's UI (/health, /api/routes): what `drover cluster check` reads for its Fabio points.
  if (sandbox.addresses.fabioUi) lines.push(`export DROVER_FABIO_UI_ADDR=${sandbox.addresses.fabioUi}`);
  if (setup.env) lines.push(setup.prometheus ? `export DROVER_PROMETHEUS_ADDR=${setup.prometheus.address}` : 'unset DROVER_PROMETHEUS_ADDR');
  if (setup.releasesFrom) lines.push(`export DROVER_RELEASES_CONSUL_HTTP_ADDR=${setup.releasesFrom}`);
  if (aclToken) lines.push(`export NOMAD_TOKEN=${aclToken}`);
  return `${lines.join('\n')}\n`;
}

/** The banner: what the simulator is, what it was set up with, and what to run next. */
export function sandboxBanner(sandbox: SandboxAddresses, setup: SandboxSetup, run: { readonly speed: number; readonly pid: number }): string {
  const { speed } = run;
  const clock = speed === 0 ? 'frozen (advance with POST /_sandbox/clock/advance)' : speed === 1 ? 'real time' : `${speed}× real time`;
  return [
    'drover sandbox — a SIMULATOR of the Nomad, Consul and Vault HTTP APIs drover uses, for tests and demos.',
    'It is not a scheduler: nothing runs; allocations, health checks and failures are simulated.',
    `  nomad   ${sandbox.addresses.nomad}   (admin: ${sandbox.addresses.nomad}/_sandbox)`,
    `  consul  ${sandbox.addresses.consul}`,
    `  vault   ${sandbox.addresses.vault}`,
    `  fabio   ${sandbox.addresses.fabio}   (simulated Fabio; metrics: ${sandbox.addresses.fabioMetrics}/metrics; instances of www, api and worker run examples/apps, others answer as scripted via /_sandbox/apps)`,
    `  clock   ${clock}`,
    ...(setup.env ? environmentLines(setup.env, setup) : ['  (bare: no environment set up; Vault is empty and VAULT_TOKEN is its root token)']),
    `Export the variables below (or run it as \`eval "$(drover sandbox … &)"\`), then run drover. Stop with Ctrl-C, or \`kill ${run.pid}\`.`,
    '',
  ].join('\n');
}

function environmentLines(env: Environment, setup: SandboxSetup): string[] {
  const takes = env.promotion.releasesFrom;
  return [
    `Set up for environment ${env.name}: namespace ${env.nomad.namespace}, datacenters ${env.datacenters.join(', ')}, node pool ${env.nodePool}.`,
    `  Vault: policies and roles of vault-policies/${env.name}/, and a token with only drover-deployer (exported as VAULT_TOKEN).`,
    ...setup.placeholders.map((id) => `  vault   ${id}   generated placeholder (random, not a real secret)`),
    ...prometheusLines(setup),
    ...(takes && !setup.releasesFrom
      ? [`! ${env.name} takes releases from ${takes}: pass --releases-from <the ${takes} sandbox's CONSUL_HTTP_ADDR> (or export DROVER_RELEASES_CONSUL_HTTP_ADDR), else \`drover deploy ${env.name}\` asks ${takes}'s real Consul.`]
      : []),
    ...(takes && setup.releasesFrom ? [`  releases of ${takes} are read from ${setup.releasesFrom}`] : []),
    `Next: drover plan ${env.name} && drover deploy ${env.name}${env.promotion.confirm ? ' --yes' : ''}${env.promotion.soak ? ` (--soak 10s shortens the ${env.promotion.soak} soak)` : ''}`,
  ];
}

function prometheusLines(setup: SandboxSetup): string[] {
  if (setup.canaried.length === 0) return [];
  const jobs = setup.canaried.join(', ');
  if (setup.prometheus) return [`  prometheus ${setup.prometheus.address}   (real; scrapes the simulated Fabio and instances; traffic on the example routes) for the progressive canaries of ${jobs}`];
  return [`! No Prometheus (${setup.noPrometheus ?? 'not started'}): \`drover deploy\` refuses the progressive canaries of ${jobs} before registering anything; install prometheus, or deploy with --stop-at-canary.`];
}
