/**
 * `drover up` with the real servers (nomad, consul, bao or vault, fabio, prometheus on PATH;
 * Consul also from .tools/consul): a single-node cluster for dev on free ports of 127.0.0.1,
 * ready and set up (Vault unsealed with the JWT auth trusting this Nomad's JWKS, the deployer
 * token, placeholders), every listener on loopback, Prometheus scraping every agent; then
 * `drover down` stops exactly those processes and removes the data. Skipped, loudly, without
 * the binaries (CI has none: the sandbox fallback is tested in test/e2e/up-sandbox-fallback).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUpBinaries } from '../../src/cli/up/binaries.ts';
import { processStatus, readUpState, type UpState } from '../../src/cli/up/state.ts';
import { repoRoot, runCli } from '../support/run-cli.ts';
import { cleanEnv, parseExports } from '../support/sandbox-process.ts';
import { tempProject } from '../support/temp-project.ts';

const SUITE = 'test/integration/up-real.test.ts';
const search = findUpBinaries(process.env['PATH'] ?? '', [repoRoot]);
if (!search.found) console.warn(`\n!!!!!!!!!! SKIPPED: ${SUITE} — not on PATH: ${search.missing.join(', ')}; drover up was NOT checked against the real servers !!!!!!!!!!\n`);

describe.skipIf(!search.found)('drover up and drover down with the real servers', { timeout: 180_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let vars: Record<string, string> = {};
  let state: UpState | undefined;
  const upDir = () => join(project.dir, '.drover', 'up', 'dev');
  const vault = async (path: string, token: string) => (await fetch(`${vars['VAULT_ADDR']}/v1/${path}`, { headers: { 'X-Vault-Token': token } })).json() as Promise<{ data: Record<string, unknown> }>;

  beforeAll(async () => {
    project = await tempProject();
    const result = await runCli(['up', '--env', 'dev', '--random-ports'], { cwd: project.dir, env: { ...cleanEnv(), PATH: process.env['PATH'] ?? '' } });
    if (result.code !== 0) throw new Error(`drover up exited ${result.code}:\n${result.stderr}`);
    vars = parseExports(result.stdout);
    state = readUpState(upDir());
  }, 180_000);

  afterAll(async () => {
    const left = readUpState(upDir());
    if (left) await runCli(['down'], { cwd: project.dir, env: cleanEnv() });
    await project.cleanup();
  }, 60_000);

  it('starts every server detached and records it by pid and command line', () => {
    expect(state?.kind).toBe('real');
    expect(state?.processes.map((p) => [p.name, processStatus(p)])).toEqual([
      ['consul', 'running'], [search.found ? search.binaries.store.product : '', 'running'], ['nomad', 'running'], ['consul-sd', 'running'], ['fabio', 'running'], ['prometheus', 'running'],
    ]);
    expect(Object.keys(vars)).toEqual(['NOMAD_ADDR', 'CONSUL_HTTP_ADDR', 'VAULT_ADDR', 'VAULT_TOKEN', 'DROVER_FABIO_ADDR', 'DROVER_FABIO_UI_ADDR', 'DROVER_PROMETHEUS_ADDR', 'DROVER_RELEASES_CONSUL_HTTP_ADDR']);
  });

  it('listens on 127.0.0.1 only', () => {
    const listening = state?.processes.flatMap((p) => listenersOf(p.pid).map((address) => `${p.name} ${address}`)) ?? [];
    expect(listening.length).toBeGreaterThanOrEqual(8);
    expect(listening.filter((line) => !line.endsWith('(loopback)'))).toEqual([]);
  });

  it('has a Nomad leader and a ready node in dev\'s datacenter with raw_exec and the checkout as meta', async () => {
    expect(await (await fetch(`${vars['NOMAD_ADDR']}/v1/status/leader`)).json()).toMatch(/^127\.0\.0\.1:\d+$/);
    const nodes = (await (await fetch(`${vars['NOMAD_ADDR']}/v1/nodes`)).json()) as { ID: string; Status: string; Datacenter: string }[];
    expect(nodes.map((n) => [n.Status, n.Datacenter])).toEqual([['ready', 'dc1']]);
    const node = (await (await fetch(`${vars['NOMAD_ADDR']}/v1/node/${nodes[0]?.ID}`)).json()) as { Meta: Record<string, string>; Drivers: Record<string, { Healthy: boolean }> };
    expect(node.Meta['drover_checkout']).toBe(project.dir);
    expect(node.Drivers['raw_exec']?.Healthy).toBe(true);
    expect(await (await fetch(`${vars['CONSUL_HTTP_ADDR']}/v1/status/leader`)).json()).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('leaves Vault unsealed, trusting this Nomad\'s JWKS, with a deployer token and placeholders for dev\'s secrets', async () => {
    expect((await fetch(`${vars['VAULT_ADDR']}/v1/sys/health`)).status).toBe(200);
    const root = readFileSync(join(upDir(), 'root-token'), 'utf8').trim();
    expect(vars['VAULT_TOKEN']).not.toBe(root);
    const config = await vault('auth/jwt-nomad/config', root);
    expect(config.data['jwks_url']).toBe(`${vars['NOMAD_ADDR']}/.well-known/jwks.json`);
    const self = await vault('auth/token/lookup-self', vars['VAULT_TOKEN'] ?? '');
    expect(self.data['policies']).toEqual(['drover-cluster-check', 'drover-deployer']);
    // drover-cluster-check: the deployer token reads the JWT configuration (cluster check), still no secret value.
    expect((await vault('auth/jwt-nomad/config', vars['VAULT_TOKEN'] ?? '')).data['jwks_url']).toBe(`${vars['NOMAD_ADDR']}/.well-known/jwks.json`);
    expect((await fetch(`${vars['VAULT_ADDR']}/v1/secret/data/shop/api/database`, { headers: { 'X-Vault-Token': vars['VAULT_TOKEN'] ?? '' } })).status).toBe(403);
    const metadata = await vault('secret/metadata/shop/api/database', vars['VAULT_TOKEN'] ?? '');
    expect(Object.keys(metadata.data['versions'] as object)).toEqual(['1']);
    expect((await vault('sys/policies/acl/drover-api', root)).data['policy']).toContain('secret/data/shop/api/database');
  });

  it('runs Fabio and a Prometheus that scrapes every agent and Fabio', async () => {
    expect((await fetch(`${vars['DROVER_FABIO_ADDR']}/`)).status).toBe(404);
    const deadline = Date.now() + 30_000;
    let health: Record<string, string> = {};
    while (Date.now() < deadline) {
      const targets = (await (await fetch(`${vars['DROVER_PROMETHEUS_ADDR']}/api/v1/targets`)).json()) as { data: { activeTargets: { labels: { job: string }; health: string }[] } };
      health = Object.fromEntries(targets.data.activeTargets.map((t) => [t.labels.job, t.health]));
      if (Object.values(health).length === 4 && Object.values(health).every((h) => h === 'up')) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // No app runs yet, so the apps job has no active target.
    expect(health).toEqual({ nomad: 'up', consul: 'up', vault: 'up', fabio: 'up' });
    // But it discovers Consul's catalog through consul-sd: Consul's own service, dropped by the
    // production relabeling as it carries no drover meta.
    const dropped = await waitForValue(async () => {
      const targets = (await (await fetch(`${vars['DROVER_PROMETHEUS_ADDR']}/api/v1/targets?state=dropped`)).json()) as { data: { droppedTargets: { discoveredLabels: Record<string, string> }[] } };
      return targets.data.droppedTargets.find((t) => t.discoveredLabels['job'] === 'apps' && t.discoveredLabels['__meta_consul_service'] === 'consul');
    }, 30_000);
    expect(dropped?.discoveredLabels['__meta_consul_dc']).toBe('dc1');
  });

  it('drover cluster check dev --dev passes with up\'s exports alone (deployer token, Fabio UI)', async () => {
    const deadline = Date.now() + 30_000;
    let result = await runCli(['cluster', 'check', 'dev', '--dev', '--output', 'json'], { cwd: project.dir, env: { ...cleanEnv(), ...vars } });
    // Right after up, Prometheus may not have scraped every agent yet.
    while (result.code === 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      result = await runCli(['cluster', 'check', 'dev', '--dev', '--output', 'json'], { cwd: project.dir, env: { ...cleanEnv(), ...vars } });
    }
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const points = (JSON.parse(result.stdout) as { results: { id: string; status: string }[] }).results;
    expect(points.find((p) => p.id === 'vault/jwt-nomad')?.status).toBe('pass');
    expect(points.find((p) => p.id === 'fabio/up')?.status).toBe('pass');
    // up's Consul has no ACLs, so no auth method for Nomad's workloads to log in to.
    expect(points.find((p) => p.id === 'consul/jwt-nomad')?.status).toBe('skipped');
  });

  it('drover down stops exactly those processes and removes the data, keeping the logs', async () => {
    const result = await runCli(['down'], { cwd: project.dir, env: cleanEnv() });
    expect(result.code, result.stderr).toBe(0);
    for (const p of state?.processes ?? []) {
      expect(result.stderr).toMatch(new RegExp(`${p.name} +pid ${p.pid} +(stopped|killed)`));
      expect(processStatus(p)).toBe('gone');
    }
    expect(readdirSync(upDir()).sort()).toEqual(['logs']);
  });
});

/** Polls `probe` every 500 ms until it answers a value, or `timeoutMs` passes (then undefined). */
async function waitForValue<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * The TCP listeners of a process, from its socket descriptors and /proc/net/tcp{,6}: "addr:port (loopback)"
 * or "addr:port (NOT loopback)".
 */
function listenersOf(pid: number): string[] {
  const inodes = new Set(readdirSync(`/proc/${pid}/fd`).map((fd) => {
    try {
      return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
    } catch {
      return undefined;
    }
  }).filter(Boolean));
  const found: string[] = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address st ... inode: state 0A is LISTEN.
      if (fields[3] !== '0A' || !inodes.has(fields[9])) continue;
      const [hex, port] = (fields[1] ?? '').split(':');
      const loopback = hex === '0100007F' || hex === '00000000000000000000000001000000';
      found.push(`${hex}:${Number.parseInt(port ?? '0', 16)} (${loopback ? 'loopback' : 'NOT loopback'})`);
    }
  }
  return found;
}
