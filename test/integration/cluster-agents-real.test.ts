/**
 * The agent configurations `drover cluster render` commits (cluster/<env>/), checked by the real
 * programs that will read them: Consul's `consul validate` (the pinned 1.8.7 in .tools/, which CI
 * installs), and — when they are on PATH — `nomad config validate` and OpenBao's
 * `bao operator diagnose` (listener TLS included; storage and auto-unseal skipped, they need the
 * machines). Each file is copied into a temp dir next to what install.sh adds at boot (the gossip
 * key file, OpenBao's address variables), with the TLS paths pointed at a throwaway CA and
 * certificates when openssl is there, so that the TLS settings are loaded too.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { consulAvailability, freePorts, warnConsulSkipped } from '../support/consul-agent.ts';
import { findOnPath, missingBinaries, spawnReal, waitFor } from '../support/real-process.ts';
import { repoRoot } from '../support/run-cli.ts';
import { addSecondAddress, defaultRouteIpv4 } from '../support/second-address.ts';
import prodCluster from '../../environments/clusters/prod.ts';
import qaCluster from '../../environments/clusters/qa.ts';
import qa from '../../environments/qa.ts';
import { defineCluster } from '../../src/config/cluster.ts';
import { readClusterTemplates } from '../../src/project/cluster-templates.ts';
import { renderCluster } from '../../src/render/cluster/render-cluster.ts';
import { clusterRoles } from '../../src/render/cluster/roles.ts';

const SUITE = 'test/integration/cluster-agents-real.test.ts';
const consul = consulAvailability();
warnConsulSkipped(`${SUITE} (consul validate of cluster/*/consul.hcl)`, consul);
const nomad = missingBinaries(`${SUITE} (nomad config validate)`, ['nomad']).length === 0;
const bao = missingBinaries(`${SUITE} (bao operator diagnose)`, ['bao']).length === 0;
const shellcheck = missingBinaries(`${SUITE} (shellcheck of install.sh)`, ['shellcheck']).length === 0;

const roles = readdirSync(join(repoRoot, 'cluster')).flatMap((env) => readdirSync(join(repoRoot, 'cluster', env)).map((role) => `cluster/${env}/${role}`)).sort();
const servers = roles.filter((role) => role.endsWith('/server'));
const scratch = mkdtempSync(join(tmpdir(), 'drover-cluster-agents-'));
const tlsDir = throwawayTls(join(scratch, 'tls'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A CA and one certificate per agent where the rendered files expect them (`ca.pem`, `<agent>.pem`, `<agent>-key.pem`); undefined without openssl. */
function throwawayTls(dir: string): string | undefined {
  if (!findOnPath('openssl')) return undefined;
  mkdirSync(dir, { recursive: true });
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=drover-test-ca');
  for (const agent of ['nomad', 'consul', 'vault']) {
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${agent}-key.pem`, '-out', `${agent}.csr`, '-subj', `/CN=${agent}`);
    openssl('x509', '-req', '-in', `${agent}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${agent}.pem`, '-days', '1');
  }
  return dir;
}

/** A temp config dir holding the role's `file` (TLS paths redirected) plus `extra` files. */
function configDir(role: string, file: string, extra: Record<string, string> = {}, replace: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(scratch, 'cfg-'));
  let text = readFileSync(join(repoRoot, role, file), 'utf8');
  for (const [from, to] of Object.entries({ ...(tlsDir ? { '/etc/drover/tls': tlsDir } : {}), ...replace })) text = text.split(from).join(to);
  writeFileSync(join(dir, file), text);
  for (const [name, content] of Object.entries(extra)) writeFileSync(join(dir, name), content);
  return dir;
}

const gossipKey = () => randomBytes(32).toString('base64');

it('finds the rendered cluster folders', () => {
  expect(roles).toEqual(expect.arrayContaining(['cluster/qa/server', 'cluster/qa/client-general', 'cluster/prod/server', 'cluster/prod/client-prod1']));
});

