import { readFileSync } from 'node:fs';
import { createConsulClient, type ConsulClient } from '../clients/consul/index.ts';
import type { RetryEvent } from '../clients/retry.ts';
import { createNomadClient, type NomadClient } from '../clients/nomad/index.ts';
import { createPrometheusClient, type PrometheusClient } from '../clients/prometheus/index.ts';
import { createVaultClient, type VaultClient } from '../clients/vault/index.ts';
import type { Environment } from '../config/environment.ts';
import { DroverError, ExitCode, UsageError } from '../errors.ts';
import { addressFrom, withErrorOrigin } from './origin.ts';
import type { Report } from '../report/events.ts';
import { prometheusTarget } from './prometheus-target.ts';

/** A client's retry listener that reports each retry as a `retry` event (the request without secrets). */
export function retryReporter(report: Report): (r: RetryEvent) => void {
  return (r) => report({ type: 'retry', service: r.service, request: `${r.method} ${r.path}`, attempt: r.attempt, delayMs: r.delayMs });
}

/** Where this run talks to, after HashiCorp's environment variables were applied. No tokens here. */
export interface Targets {
  readonly nomad: string;
  readonly consul: string;
}

/**
 * The only place that reads HashiCorp's variables: `NOMAD_ADDR`/`CONSUL_HTTP_ADDR` override the
 * environment file's addresses (so one can point drover at a sandbox or a tunnel), tokens and
 * TLS files come only from the environment.
 */
export function resolveTargets(env: Environment, processEnv: Readonly<Record<string, string | undefined>>, override?: Targets): Targets {
  return override ?? { nomad: processEnv.NOMAD_ADDR || env.nomad.address, consul: processEnv.CONSUL_HTTP_ADDR || env.consul.address };
}

export function createClusterClients(env: Environment, targets: Targets, processEnv: Readonly<Record<string, string | undefined>>, report: Report): { nomad: NomadClient; consul: ConsulClient } {
  const onRetry = retryReporter(report);
  const file = (path: string | undefined) => (path ? readFileSync(path) : undefined);
  const nomadOrigin = { name: 'Nomad', address: targets.nomad, addressFrom: targetFrom(targets.nomad, processEnv, 'NOMAD_ADDR', env), addressVariable: 'NOMAD_ADDR', tokenVariable: 'NOMAD_TOKEN', tokenSet: Boolean(processEnv.NOMAD_TOKEN) };
  const consulOrigin = { name: 'Consul', address: targets.consul, addressFrom: targetFrom(targets.consul, processEnv, 'CONSUL_HTTP_ADDR', env), addressVariable: 'CONSUL_HTTP_ADDR', tokenVariable: 'CONSUL_HTTP_TOKEN', tokenSet: Boolean(processEnv.CONSUL_HTTP_TOKEN) };
  const nomad = createNomadClient({
    address: targets.nomad,
    namespace: processEnv.NOMAD_NAMESPACE || env.nomad.namespace,
    region: processEnv.NOMAD_REGION || env.nomad.region,
    ...(processEnv.NOMAD_TOKEN ? { token: processEnv.NOMAD_TOKEN } : {}),
    ...(processEnv.NOMAD_CACERT ? { caCert: file(processEnv.NOMAD_CACERT) } : {}),
    ...(processEnv.NOMAD_CLIENT_CERT ? { clientCert: file(processEnv.NOMAD_CLIENT_CERT) } : {}),
    ...(processEnv.NOMAD_CLIENT_KEY ? { clientKey: file(processEnv.NOMAD_CLIENT_KEY) } : {}),
    onRetry,
  });
  const consul = createConsulClient({
    address: targets.consul,
    ...(processEnv.CONSUL_HTTP_TOKEN ? { token: processEnv.CONSUL_HTTP_TOKEN } : {}),
    ...(processEnv.CONSUL_CACERT ? { caCert: file(processEnv.CONSUL_CACERT) } : {}),
    onRetry,
  });
  return { nomad: withErrorOrigin(nomad, nomadOrigin), consul: withErrorOrigin(consul, consulOrigin) };
}

