/**
 * qa then prod through standalone sandboxes, as the README tells a newcomer: a qa sandbox, `deploy
 * qa`, then a prod sandbox reading qa's releases from the qa sandbox's Consul (`--releases-from`),
 * `deploy prod`. prod's api canary is progressive: a first deploy places no canary and needs no
 * Prometheus; an update that would place one is refused at once without Prometheus (exit 4),
 * before any registration; with the real Prometheus the sandbox starts, prod takes qa's release.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setImageTag } from '../support/live-deploy.ts';
import { binaryAvailability } from '../support/prometheus-server.ts';
import { ndjson, runDrover, startSandboxProcess, type SandboxProcess } from '../support/sandbox-process.ts';
import { tempProject } from '../support/temp-project.ts';

const prometheus = binaryAvailability('prometheus');
if (!prometheus.available) console.warn(`\n!!!!!!!!!! test/e2e/sandbox-prod.test.ts: ${prometheus.reason}; prod WITH Prometheus is NOT checked !!!!!!!!!!\n`);

const FREE_PORTS = ['--nomad-port', '0', '--consul-port', '0', '--vault-port', '0'];

describe('drover sandbox for qa, then prod taking qa\'s release', { timeout: 60_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  const sandboxes: SandboxProcess[] = [];
  let qa: SandboxProcess;
  /** Deploys qa from the project as it is now; the verified release's id. */
  const deployQa = async (sha: string): Promise<unknown> => {
    const deployed = await runDrover(['deploy', 'qa', '--git-sha', sha.repeat(40), '--soak', '1s', '--output', 'ndjson'], { cwd: project.dir, vars: qa.exports });
    if (deployed.code !== 0) throw new Error(`deploy qa exited ${deployed.code}:\n${deployed.stderr.slice(-3000)}`);
    return ndjson(deployed.stdout).find((e) => e.type === 'release-verified')?.release;
  };
  const prodSandbox = async (...flags: string[]): Promise<SandboxProcess> => {
    const prod = await startSandboxProcess(['--env', 'prod', '--speed', '20', '--releases-from', qa.exports.CONSUL_HTTP_ADDR!, ...flags, ...FREE_PORTS], { cwd: project.dir });
    sandboxes.push(prod);
    return prod;
  };
  beforeAll(async () => {
    project = await tempProject();
    qa = await startSandboxProcess(['--env', 'qa', '--speed', '20', ...FREE_PORTS], { cwd: project.dir });
    sandboxes.push(qa);
  });
  afterAll(async () => {
    for (const sandbox of sandboxes) expect(await sandbox.stop()).toBe(0);
    await project?.cleanup();
  });

  it('without Prometheus: a first prod deploy goes through; an update placing a progressive canary is refused at once and registers nothing', async () => {
    await deployQa('6');
    const prod = await prodSandbox('--no-prometheus');
    expect(prod.exports.DROVER_PROMETHEUS_ADDR).toBe('');
    expect(prod.exports.DROVER_RELEASES_CONSUL_HTTP_ADDR).toBe(qa.exports.CONSUL_HTTP_ADDR);
    expect(prod.stderr()).toContain('No Prometheus (--no-prometheus)');
    const first = await runDrover(['deploy', 'prod', '--yes', '--output', 'plain'], { cwd: project.dir, vars: prod.exports });
    expect(first.code, first.stderr.slice(-3000)).toBe(0);

    await setImageTag(project.dir, 'api', '1.9.9');
    await deployQa('7');
    const deploy = await runDrover(['deploy', 'prod', '--yes', '--output', 'plain'], { cwd: project.dir, vars: prod.exports });
    expect(deploy.code, deploy.stderr).toBe(4);
    expect(deploy.ms).toBeLessThan(20_000);
    expect(deploy.stderr).toContain('Refusing to deploy prod: the progressive canaries of api are judged by Prometheus');
    expect(deploy.stderr).toContain('none answers at http://prometheus.prod.example.internal:9090 (from environments/prod.ts)');
    expect(deploy.stderr).toContain('nothing was registered');
    expect(deploy.stderr).toMatch(/install Prometheus[\s\S]*export DROVER_PROMETHEUS_ADDR[\s\S]*non-progressive/);
    const api = (await (await fetch(`${prod.exports.NOMAD_ADDR}/v1/job/api?namespace=shop`)).json()) as { Version: number };
    expect(api.Version).toBe(0);
  });

  it.skipIf(!prometheus.available)('deploys qa\'s verified release to prod when the sandbox runs a real Prometheus', async () => {
    const release = await deployQa('8');
    const prod = await prodSandbox();
    expect(prod.exports.DROVER_PROMETHEUS_ADDR).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${prod.exports.DROVER_PROMETHEUS_ADDR}/-/ready`)).status).toBe(200);

    const plan = await runDrover(['plan', 'prod'], { cwd: project.dir, vars: prod.exports });
    expect(plan.code, plan.stderr).toBe(1);
    const deploy = await runDrover(['deploy', 'prod', '--yes', '--output', 'ndjson'], { cwd: project.dir, vars: prod.exports });
    expect(deploy.code, deploy.stderr.slice(-3000)).toBe(0);
    const events = ndjson(deploy.stdout);
    expect(events.find((e) => e.type === 'release-accepted')).toMatchObject({ env: 'prod', release });
    expect(events.find((e) => e.type === 'release-outcome-recorded')).toMatchObject({ env: 'prod', status: 'succeeded' });
    expect(events.find((e) => e.type === 'deploy-finished')).toMatchObject({ env: 'prod', exitCode: 0 });
  });
});