describe.skipIf(!consul.available)('consul validate', () => {
  it.each(roles)('accepts %s/consul.hcl with the gossip key install.sh writes', (role) => {
    const dir = configDir(role, 'consul.hcl', { 'gossip.hcl': `encrypt = "${gossipKey()}"\n` });
    const result = spawnSync(consul.available ? consul.binary : 'consul', ['validate', dir], { encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`).toContain('Configuration is valid!');
    expect(result.status).toBe(0);
  });
});

describe.skipIf(!nomad)('nomad config validate', () => {
  it.each(roles)('accepts %s/nomad.hcl', (role) => {
    const extra: Record<string, string> = role.endsWith('/server') ? { 'gossip.hcl': `server {\n  encrypt = "${gossipKey()}"\n}\n` } : {};
    const result = spawnSync('nomad', ['config', 'validate', configDir(role, 'nomad.hcl', extra)], { encoding: 'utf8' });
    const output = `${result.stdout}${result.stderr}`;
    expect(output).toContain('Configuration is valid!');
    if (tlsDir) expect(output).not.toContain('Error when parsing TLS configuration');
    expect(result.status).toBe(0);
  });
});

/** On-prem, the address of the role's first host (`cluster/prod/server` → 10.10.0.11); none on AWS. */
const hostAddress = new Map<string, string | undefined>(
  Object.entries({ qa: qaCluster, prod: prodCluster }).flatMap(([env, cluster]) =>
    clusterRoles(cluster).map((role) => [`cluster/${env}/${role.name}`, ((role.server ? cluster.servers.hosts : role.pool.hosts) ?? [])[0]?.address] as const),
  ),
);

const consulValidate = (dir: string) => {
  const result = spawnSync(consul.available ? consul.binary : 'consul', ['validate', dir], { encoding: 'utf8' });
  return `${result.stdout}${result.stderr}`;
};

/** What a real Nomad server started with the role's rendered `advertise` block (and bound to 0.0.0.0) advertises. */
async function nomadAdvertises(role: string): Promise<string> {
  const advertise = /^advertise \{[\s\S]*?^\}/m.exec(readFileSync(join(repoRoot, role, 'nomad.hcl'), 'utf8'))?.[0];
  if (!advertise) return `no advertise block in ${role}/nomad.hcl`;
  const [http, rpc, serf] = await freePorts(3);
  const dir = mkdtempSync(join(scratch, 'nomad-'));
  const config = `bind_addr = "0.0.0.0"\ndata_dir  = "${join(dir, 'data')}"\nports {\n  http = ${http}\n  rpc  = ${rpc}\n  serf = ${serf}\n}\nserver {\n  enabled          = true\n  bootstrap_expect = 1\n}\n${advertise}\n`;
  writeFileSync(join(dir, 'agent.hcl'), config);
  const agent = spawnReal(`nomad agent (${role} advertise)`, 'nomad', ['agent', `-config=${join(dir, 'agent.hcl')}`], { dir });
  try {
    return await waitFor('its advertise addresses', async () => /Advertise Addrs: (.*)/.exec(agent.output())?.[1], { timeoutMs: 30_000, process: agent });
  } finally {
    await agent.stop();
  }
}

/**
 * A host with more than one private IPv4 address (docker0 on every client with the docker driver):
 * Consul bound to 0.0.0.0 refuses to start there unless told which one to advertise, Nomad picks
 * one itself. The extra interface exists only during this one test: the tests of a file run one
 * after another, and the other files bind their agents to 127.0.0.1. On-prem roles also get their
 * first host's address, as their machines have it.
 */
describe.skipIf(!consul.available)('with a second private IPv4 address on the host', () => {
  it('consul validate accepts every consul.hcl (and refuses one without advertise_addr); Nomad advertises the chosen address', async ({ skip }) => {
    const second = addSecondAddress('10.123.45.1/24');
    if (!second.ok) {
      console.warn(`\n!!!!!!!!!! SKIPPED: ${SUITE} (agents on a host with two private IPv4 addresses) — ${second.reason} !!!!!!!!!!\n`);
      skip(second.reason);
      return;
    }
    try {
      const gossip = () => ({ 'gossip.hcl': `encrypt = "${gossipKey()}"\n` });
      // The control: the extra address is in effect, so a file without advertise_addr is refused.
      const control = configDir('cluster/qa/client-general', 'consul.hcl', gossip());
      writeFileSync(join(control, 'consul.hcl'), readFileSync(join(control, 'consul.hcl'), 'utf8').replace(/^advertise_addr\s*=.*$/m, ''));
      expect(consulValidate(control)).toContain('Multiple private IPv4 addresses found');
      const refused: string[] = [];
      for (const role of roles) {
        const address = hostAddress.get(role);
        if (address) second.iface.add(address);
        try {
          const output = consulValidate(configDir(role, 'consul.hcl', gossip()));
          if (!output.includes('Configuration is valid!')) refused.push(`${role}/consul.hcl: ${output.trim()}`);
          // `nomad config validate` parses the advertise block but does not evaluate its template.
          const server: Record<string, string> = role.endsWith('/server') ? { 'gossip.hcl': `server {\n  encrypt = "${gossipKey()}"\n}\n` } : {};
          const nomadResult = nomad ? spawnSync('nomad', ['config', 'validate', configDir(role, 'nomad.hcl', server)], { encoding: 'utf8' }) : undefined;
          if (nomadResult && nomadResult.status !== 0) refused.push(`${role}/nomad.hcl: ${nomadResult.stdout}${nomadResult.stderr}`.trim());
        } finally {
          if (address) second.iface.remove(address);
        }
      }
      expect(refused).toEqual([]);
      if (!nomad) return;
      const aws = defaultRouteIpv4();
      expect(aws, 'no IPv4 address on the default-route interface').toBeDefined();
      const qaServer = await nomadAdvertises('cluster/qa/server');
      for (const kind of ['HTTP', 'RPC', 'Serf']) expect(qaServer).toContain(`${kind}: ${aws}:`);
      second.iface.add('10.10.0.11');
      try {
        const prodServer = await nomadAdvertises('cluster/prod/server');
        for (const kind of ['HTTP', 'RPC', 'Serf']) expect(prodServer).toContain(`${kind}: 10.10.0.11:`);
      } finally {
        second.iface.remove('10.10.0.11');
      }
    } finally {
      second.iface.destroy();
    }
  }, 120_000);
});

describe.skipIf(!bao)('bao operator diagnose', () => {
  it.each(servers)('accepts %s/openbao.hcl: configuration and TLS listener', (role) => {
    const port = 18200 + servers.indexOf(role);
    const dir = configDir(role, 'openbao.hcl', {}, { '/opt/openbao/data': join(scratch, `raft-${port}`), '0.0.0.0:8200': `127.0.0.1:${port}`, '0.0.0.0:8201': `127.0.0.1:${port + 100}` });
    const env = { ...process.env, BAO_API_ADDR: `https://127.0.0.1:${port}`, BAO_CLUSTER_ADDR: `https://127.0.0.1:${port + 100}` };
    const result = spawnSync('bao', ['operator', 'diagnose', '-config', join(dir, 'openbao.hcl'), '-skip', 'storage', '-skip', 'autounseal', '-format', 'json'], { encoding: 'utf8', env, timeout: 60_000 });
    const report = JSON.parse(result.stdout) as { status: string; children?: { name: string; status: string; message?: string; warnings?: string[] }[] };
    const checks = report.children ?? [];
    // diagnose's telemetry check counts stackdriver_debug_logs = false as "a Stackdriver setting is
    // present" and then fails on every telemetry stanza without Stackdriver: not ours to fix.
    const falsePositive = (c: { name: string; message?: string }) => c.name === 'Check Telemetry' && /incomplete Stackdriver/.test(c.message ?? '') && !readFileSync(join(dir, 'openbao.hcl'), 'utf8').includes('stackdriver');
    const failed = checks.filter((c) => c.status === 'fail' && !falsePositive(c));
    expect(failed, JSON.stringify(failed)).toEqual([]);
    // An option OpenBao does not know (Vault's disable_mlock, say) is only a warning there.
    expect(checks.find((c) => c.name === 'Parse Configuration')?.warnings ?? []).toEqual([]);
    expect(checks.find((c) => c.name === 'Start Listeners')?.status).toBe('ok');
  });
});

describe.skipIf(!shellcheck)('shellcheck', () => {
  it.each(roles)('finds no warning in %s/install.sh', (role) => {
    const result = spawnSync('shellcheck', ['-S', 'warning', join(repoRoot, role, 'install.sh')], { encoding: 'utf8' });
    expect(result.stdout, result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('finds no warning in the install.sh of a cluster whose certificates come from a Vault PKI', async () => {
    const cluster = defineCluster({ ...qaCluster, tls: { source: 'vault-pki', dir: '/etc/drover/tls', address: 'https://pki.example.internal:8200', role: 'agents', tokenFile: '/etc/drover/pki-token' } } as never);
    const files = renderCluster({ cluster, env: qa, source: 'environments/clusters/qa.ts', templates: await readClusterTemplates() });
    const script = files.find((f) => f.path === 'cluster/qa/server/install.sh')?.content ?? '';
    expect(script).toContain('issue_cert vault "vault.qa.example.internal,localhost" openbao');
    const file = join(scratch, 'pki-install.sh');
    writeFileSync(file, script);
    const result = spawnSync('shellcheck', ['-S', 'warning', file], { encoding: 'utf8' });
    expect(result.stdout, result.stdout).toBe('');
  });
});
