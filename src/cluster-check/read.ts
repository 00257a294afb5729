/**
 * Reads what `drover cluster check` judges, through the clients only (every call read-only), all
 * at once. A failed read becomes a {@link ReadFailure} next to the others' answers, never a throw.
 */
import { ApiError } from '../clients/api-error.ts';
import type { ConsulClient } from '../clients/consul/index.ts';
import type { FabioClient } from '../clients/fabio/index.ts';
import { probeTls } from '../clients/http/tls-probe.ts';
import type { NomadClient } from '../clients/nomad/index.ts';
import type { PrometheusClient } from '../clients/prometheus/index.ts';
import type { VaultClient } from '../clients/vault/index.ts';
import { NOMAD_CONSUL_AUTH_METHOD } from '../config/cluster.ts';
import type { Environment } from '../config/environment.ts';
import type { AnonymousAnswer, ClusterFacts, ListenerProbe, Read, ReadFailure } from './facts.ts';

/** The clients of one run; the anonymous ones carry no token at all. */
export interface CheckClients {
  readonly nomad: NomadClient;
  readonly nomadAnonymous: NomadClient;
  readonly consul: ConsulClient;
  readonly consulAnonymous: ConsulClient;
  readonly vault: VaultClient;
  readonly fabio?: FabioClient;
  readonly prometheus?: PrometheusClient;
}

export interface ReadInputs {
  readonly env: Environment;
  readonly clients: CheckClients;
  readonly addresses: ClusterFacts['addresses'];
  /** CA PEMs to verify each API's certificate against, with the variable each came from. */
  readonly cas: { readonly [S in 'nomad' | 'consul' | 'vault']: { readonly variable: string; readonly pem?: string | Buffer } };
  readonly signal?: AbortSignal;
}

/** Every read of a check run, in parallel. */
export async function readClusterFacts(inputs: ReadInputs): Promise<ClusterFacts> {
  const { clients, addresses, signal } = inputs;
  const o = signal ? { signal } : {};
  const at = (base: string, path: string) => `GET ${base}${path}`;
  const n = (path: string) => at(addresses.nomad, path);
  const c = (path: string) => at(addresses.consul, path);
  const [nomad, consul, vault, fabio, prometheus, listeners] = await Promise.all([
    all({
      leader: settle(n('/v1/status/leader'), clients.nomad.status.leader(o)),
      raft: settle(n('/v1/operator/raft/configuration'), clients.nomad.operator.raftConfiguration(o)),
      members: settle(n('/v1/agent/members'), clients.nomad.agent.members(o)),
      self: settle(n('/v1/agent/self'), clients.nomad.agent.self(o)),
      nodes: settle(n('/v1/nodes'), clients.nomad.nodes.list(o)),
      pools: settle(n('/v1/node/pools'), clients.nomad.nodePools.list(o)),
      jwks: settle(n('/.well-known/jwks.json'), clients.nomad.jwks(o)),
      anonymous: anonymous(n('/v1/agent/self'), clients.nomadAnonymous.agent.self(o)),
    }),
    all({
      leader: settle(c('/v1/status/leader'), clients.consul.status.leader(o)),
      raft: settle(c('/v1/operator/raft/configuration'), clients.consul.operator.raftConfiguration(o)),
      members: settle(c('/v1/agent/members'), clients.consul.agent.members(o)),
      self: settle(c('/v1/agent/self'), clients.consul.agent.self(o)),
      anonymous: anonymous(c('/v1/agent/self'), clients.consulAnonymous.agent.self(o)),
      jwtAuthMethod: settle(c(`/v1/acl/auth-method/${NOMAD_CONSUL_AUTH_METHOD}`), clients.consul.acl.authMethod(NOMAD_CONSUL_AUTH_METHOD, o)),
      bindingRules: settle(c(`/v1/acl/binding-rules?authmethod=${NOMAD_CONSUL_AUTH_METHOD}`), clients.consul.acl.bindingRules(NOMAD_CONSUL_AUTH_METHOD, o)),
    }),
    all({
      health: settle(at(addresses.vault, '/v1/sys/health'), clients.vault.sys.health(o).then((h) => ({ status: h.status, sealed: h.body.sealed, initialized: h.body.initialized, version: h.body.version }))),
      jwtConfig: settle(at(addresses.vault, `/v1/auth/${inputs.env.vault.jwtAuthPath}/config`), clients.vault.jwt.readConfig(inputs.env.vault.jwtAuthPath, o)),
    }),
    clients.fabio && addresses.fabioUi
      ? all({ health: settle(at(addresses.fabioUi, '/health'), clients.fabio.health(o)), routes: settle(at(addresses.fabioUi, '/api/routes'), clients.fabio.routes(o)) })
      : undefined,
    clients.prometheus && addresses.prometheus ? all({ targets: settle(at(addresses.prometheus, '/api/v1/targets'), clients.prometheus.targets(o)) }) : undefined,
    Promise.all((['nomad', 'consul', 'vault'] as const).map((service) => probeListener(service, addresses[service], inputs.cas[service]))),
  ]);
  return { addresses, nomad, consul, vault, ...(fabio ? { fabio } : {}), ...(prometheus ? { prometheus } : {}), listeners };
}

async function probeListener(service: ListenerProbe['service'], address: string, ca: ReadInputs['cas']['nomad']): Promise<ListenerProbe> {
  if (!address.startsWith('https://')) return { service, address, result: { kind: 'plain-http' } };
  if (!ca.pem) return { service, address, result: { kind: 'no-ca', variable: ca.variable } };
  return { service, address, result: await probeTls(address, ca.pem) };
}

/** Awaits every read of a record of reads. */
async function all<T extends Record<string, Promise<unknown>>>(reads: T): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const entries = await Promise.all(Object.entries(reads).map(async ([key, value]) => [key, await value] as const));
  return Object.fromEntries(entries) as { [K in keyof T]: Awaited<T[K]> };
}

async function settle<T>(request: string, call: Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await call };
  } catch (error) {
    return { ok: false, failure: failureOf(request, error) };
  }
}

/** A request without a token: its status is the answer (403 is what enforced ACLs give). */
async function anonymous(request: string, call: Promise<unknown>): Promise<Read<AnonymousAnswer>> {
  const read = await settle(request, call);
  return read.ok ? { ok: true, value: { status: 200 } } : read;
}

function failureOf(request: string, error: unknown): ReadFailure {
  if (!(error instanceof ApiError)) return { kind: 'error', request, detail: error instanceof Error ? error.message : String(error) };
  // A certificate that does not verify was reached: that is a failure to judge (the TLS point says why), not an outage.
  if (error.status === undefined && isCertificateError(error.code)) return { kind: 'error', request, detail: `TLS: ${error.code}` };
  if (error.status === undefined) return { kind: 'unreachable', request, detail: error.code ?? 'no response' };
  const detail = `${error.status}${error.body ? ` ${error.body.split('\n')[0]}` : ''}`;
  return { kind: error.status === 401 || error.status === 403 ? 'denied' : 'error', request, detail, status: error.status };
}

function isCertificateError(code: string | undefined): boolean {
  return code !== undefined && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|UNABLE_TO_GET_ISSUER/.test(code);
}
