/**
 * `drover up` with the real binaries: renders the dev profile of the environment's cluster,
 * starts Consul, OpenBao (or Vault: initialised and unsealed with one key share), Nomad, Fabio and
 * Prometheus detached on 127.0.0.1, waits until each is ready, and seeds them (seed.ts). Records
 * every process in the state file as soon as it is started, so that a failure half-way stops
 * exactly what was started.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Cluster } from '../../config/cluster.ts';
import type { Environment } from '../../config/environment.ts';
import type { LoadedJob } from '../../model/loaded-job.ts';
import type { LoadedModule } from '../../project/load.ts';
import { renderDevProfile, type DevAgentConfigs, type DevPorts } from '../../render/cluster/dev-profile.ts';
import type { ClusterTemplates } from '../../render/cluster/render-cluster.ts';
import { sandboxExports } from '../sandbox-text.ts';
import type { UpBinaries } from './binaries.ts';
import { DROVER_BIN, getJson, launchDetached, sendJson, waitReady } from './launch.ts';
import { hasJwks, seedLocalCluster, type Seeded } from './seed.ts';
import { STATE_FORMAT, writeUpState, type UpProcess, type UpState } from './state.ts';
import { stopAll } from './teardown.ts';

export interface RealUpInput {
  readonly root: string;
  readonly dir: string;
  readonly env: Environment;
  readonly cluster?: LoadedModule<Cluster> | undefined;
  readonly jobs: readonly LoadedJob[];
  readonly binaries: UpBinaries;
  readonly templates: ClusterTemplates;
  readonly ports: DevPorts;
  /** The caller's environment: PATH and the rest for the agents, without NOMAD_/CONSUL_/VAULT_/BAO_ variables. */
  readonly processEnv: NodeJS.ProcessEnv;
  /** Readiness deadline per server. @default 90000 */
  readonly readyTimeoutMs?: number;
  /** A line of progress for people (stderr). */
  readonly progress: (line: string) => void;
  /** Aborted on Ctrl-C: what was started is stopped. */
  readonly signal?: AbortSignal;
  /** The Consul holding the releases this environment takes (its source's local cluster); default this cluster's. */
  readonly releasesFrom?: string | undefined;
}

/** What a started cluster answers on, and how it was set up. */
export interface RealCluster {
  readonly state: UpState;
  readonly configs: DevAgentConfigs;
  readonly addresses: { readonly nomad: string; readonly consul: string; readonly vault: string; readonly fabio: string; readonly fabioUi: string; readonly fabioMetrics: string; readonly prometheus: string; readonly consulSd: string };
  readonly seeded: Seeded;
  /** The file holding the root token (mode 0600); never printed. */
  readonly rootTokenFile: string;
}

const LOOPBACK = 'http://127.0.0.1';

