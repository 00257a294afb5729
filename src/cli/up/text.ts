/** What `drover up` and `drover down` tell people (stderr). Pure: facts in, text out. */
import type { Environment } from '../../config/environment.ts';
import type { DevPorts } from '../../render/cluster/dev-profile.ts';
import type { StoppedProcess, Teardown } from './teardown.ts';

export interface RealBannerFacts {
  readonly env: Environment;
  /** The cluster definition the profile came from, or undefined (defaults). */
  readonly clusterFile?: string | undefined;
  readonly store: 'openbao' | 'vault';
  readonly addresses: { readonly nomad: string; readonly consul: string; readonly vault: string; readonly fabio: string; readonly fabioUi: string; readonly prometheus: string; readonly consulSd: string };
  readonly ports: DevPorts;
  /** Project-relative: logs by process name, the root token file, the Nomad config. */
  readonly logs: Readonly<Record<string, string>>;
  readonly rootTokenFile: string;
  readonly nomadConfig: string;
  readonly secrets: readonly string[];
  readonly consulKeys: readonly string[];
  readonly namespace?: string | undefined;
  /** The source environment and the Consul of its local cluster, when this one takes releases from it. */
  readonly releasesFrom?: { readonly env: string; readonly consul: string } | undefined;
}

export function realBanner(facts: RealBannerFacts): string {
  const { env, addresses: a } = facts;
  const title = facts.store === 'openbao' ? 'openbao' : 'vault';
  const log = (name: string) => `log ${facts.logs[name] ?? '?'}`;
  const from = facts.clusterFile ? `the dev profile of ${facts.clusterFile}` : 'the dev profile (no cluster definition: defaults)';
  return [
    `drover up — a REAL single-node cluster for ${env.name}, from ${from}: 127.0.0.1 only, no TLS, no ACLs.`,
    `  nomad       ${a.nomad}   server and client (${facts.nomadConfig})   ${log('nomad')}`,
    `  consul      ${a.consul}   ${log('consul')}`,
    `  ${title.padEnd(10)}  ${a.vault}   initialised, unsealed; root token in ${facts.rootTokenFile} (0600)   ${log(facts.store)}`,
    `  fabio       ${a.fabio}   (ui ${a.fabioUi})   ${log('fabio')}`,
    `  prometheus  ${a.prometheus}   scrapes the agents, Fabio and the apps   ${log('prometheus')}`,
    `  consul-sd   ${a.consulSd}   Consul's catalog as Prometheus service discovery (the apps)   ${log('consul-sd')}`,
    ...(facts.namespace ? [`  Nomad namespace ${facts.namespace} created.`] : []),
    `  Vault: KV mount, JWT auth ${JSON.stringify(env.vault.jwtAuthPath)} trusting ${a.nomad}/.well-known/jwks.json, policies and roles of vault-policies/${env.name}/, a token with only drover-deployer and drover-cluster-check (read auth/${env.vault.jwtAuthPath}/config, for \`drover cluster check --dev\`), exported as VAULT_TOKEN.`,
    ...facts.secrets.map((id) => `  vault   ${id}   generated placeholder (random, not a real secret)`),
    ...facts.consulKeys.map((key) => `  consul  ${key}   placeholder (empty value)`),
    ...(facts.ports.dynamic ? [`  Nomad hands out dynamic ports ${facts.ports.dynamic.min}-${facts.ports.dynamic.max} only (each local cluster on this host takes its own slice).`] : []),
    ...(facts.releasesFrom ? [`  Releases: read from ${facts.releasesFrom.env}'s local cluster (Consul ${facts.releasesFrom.consul}), where \`drover deploy ${facts.releasesFrom.env}\` records them.`] : []),
    ...portNotes(env, facts.ports),
    `This cluster is set up for ${env.name} only (its namespace, datacenter and Vault policies): another environment gets a cluster of its own beside it: \`drover up --env <env>\`.`,
    `Export the variables below (or run \`eval "$(drover up …)"\`), then: drover deploy ${env.name}${env.promotion.confirm ? ' --yes' : ''}. Stop it with \`drover down --env ${env.name}\`.`,
    '',
  ].join('\n');
}

/** Where a default port was taken: what listens elsewhere, and who may still expect the default. */
function portNotes(env: Environment, ports: DevPorts): string[] {
  const moved = [
    ...(ports.nomad.http !== 4646 ? [`Nomad ${ports.nomad.http}`] : []),
    ...(ports.consul.http !== 8500 ? [`Consul ${ports.consul.http}`] : []),
    ...(ports.vault.api !== 8200 ? [`Vault ${ports.vault.api}`] : []),
  ];
  if (moved.length === 0) return [];
  return [`! Not on the default ports (taken by a sandbox or another agent, or --random-ports): ${moved.join(', ')}. Use the exports; anything configured for 127.0.0.1's defaults (environments/${env.name}.ts, a job's own Consul address) does not reach this cluster.`];
}

/** The fallback's first line: which binaries are missing. */
export function fallbackNotice(missing: readonly string[], env: string): string {
  const why = missing.length ? `not on PATH: ${missing.join(', ')}` : '--sandbox';
  return `drover up: ${why} — starting the drover sandbox for ${env} instead (a simulator of the APIs: nothing runs). Stop it with \`drover down --env ${env}\`.\n`;
}

/** One line per stopped process. */
export function stoppedLine(process: StoppedProcess): string {
  const what = {
    stopped: 'stopped',
    killed: 'killed (did not stop within 15 s of SIGTERM)',
    gone: 'had already exited',
    other: 'left alone: its pid now belongs to another program',
  }[process.outcome];
  return `  ${process.name.padEnd(11)} pid ${String(process.pid).padEnd(8)} ${what}\n`;
}

export function teardownSummary(teardown: Teardown, logsDir: string): string {
  const tasks = teardown.tasksKilled.length ? `killed ${teardown.tasksKilled.length} task process(es) Nomad left behind; ` : '';
  const left = teardown.leftover.length ? `! Could not remove: ${teardown.leftover.join('; ')}.\n` : '';
  return `drover down: ${tasks}removed ${teardown.removed.length ? teardown.removed.join(', ') : 'nothing else'}; logs kept in ${logsDir}.\n${left}`;
}
