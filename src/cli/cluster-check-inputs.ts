/**
 * What `drover cluster check` talks to, from the environment file and HashiCorp's variables (read
 * here, in cli/, only): addresses, tokens (each client redacts its own), CA files. Two clients carry
 * no token at all: they ask whether an anonymous request is refused.
 */
import { readFileSync } from 'node:fs';
import type { ReadInputs } from '../cluster-check/read.ts';
import { createConsulClient } from '../clients/consul/index.ts';
import { createFabioClient } from '../clients/fabio/index.ts';
import { createNomadClient } from '../clients/nomad/index.ts';
import { createPrometheusClient } from '../clients/prometheus/index.ts';
import { createVaultClient } from '../clients/vault/index.ts';
import type { Environment } from '../config/environment.ts';
import { prometheusTarget } from './prometheus-target.ts';

type ProcessEnv = Readonly<Record<string, string | undefined>>;

/** One retry: a check should say quickly that something is down, not wait it out. */
const RETRY = { retries: 1 };
const TIMEOUT_MS = 5000;

export function clusterCheckInputs(env: Environment, processEnv: ProcessEnv): ReadInputs & { close(): void } {
  const file = (variable: string) => (processEnv[variable] ? readFileSync(processEnv[variable]) : undefined);
  const nomadAddress = processEnv.NOMAD_ADDR || env.nomad.address;
  const consulAddress = processEnv.CONSUL_HTTP_ADDR || env.consul.address;
  const vaultAddress = processEnv.VAULT_ADDR || env.vault.address;
  const fabioUi = fabioUiAddress(env, processEnv);
  const prometheus = prometheusTarget(env, processEnv).address;
  const nomadTls = { ...(file('NOMAD_CACERT') ? { caCert: file('NOMAD_CACERT')! } : {}), ...(file('NOMAD_CLIENT_CERT') ? { clientCert: file('NOMAD_CLIENT_CERT')!, clientKey: file('NOMAD_CLIENT_KEY')! } : {}) };
  const nomadBase = { address: nomadAddress, region: processEnv.NOMAD_REGION || env.nomad.region, timeoutMs: TIMEOUT_MS, retry: RETRY, ...nomadTls };
  const consulBase = { address: consulAddress, timeoutMs: TIMEOUT_MS, retry: RETRY, ...(file('CONSUL_CACERT') ? { caCert: file('CONSUL_CACERT')! } : {}) };
  const clients = {
    nomad: createNomadClient({ ...nomadBase, ...(processEnv.NOMAD_TOKEN ? { token: processEnv.NOMAD_TOKEN } : {}) }),
    nomadAnonymous: createNomadClient(nomadBase),
    consul: createConsulClient({ ...consulBase, ...(processEnv.CONSUL_HTTP_TOKEN ? { token: processEnv.CONSUL_HTTP_TOKEN } : {}) }),
    consulAnonymous: createConsulClient(consulBase),
    // sys/health needs no token; the JWT config read is refused without one (reported as denied).
    vault: createVaultClient({ address: vaultAddress, token: processEnv.VAULT_TOKEN ?? '', timeoutMs: TIMEOUT_MS, retry: RETRY, ...(file('VAULT_CACERT') ? { caCert: file('VAULT_CACERT')! } : {}) }),
    ...(fabioUi ? { fabio: createFabioClient({ address: fabioUi, timeoutMs: TIMEOUT_MS, retry: RETRY }) } : {}),
    ...(prometheus ? { prometheus: createPrometheusClient({ address: prometheus, timeoutMs: TIMEOUT_MS, retry: RETRY, ...(processEnv.DROVER_PROMETHEUS_TOKEN ? { token: processEnv.DROVER_PROMETHEUS_TOKEN } : {}) }) } : {}),
  };
  return {
    env,
    clients,
    addresses: { nomad: nomadAddress, consul: consulAddress, vault: vaultAddress, ...(fabioUi ? { fabioUi } : {}), ...(prometheus ? { prometheus } : {}) },
    cas: {
      nomad: { variable: 'NOMAD_CACERT', ...(file('NOMAD_CACERT') ? { pem: file('NOMAD_CACERT')! } : {}) },
      consul: { variable: 'CONSUL_CACERT', ...(file('CONSUL_CACERT') ? { pem: file('CONSUL_CACERT')! } : {}) },
      vault: { variable: 'VAULT_CACERT', ...(file('VAULT_CACERT') ? { pem: file('VAULT_CACERT')! } : {}) },
    },
    close: () => {
      for (const client of [clients.nomad, clients.nomadAnonymous, clients.consul, clients.consulAnonymous, clients.fabio, clients.prometheus]) client?.close();
    },
  };
}

/** `DROVER_FABIO_UI_ADDR`, else the host of `fabio.address` on `fabio.uiPort`. */
function fabioUiAddress(env: Environment, processEnv: ProcessEnv): string | undefined {
  if (processEnv.DROVER_FABIO_UI_ADDR) return processEnv.DROVER_FABIO_UI_ADDR;
  if (!env.fabio.address) return undefined;
  const url = new URL(env.fabio.address);
  url.port = String(env.fabio.uiPort);
  return url.origin;
}
