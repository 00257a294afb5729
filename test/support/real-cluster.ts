/**
 * Real servers for the integration tests, each on 127.0.0.1 with free ports and a temp dir of its
 * own (other people run agents on the default ports of the same machine):
 *
 * - Consul: the repository's pinned dev agent (consul-agent.ts);
 * - Nomad: `nomad agent -dev` wired to that Consul, raw_exec on, cloud fingerprinters off (with
 *   `AWS_CA_BUNDLE` set, env_aws fails the agent), advertising 127.0.0.1 (a -dev agent bound to
 *   loopback needs it), optionally trusting a Vault for workload identities;
 * - OpenBao (or Vault): `bao server -dev` with a known root token;
 * - Fabio: configured with drover's own rendered properties (src/render/fabio-properties.ts),
 *   only its ports and Consul address changed.
 *
 * Each `start…` resolves once the server answers, and `stop()` ends it and anything it started.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Environment } from '../../src/config/environment.ts';
import { renderFabioProperties } from '../../src/render/fabio-properties.ts';
import { freePorts, startConsulAgent, type ConsulAgent } from './consul-agent.ts';
import { findOnPath, spawnReal, waitFor, type RealProcess } from './real-process.ts';

export { consulAvailability } from './consul-agent.ts';
export type { ConsulAgent };

/** The Consul dev agent (`.tools/consul` or PATH). */
export function startRealConsul(): Promise<ConsulAgent> {
  return startConsulAgent({ readyTimeoutMs: 60_000 });
}

/** A running `nomad agent -dev`. */
export interface RealNomad {
  /** `http://127.0.0.1:<port>` */
  readonly address: string;
  /** Where Vault's JWT auth finds the keys of Nomad's workload identities. */
  readonly jwksUrl: string;
  /** The agent's data dir: its allocations live under `<dataDir>/alloc`. */
  readonly dataDir: string;
  readonly process: RealProcess;
  stop(): Promise<void>;
}

/** Options of {@link startRealNomad}. */
export interface NomadOptions {
  /**
   * Consul's HTTP address, `http://127.0.0.1:<port>`. Without one, a closed port: never Nomad's
   * default 127.0.0.1:8500, where someone else's agent may listen.
   */
  readonly consul?: string;
  /** Vault for workload identities: tasks log in with JWTs at `<jwtAuthPath>` for audience `aud`. */
  readonly vault?: { readonly address: string; readonly jwtAuthPath: string; readonly audience: string };
  /** Client meta, e.g. `{ drover_checkout: repoRoot }`. */
  readonly meta?: Readonly<Record<string, string>>;
  /**
   * Consul with ACLs: Nomad's own token, and the audience of the workload identities it signs for
   * services and tasks (consul.service_identity / task_identity, as the rendered qa/prod agents).
   */
  readonly consulAcl?: { readonly token: string; readonly audience: string };
}

/** The agent's config: see the module comment for why each part is there. */
export function nomadAgentConfig(ports: { readonly http: number; readonly rpc: number; readonly serf: number }, options: NomadOptions): string {
  const meta = Object.entries(options.meta ?? {}).map(([key, value]) => `    ${JSON.stringify(key)} = ${JSON.stringify(value)}\n`).join('');
  const vault = options.vault
    ? `vault {\n  enabled = true\n  address = ${JSON.stringify(options.vault.address)}\n  jwt_auth_backend_path = ${JSON.stringify(options.vault.jwtAuthPath)}\n  default_identity {\n    aud = [${JSON.stringify(options.vault.audience)}]\n    ttl = "1h"\n  }\n}\n`
    : '';
  const acl = options.consulAcl;
  const identities = acl
    ? `  token = ${JSON.stringify(acl.token)}\n${['service_identity', 'task_identity'].map((block) => `  ${block} {\n    aud = [${JSON.stringify(acl.audience)}]\n    ttl = "1h"\n  }\n`).join('')}`
    : '';
  return `bind_addr = "127.0.0.1"
ports {
  http = ${ports.http}
  rpc  = ${ports.rpc}
  serf = ${ports.serf}
}
advertise {
  http = "127.0.0.1"
  rpc  = "127.0.0.1"
  serf = "127.0.0.1"
}
client {
  options {
    "fingerprint.denylist" = "env_aws,env_gce,env_azure,env_digitalocean"
    "driver.allowlist"     = "raw_exec"
  }
  meta {
${meta}  }
}
plugin "raw_exec" {
  config {
    enabled = true
  }
}
consul {
  address = ${JSON.stringify((options.consul ?? 'http://127.0.0.1:1').replace(/^https?:\/\//, ''))}
${identities}}
${vault}`;
}

