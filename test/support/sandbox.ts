import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/server.ts';
import type { DeployEvent } from '../../src/report/events.ts';
import prod from '../../environments/prod.ts';
import qa from '../../environments/qa.ts';
import { runCli, type CliResult } from './run-cli.ts';
import { seedSandboxVault } from './seed-vault.ts';

/**
 * A sandbox set up for an environment of this project: its namespace and datacenters exist, and
 * its Vault holds the jobs' secrets (sentinel values), policies and roles, so the secrets
 * preflight passes.
 */
/** A sandbox with its Vault seeded, and the read-only deployer token that seeding created. */
export type SeededSandbox = RunningSandbox & { readonly deployerToken: string };

export async function sandboxFor(env: 'qa' | 'prod', options: SandboxOptions = {}): Promise<SeededSandbox> {
  const sandbox = await startSandbox({
    clockSpeed: 20,
    ...options,
    nomad: { namespaces: ['shop'], datacenters: env === 'qa' ? ['qa1'] : ['prod1', 'prod2'], ...options.nomad },
  });
  const { deployerToken } = await seedSandboxVault(sandbox, env === 'qa' ? qa : prod);
  return Object.assign(sandbox, { deployerToken });
}

/** Runs the CLI in-process against `sandbox`, as CI would (no TTY, no colour), collecting events. */
export async function runAgainst(sandbox: RunningSandbox, argv: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult & { events: DeployEvent[] }> {
  const events: DeployEvent[] = [];
  const env = { NO_COLOR: '1', CI: 'true', NOMAD_ADDR: sandbox.addresses.nomad, CONSUL_HTTP_ADDR: sandbox.addresses.consul, VAULT_ADDR: sandbox.addresses.vault, VAULT_TOKEN: sandbox.vaultToken, DROVER_FABIO_ADDR: sandbox.addresses.fabio, ...options.env };
  const result = await runCli([...argv, '--output', 'ndjson'], { ...(options.cwd ? { cwd: options.cwd } : {}), env });
  for (const line of result.stdout.split('\n')) {
    if (line.startsWith('{')) events.push(JSON.parse(line) as DeployEvent);
  }
  return { ...result, events };
}

/** GET a Nomad path on the sandbox, as JSON. */
export async function nomadGet<T>(sandbox: RunningSandbox, path: string): Promise<T> {
  const separator = path.includes('?') ? '&' : '?';
  const response = await fetch(`${sandbox.addresses.nomad}${path}${separator}namespace=shop`);
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
