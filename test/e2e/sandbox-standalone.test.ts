/**
 * The README's sandbox flow, as a user runs it: `drover sandbox --env qa` in the project, its
 * exports into the environment, then `drover plan qa` and `drover deploy qa` as separate processes.
 * The sandbox must come up ready for qa as shipped: qa's datacenter, namespace and node pool,
 * Vault holding what the jobs read, and the example apps answering the smoke checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ndjson, runDrover, startSandboxProcess, type SandboxProcess } from '../support/sandbox-process.ts';
import { tempProject } from '../support/temp-project.ts';

const SHA = '5'.repeat(40);

describe('drover sandbox --env qa, then plan and deploy qa as subprocesses', { timeout: 60_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let sandbox: SandboxProcess;
  beforeAll(async () => {
    project = await tempProject();
    sandbox = await startSandboxProcess(['--env', 'qa', '--speed', '20', '--nomad-port', '0', '--consul-port', '0', '--vault-port', '0'], { cwd: project.dir });
  });
  afterAll(async () => {
    expect(await sandbox?.stop()).toBe(0);
    await project?.cleanup();
  });

  it('prints only export lines on stdout, with the deployer token and no Prometheus for qa', () => {
    const vars = sandbox.exports;
    expect(Object.keys(vars)).toEqual(['NOMAD_ADDR', 'CONSUL_HTTP_ADDR', 'VAULT_ADDR', 'VAULT_TOKEN', 'DROVER_FABIO_ADDR', 'DROVER_FABIO_UI_ADDR', 'DROVER_PROMETHEUS_ADDR']);
    expect(vars.NOMAD_ADDR).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // qa canaries are promoted by Nomad: no Prometheus needed, and an earlier shell's address is unset.
    expect(vars.DROVER_PROMETHEUS_ADDR).toBe('');
    expect(vars.VAULT_TOKEN).not.toBe('root');
    expect(sandbox.stderr()).toContain('Set up for environment qa: namespace shop, datacenters qa1, node pool default.');
    expect(sandbox.stderr()).toMatch(/vault {3}secret\/shop\/api\/database#password {3}generated placeholder/);
  });

  it('answers as qa needs: its datacenter and namespace, a deployer token that may not read secret values', async () => {
    const { NOMAD_ADDR, VAULT_ADDR, VAULT_TOKEN } = sandbox.exports;
    const { nodes } = (await (await fetch(`${NOMAD_ADDR}/_sandbox`)).json()) as { nodes: { Datacenter: string; NodePool: string }[] };
    expect(new Set(nodes.map((n) => `${n.Datacenter}/${n.NodePool}`))).toEqual(new Set(['qa1/default']));
    const namespaces = (await (await fetch(`${NOMAD_ADDR}/v1/namespaces`)).json()) as { Name: string }[];
    expect(namespaces.map((n) => n.Name)).toContain('shop');
    const read = await fetch(`${VAULT_ADDR}/v1/secret/data/shop/api/database`, { headers: { 'X-Vault-Token': VAULT_TOKEN! } });
    expect(read.status).toBe(403);
    const metadata = await fetch(`${VAULT_ADDR}/v1/secret/metadata/shop/api/database`, { headers: { 'X-Vault-Token': VAULT_TOKEN! } });
    expect(metadata.status).toBe(200);
  });

  it('plans qa with every job placeable, then deploys qa and verifies its release through the smoke checks', async () => {
    const plan = await runDrover(['plan', 'qa', '--git-sha', SHA], { cwd: project.dir, vars: sandbox.exports });
    // Nomad's convention: 1 = changes; 2 would be a placement failure, 255 an error.
    expect(plan.code, plan.stderr).toBe(1);
    expect(plan.stdout).toContain('Changes in qa: 8 to create');
    expect(plan.stdout + plan.stderr).not.toMatch(/placement|could not be placed/i);

    const deploy = await runDrover(['deploy', 'qa', '--git-sha', SHA, '--soak', '2s', '--output', 'ndjson'], { cwd: project.dir, vars: sandbox.exports });
    expect(deploy.code, deploy.stderr.slice(-3000)).toBe(0);
    const events = ndjson(deploy.stdout);
    const smoke = (events.filter((e) => e.type === 'smoke-finished') as unknown as { result: { job: string; ok: boolean } }[]).map((e) => e.result);
    expect(smoke.length).toBeGreaterThanOrEqual(2);
    expect(smoke.filter((r) => !r.ok)).toEqual([]);
    expect(new Set(smoke.map((r) => r.job))).toEqual(new Set(['api', 'www']));
    expect(events.find((e) => e.type === 'release-verified')).toMatchObject({ env: 'qa' });
    expect(events.find((e) => e.type === 'deploy-finished')).toMatchObject({ env: 'qa', exitCode: 0 });
  });
});