export async function startRealCluster(input: RealUpInput): Promise<RealCluster> {
  const { dir, ports, binaries } = input;
  const configs = renderDevProfile({
    env: input.env, cluster: input.cluster?.value, source: input.cluster?.file ?? `environments/${input.env.name}.ts`,
    templates: input.templates, ports, dir, meta: { drover_checkout: input.root },
  });
  const files = writeConfigs(dir, configs);
  const addresses = {
    nomad: `${LOOPBACK}:${ports.nomad.http}`, consul: `${LOOPBACK}:${ports.consul.http}`, vault: `${LOOPBACK}:${ports.vault.api}`,
    fabio: `${LOOPBACK}:${ports.fabio.proxy}`, fabioUi: `${LOOPBACK}:${ports.fabio.ui}`, fabioMetrics: `${LOOPBACK}:${ports.fabio.metrics}`, prometheus: `${LOOPBACK}:${ports.prometheus}`,
    consulSd: `${LOOPBACK}:${ports.consulSd}`,
  };
  const started: UpProcess[] = [];
  const dataDirs = [join(dir, 'data'), join(dir, 'host-volumes'), join(dir, 'config'), join(dir, 'root-token')];
  const startedAt = new Date().toISOString();
  const record = (exports = ''): UpState => {
    const state: UpState = {
      format: STATE_FORMAT, kind: 'real', env: input.env.name, dir, processes: [...started], dataDirs, tasksUnder: configs.dataDirs.nomad, exports, startedAt,
      ...(ports.dynamic ? { dynamicPorts: ports.dynamic } : {}),
    };
    writeUpState(state);
    return state;
  };
  const timeout = input.readyTimeoutMs ?? 90_000;
  const env = agentEnv(input.processEnv);
  const launch = (name: string, binary: string, args: readonly string[]): UpProcess => {
    const process = launchDetached(name, binary, args, { log: join(dir, 'logs', `${name}.log`), cwd: dir, env });
    started.push(process);
    record();
    input.progress(`  started ${name} (pid ${process.pid}), log ${relative(input.root, process.log)}`);
    return process;
  };
  try {
    const consul = launch('consul', binaries.consul, ['agent', `-config-file=${files.consul}`]);
    await waitReady('Consul leader', consul, async () => ((await getJson(`${addresses.consul}/v1/status/leader`)) ? true : undefined), timeout, input.signal);
    const store = launch(input.binaries.store.product, binaries.store.binary, ['server', `-config=${files.vault}`]);
    const rootToken = await initialise(addresses.vault, store, timeout, input.signal);
    const rootTokenFile = join(dir, 'root-token');
    writeFileSync(rootTokenFile, `${rootToken}\n`, { mode: 0o600 });
    const nomad = launch('nomad', binaries.nomad, ['agent', `-config=${files.nomad}`]);
    await waitReady('Nomad leader', nomad, async () => ((await getJson(`${addresses.nomad}/v1/status/leader`)) ? true : undefined), timeout, input.signal);
    await waitReady('ready Nomad node with raw_exec', nomad, () => nodeReady(addresses.nomad), timeout, input.signal);
    await waitReady('Nomad JWKS (workload identity keys)', nomad, async () => ((await hasJwks(addresses.nomad)) ? true : undefined), timeout, input.signal);
    const seeded = await seedLocalCluster({ env: input.env, jobs: input.jobs, root: input.root, nomad: addresses.nomad, consul: addresses.consul, vault: { address: addresses.vault, rootToken } });
    // Debian's Prometheus has no consul_sd: drover consul-sd serves the catalog to its `apps` job.
    const sd = launch('consul-sd', process.execPath, [DROVER_BIN, 'consul-sd', '--consul', addresses.consul, '--listen', `127.0.0.1:${ports.consulSd}`]);
    await waitReady('consul-sd answering', sd, async () => ((await fetch(`${addresses.consulSd}/`, { signal: AbortSignal.timeout(3000) })).ok ? true : undefined), timeout, input.signal);
    const fabio = launch('fabio', binaries.fabio, ['-cfg', files.fabio, ...(process.getuid?.() === 0 ? ['-insecure'] : [])]);
    await waitReady('Fabio UI', fabio, async () => ((await fetch(`${addresses.fabioUi}/health`, { signal: AbortSignal.timeout(3000) })).ok ? true : undefined), timeout, input.signal);
    const prometheus = launch('prometheus', binaries.prometheus, [
      `--config.file=${files.prometheus}`, `--storage.tsdb.path=${configs.dataDirs.prometheus}`, `--web.listen-address=127.0.0.1:${ports.prometheus}`,
    ]);
    await waitReady('Prometheus ready', prometheus, async () => ((await fetch(`${addresses.prometheus}/-/ready`, { signal: AbortSignal.timeout(3000) })).ok ? true : undefined), timeout, input.signal);
    const exports = sandboxExports({ addresses }, {
      env: input.env, placeholders: seeded.secrets, vaultToken: seeded.deployerToken, canaried: [], prometheus: { address: addresses.prometheus },
      // Releases an environment takes are read where its source recorded them: the source's own
      // local cluster when that runs, else this Consul (the source deployed here too).
      releasesFrom: input.releasesFrom ?? addresses.consul,
    }, undefined);
    return { state: record(exports), configs, addresses, seeded, rootTokenFile };
  } catch (error) {
    input.progress('  stopping what drover up started…');
    await stopAll(record(), () => undefined);
    throw error;
  }
}

function writeConfigs(dir: string, configs: DevAgentConfigs): { nomad: string; consul: string; vault: string; fabio: string; prometheus: string } {
  for (const folder of [join(dir, 'config'), join(dir, 'logs'), ...Object.values(configs.dataDirs), ...configs.hostVolumeDirs]) mkdirSync(folder, { recursive: true });
  const files = {
    nomad: join(dir, 'config', 'nomad.hcl'), consul: join(dir, 'config', 'consul.hcl'), vault: join(dir, 'config', `${configs.store}.hcl`),
    fabio: join(dir, 'config', 'fabio.properties'), prometheus: join(dir, 'config', 'prometheus.yml'),
  };
  for (const [name, file] of Object.entries(files)) writeFileSync(file, configs[name as keyof typeof files]);
  rmSync(join(dir, 'root-token'), { force: true });
  return files;
}

/**
 * Initialises the fresh OpenBao/Vault with one key share, unseals it and waits until it is the
 * active node; returns the root token. The unseal key is not kept: `drover down` removes the data.
 */
async function initialise(address: string, store: UpProcess, timeoutMs: number, signal: AbortSignal | undefined): Promise<string> {
  // sys/health answers 501 while not initialised, 503 sealed, 200 active.
  await waitReady(`${store.name} listening`, store, async () => (await fetch(`${address}/v1/sys/health`, { signal: AbortSignal.timeout(3000) })).status, timeoutMs, signal);
  const init = (await sendJson('PUT', `${address}/v1/sys/init`, { secret_shares: 1, secret_threshold: 1 })) as { keys_base64?: string[]; keys?: string[]; root_token: string };
  const key = init.keys_base64?.[0] ?? init.keys?.[0];
  await sendJson('PUT', `${address}/v1/sys/unseal`, { key });
  await waitReady(`${store.name} unsealed and active`, store, async () => ((await fetch(`${address}/v1/sys/health`, { signal: AbortSignal.timeout(3000) })).status === 200 ? true : undefined), timeoutMs, signal);
  return init.root_token;
}

async function nodeReady(nomad: string): Promise<true | undefined> {
  const nodes = (await getJson(`${nomad}/v1/nodes`)) as { Status: string; Drivers?: Record<string, { Healthy: boolean }> }[];
  return nodes.some((n) => n.Status === 'ready' && n.Drivers?.['raw_exec']?.Healthy) ? true : undefined;
}

/** The agents run without the caller's tokens and addresses: raw_exec tasks inherit the agent's environment. */
function agentEnv(processEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(processEnv).filter(([name]) => !/^(NOMAD|CONSUL|VAULT|BAO|DROVER)_/.test(name)));
}
