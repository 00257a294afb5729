import { readFileSync } from 'node:fs';
import { createConsulClient, type ConsulClient } from '../clients/consul/index.ts';
import type { RetryEvent } from '../clients/retry.ts';
import { createNomadClient, type NomadClient } from '../clients/nomad/index.ts';
import type { Environment } from '../config/environment.ts';
import type { Report } from '../report/events.ts';

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
  const onRetry = (r: RetryEvent) => report({ type: 'retry', service: r.service, request: `${r.method} ${r.path}`, attempt: r.attempt, delayMs: r.delayMs });
  const file = (path: string | undefined) => (path ? readFileSync(path) : undefined);
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
  return { nomad, consul };
}