/** Starts `nomad agent -dev`; resolves once it has a leader and a ready node with raw_exec. */
export async function startRealNomad(options: NomadOptions): Promise<RealNomad> {
  const binary = required('nomad');
  const [http, rpc, serf] = (await freePorts(3)) as [number, number, number];
  const dir = mkdtempSync(join(tmpdir(), 'drover-real-nomad-'));
  const dataDir = join(dir, 'data');
  writeFileSync(join(dir, 'agent.hcl'), nomadAgentConfig({ http, rpc, serf }, options));
  const process = spawnReal('nomad', binary, ['agent', '-dev', `-config=${join(dir, 'agent.hcl')}`, `-data-dir=${dataDir}`], { dir });
  const address = `http://127.0.0.1:${http}`;
  try {
    await waitFor('Nomad node ready with raw_exec', async () => {
      const nodes = (await getJson(`${address}/v1/nodes`)) as { Status: string; Drivers?: Record<string, { Healthy: boolean }> }[];
      return nodes.some((n) => n.Status === 'ready' && n.Drivers?.['raw_exec']?.Healthy) ? true : undefined;
    }, { timeoutMs: 60_000, process });
  } catch (error) {
    await process.stop();
    throw error;
  }
  return { address, jwksUrl: `${address}/.well-known/jwks.json`, dataDir, process, stop: () => process.stop() };
}

/** A running `bao server -dev` (or `vault server -dev`). */
export interface RealVault {
  /** `http://127.0.0.1:<port>` */
  readonly address: string;
  readonly rootToken: string;
  readonly process: RealProcess;
  stop(): Promise<void>;
}

/** Starts a Vault-API dev server (bao preferred) with `rootToken`; resolves once it is active. */
export async function startRealVault(rootToken: string): Promise<RealVault> {
  const binary = findOnPath('bao') ?? required('vault');
  const [port] = (await freePorts(1)) as [number];
  const dir = mkdtempSync(join(tmpdir(), 'drover-real-vault-'));
  // The dev server writes its root token to $HOME/.vault-token: keep HOME inside the temp dir.
  const env = { ...process.env, HOME: dir, VAULT_ADDR: '', VAULT_TOKEN: '', BAO_ADDR: '', BAO_TOKEN: '' };
  const server = spawnReal('bao', binary, ['server', '-dev', `-dev-root-token-id=${rootToken}`, `-dev-listen-address=127.0.0.1:${port}`], { dir, env });
  const address = `http://127.0.0.1:${port}`;
  try {
    await waitFor('an active Vault', async () => ((await fetch(`${address}/v1/sys/health`)).status === 200 ? true : undefined), { timeoutMs: 60_000, process: server });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { address, rootToken, process: server, stop: () => server.stop() };
}

/** A running Fabio. */
export interface RealFabio {
  /** The HTTP proxy, `http://127.0.0.1:<port>`. */
  readonly proxy: string;
  /** UI and API (`/api/routes`), `http://127.0.0.1:<port>`. */
  readonly ui: string;
  /** The prometheus listener, `127.0.0.1:<port>` (a scrape target); metrics at `/metrics`. */
  readonly metricsHostPort: string;
  /** The properties it runs with. */
  readonly properties: string;
  readonly process: RealProcess;
  stop(): Promise<void>;
}

/**
 * Starts Fabio with `renderFabioProperties(env)`, only ports and Consul address replaced;
 * resolves once its UI answers and the proxy listens.
 */
export async function startRealFabio(options: { readonly env: Environment; readonly consul: string }): Promise<RealFabio> {
  const binary = required('fabio');
  const [proxyPort, uiPort, metricsPort] = (await freePorts(3)) as [number, number, number];
  const consulAddress = options.consul.replace(/^https?:\/\//, '');
  const env: Environment = { ...options.env, fabio: { ...options.env.fabio, proxyPort, uiPort, metricsPort, consulAddress } };
  const properties = renderFabioProperties(env);
  const dir = mkdtempSync(join(tmpdir(), 'drover-real-fabio-'));
  writeFileSync(join(dir, 'fabio.properties'), properties);
  // As root (containers), Fabio 1.7 refuses to start without -insecure.
  const args = ['-cfg', join(dir, 'fabio.properties'), ...(process.getuid?.() === 0 ? ['-insecure'] : [])];
  const server = spawnReal('fabio', binary, args, { dir });
  const ui = `http://127.0.0.1:${uiPort}`;
  const proxy = `http://127.0.0.1:${proxyPort}`;
  try {
    await waitFor('Fabio UI and proxy', async () => ((await fetch(`${ui}/health`)).ok && (await fetch(`${proxy}/`)).status > 0 ? true : undefined), { timeoutMs: 30_000, process: server });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { proxy, ui, metricsHostPort: `127.0.0.1:${metricsPort}`, properties, process: server, stop: () => server.stop() };
}

/** GET a URL as JSON; throws on a non-2xx answer with its body. */
export async function getJson(url: string, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}

/** Sends a JSON body (or none) and returns the answer's status and text. */
export async function sendJson(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, text: await response.text() };
}

function required(name: string): string {
  const binary = findOnPath(name);
  if (!binary) throw new Error(`no ${name} on PATH (the suite should have been skipped)`);
  return binary;
}