/**
 * A Consul reached without an environment (`drover consul-sd`): `address` (`--consul`), else
 * CONSUL_HTTP_ADDR, its token and CA from CONSUL_HTTP_TOKEN and CONSUL_CACERT. An address without
 * a scheme is taken as Consul's own CLI takes it: plain HTTP. Undefined when no address is given.
 */
export function standaloneConsul(processEnv: Readonly<Record<string, string | undefined>>, address?: string): { client: ConsulClient; address: string } | undefined {
  const given = address ?? processEnv.CONSUL_HTTP_ADDR;
  if (!given) return undefined;
  const url = /^https?:\/\//.test(given) ? given : `http://${given}`;
  const client = createConsulClient({
    address: url,
    ...(processEnv.CONSUL_HTTP_TOKEN ? { token: processEnv.CONSUL_HTTP_TOKEN } : {}),
    ...(processEnv.CONSUL_CACERT ? { caCert: readFileSync(processEnv.CONSUL_CACERT) } : {}),
  });
  const origin = { name: 'Consul', address: url, addressFrom: address === undefined ? 'CONSUL_HTTP_ADDR' : '--consul', addressVariable: 'CONSUL_HTTP_ADDR', tokenVariable: 'CONSUL_HTTP_TOKEN', tokenSet: Boolean(processEnv.CONSUL_HTTP_TOKEN) };
  return { client: withErrorOrigin(client, origin), address: url };
}

/** The variable an address came from, the environment file's name, or "the caller" when a caller (the demo) chose it. */
function targetFrom(address: string, processEnv: Readonly<Record<string, string | undefined>>, variable: string, env: Environment): string {
  if (processEnv[variable] === address) return variable;
  return address === (variable === 'NOMAD_ADDR' ? env.nomad.address : env.consul.address) ? envFile(env) : 'the caller';
}

/** Where an environment's addresses are written. */
function envFile(env: Environment): string {
  return `environments/${env.name}.ts`;
}

/** A Vault to use instead of `VAULT_ADDR`/`VAULT_TOKEN`, for callers that embed drover (the demo's sandbox). */
export interface VaultTarget {
  readonly address: string;
  readonly token: string;
}

/**
 * The Vault client for the secrets preflight: `VAULT_ADDR` overrides the environment file's
 * address; the token (`VAULT_TOKEN`, required), `VAULT_NAMESPACE` and `VAULT_CACERT` come only from
 * the process environment. A read-only token with the drover-deployer policy is enough.
 */
export function createVaultClientFromEnv(
  env: Environment,
  processEnv: Readonly<Record<string, string | undefined>>,
  report?: Report,
  override?: VaultTarget,
): { vault: VaultClient; address: string; addressFrom: string } {
  const address = override?.address ?? (processEnv.VAULT_ADDR || env.vault.address);
  const token = override ? override.token : processEnv.VAULT_TOKEN;
  const from = override ? 'the caller' : addressFrom(processEnv, 'VAULT_ADDR', envFile(env));
  if (!token) {
    throw new DroverError(`Vault at ${address} (from ${from}) cannot be checked: VAULT_TOKEN is not set; drover checks Vault before deploying jobs that read secrets in ${env.name}`, ExitCode.noPermission, {
      context: { vault: address },
      hint: 'Export a token with the drover-deployer policy (vault-policies/drover-deployer.hcl), e.g. `export VAULT_TOKEN=$(vault print token)`.',
    });
  }
  // An override is a whole target (the demo's plain-HTTP sandbox): the shell's namespace and CA do not apply to it.
  const shell = override ? {} : processEnv;
  const vault = createVaultClient({
    address,
    token,
    ...(shell.VAULT_NAMESPACE ? { namespace: shell.VAULT_NAMESPACE } : {}),
    ...(shell.VAULT_CACERT ? { caCert: readFileSync(shell.VAULT_CACERT) } : {}),
    ...(report ? { onRetry: retryReporter(report) } : {}),
  });
  const origin = { name: 'Vault', address, addressFrom: from, addressVariable: 'VAULT_ADDR', tokenVariable: override ? 'the caller\'s token' : 'VAULT_TOKEN', tokenSet: true };
  return { vault: withErrorOrigin(vault, origin), address, addressFrom: from };
}

/**
 * The Prometheus progressive canaries are judged by: the caller's address (the demo), else
 * `DROVER_PROMETHEUS_ADDR`, else the environment file's `prometheus.address`. The bearer token
 * (for a proxy in front of Prometheus) only from `DROVER_PROMETHEUS_TOKEN`.
 */
export function createPrometheusClientFromEnv(
  env: Environment,
  processEnv: Readonly<Record<string, string | undefined>>,
  report: Report,
  override?: string,
): PrometheusClient {
  const address = prometheusTarget(env, processEnv, override).address;
  if (!address) {
    throw new UsageError(`Environment ${env.name} promotes canaries progressively but has no Prometheus to judge them`, {
      hint: `Set prometheus.address in environments/${env.name}.ts, or export DROVER_PROMETHEUS_ADDR.`,
    });
  }
  const client = createPrometheusClient({
    address,
    ...(processEnv.DROVER_PROMETHEUS_TOKEN ? { token: processEnv.DROVER_PROMETHEUS_TOKEN } : {}),
    ...(processEnv.DROVER_PROMETHEUS_CACERT ? { caCert: readFileSync(processEnv.DROVER_PROMETHEUS_CACERT) } : {}),
    onRetry: retryReporter(report),
  });
  const from = override ? 'the caller' : addressFrom(processEnv, 'DROVER_PROMETHEUS_ADDR', envFile(env));
  return withErrorOrigin(client, { name: 'Prometheus', address, addressFrom: from, addressVariable: 'DROVER_PROMETHEUS_ADDR', tokenVariable: 'DROVER_PROMETHEUS_TOKEN', tokenSet: Boolean(processEnv.DROVER_PROMETHEUS_TOKEN) });
}

/**
 * The environment as smoke checks reach it: `fabio.address` replaced by the caller's (the demo's
 * sandbox) or `DROVER_FABIO_ADDR` (a tunnel to QA's Fabio), else as the file says.
 */
export function withFabioAddress(env: Environment, processEnv: Readonly<Record<string, string | undefined>>, override?: string): Environment {
  const address = override ?? processEnv.DROVER_FABIO_ADDR;
  return address ? { ...env, fabio: { ...env.fabio, address } } : env;
}

/**
 * The Consul holding a source environment's releases. Its address: the caller's, else
 * `DROVER_RELEASES_CONSUL_HTTP_ADDR`, else the source environment file's; its token only from
 * `DROVER_RELEASES_CONSUL_HTTP_TOKEN` (prod's CONSUL_HTTP_TOKEN is for prod's Consul).
 */
export function sourceConsul(processEnv: Readonly<Record<string, string | undefined>>, source: Environment, releasesConsul?: string): ConsulClient {
  const address = releasesConsul ?? (processEnv.DROVER_RELEASES_CONSUL_HTTP_ADDR || source.consul.address);
  const client = createConsulClient({
    address,
    ...(processEnv.DROVER_RELEASES_CONSUL_HTTP_TOKEN ? { token: processEnv.DROVER_RELEASES_CONSUL_HTTP_TOKEN } : {}),
    ...(processEnv.DROVER_RELEASES_CONSUL_CACERT ? { caCert: readFileSync(processEnv.DROVER_RELEASES_CONSUL_CACERT) } : {}),
  });
  const from = releasesConsul ? 'the caller' : addressFrom(processEnv, 'DROVER_RELEASES_CONSUL_HTTP_ADDR', envFile(source));
  return withErrorOrigin(client, {
    name: `Consul holding ${source.name}'s releases`,
    address,
    addressFrom: from,
    addressVariable: 'DROVER_RELEASES_CONSUL_HTTP_ADDR',
    tokenVariable: 'DROVER_RELEASES_CONSUL_HTTP_TOKEN',
    tokenSet: Boolean(processEnv.DROVER_RELEASES_CONSUL_HTTP_TOKEN),
  });
}
