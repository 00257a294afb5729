/**
 * `deploy --stop-at-canary` and `drover promote` end to end, against two sandboxes (qa promotes
 * canaries automatically, prod progressively), with the example apps answering through each
 * sandbox's simulated Fabio so QA's smoke checks pass. The tests build on each other, in order.
 * No Prometheus is needed: a run that stops at canaries runs no progressive canary, and prod's
 * first deploy of a job has no canaries at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canaryRuleKey } from '../../src/canary/fabio-weights.ts';
import { createConsulClient, type ConsulClient } from '../../src/clients/consul/index.ts';
import type { Release } from '../../src/release/record.ts';
import type { DeployEvent } from '../../src/report/events.ts';
import { EXAMPLE_APPS } from '../../src/sandbox/example-apps.ts';
import type { NomadDeployment, NomadJobRead } from '../../src/wire/nomad-api.ts';
import { setImageTag } from '../support/live-deploy.ts';
import { runCli } from '../support/run-cli.ts';
import { nomadGet, runAgainst, sandboxFor, type SeededSandbox } from '../support/sandbox.ts';
import { tempProject } from '../support/temp-project.ts';

const sha = (n: number) => String(n).repeat(40).slice(0, 40);
/** `<env>`, `<id>`, `<job>`…: a placeholder where a runnable command should be. */
const PLACEHOLDER = /<[a-z][a-z-]*>/;

describe('deploy --stop-at-canary, then drover promote', { timeout: 90_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let qa: SeededSandbox;
  let prod: SeededSandbox;
  let prodConsul: ConsulClient;

  beforeAll(async () => {
    project = await tempProject();
    // Simulated instances listen on ports the sandbox allocates from its seed; seeds of their own
    // keep these sandboxes apart from other test files running at the same time.
    const seed = 60_000 + (process.pid % 50_000) * 2;
    [qa, prod] = await Promise.all([sandboxFor('qa', { seed }), sandboxFor('prod', { seed: seed + 1 })]);
    for (const sandbox of [qa, prod]) for (const [service, behaviour] of Object.entries(EXAMPLE_APPS)) sandbox.fabio.setApp(service, behaviour);
    prodConsul = createConsulClient({ address: prod.addresses.consul });
  }, 60_000);

  afterAll(async () => {
    prodConsul?.close();
    await Promise.all([qa?.close(), prod?.close()]);
    await project?.cleanup();
  });

  const qaEnv = () => ({ VAULT_TOKEN: qa.deployerToken });
  const prodEnv = () => ({ VAULT_TOKEN: prod.deployerToken, DROVER_RELEASES_CONSUL_HTTP_ADDR: qa.addresses.consul });
  const deployQa = (n: number, ...argv: string[]) => runAgainst(qa, ['deploy', 'qa', '--git-sha', sha(n), '--soak', '1s', ...argv], { cwd: project.dir, env: qaEnv() });
  const deployProd = (...argv: string[]) => runAgainst(prod, ['deploy', 'prod', '--yes', ...argv], { cwd: project.dir, env: prodEnv() });
  const promote = (sandbox: SeededSandbox, env: 'qa' | 'prod', ...argv: string[]) =>
    runAgainst(sandbox, ['promote', env, ...argv], { cwd: project.dir, env: env === 'qa' ? qaEnv() : prodEnv() });
  const releases = async (): Promise<Release[]> => {
    const listed = await runCli(['releases', 'qa', '--json', '--limit', '100'], { cwd: project.dir, env: { CONSUL_HTTP_ADDR: qa.addresses.consul } });
    if (listed.code !== 0) throw new Error(`drover releases: ${listed.code} ${listed.stderr}`);
    return (JSON.parse(listed.stdout) as { releases: Release[] }).releases;
  };
  const latestRelease = async () => (await releases())[0]!;
  const apiJob = (sandbox: SeededSandbox) => nomadGet<NomadJobRead>(sandbox, '/v1/job/api');
  const apiDeployment = (sandbox: SeededSandbox) => nomadGet<NomadDeployment>(sandbox, '/v1/job/api/deployment');
  const finished = (events: readonly DeployEvent[], job: string) => events.find((e) => e.type === 'job-finished' && e.job === job);

  it("qa (canary 'auto'): --job api --stop-at-canary renders auto_promote false, exits 3 with the canary unpromoted, and suggests a runnable promote", async () => {
    expect((await deployQa(1, '--job', 'api')).code).toBe(0);
    await setImageTag(project.dir, 'api', '1.9.0');
    const result = await deployQa(1, '--job', 'api', '--stop-at-canary');
    expect(result.code, result.stderr).toBe(3);
    expect(finished(result.events, 'api')).toMatchObject({ outcome: { status: 'awaiting-promotion', version: 1, groups: ['api'] } });
    expect(result.events.some((e) => e.type === 'deployment-promoted')).toBe(false);
    // The registered job itself waits for a promotion: Nomad cannot promote it behind drover's back.
    expect((await apiJob(qa)).TaskGroups.map((g) => g.Update?.AutoPromote)).toEqual([false]);
    await new Promise((resolve) => setTimeout(resolve, 500)); // 10 s of sandbox time
    const waiting = await apiDeployment(qa);
    expect(waiting).toMatchObject({ JobVersion: 1, Status: 'running' });
    expect(waiting.TaskGroups['api']).toMatchObject({ DesiredCanaries: 1, Promoted: false, AutoPromote: false });
    expect(waiting.TaskGroups['api']!.HealthyAllocs).toBeGreaterThanOrEqual(1);
    expect(result.stderr).toMatch(/^api\s+awaiting-promotion\s+1\s+promote with: drover promote qa --job api$/m);
    expect(result.stdout + result.stderr).not.toMatch(PLACEHOLDER);

    const promoted = await promote(qa, 'qa', '--job', 'api');
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(finished(promoted.events, 'api')).toMatchObject({ outcome: { status: 'succeeded', version: 1 } });
    // A --job deploy records no release, so there is none to complete.
    expect(promoted.events.some((e) => e.type === 'release-promotion-recorded')).toBe(false);
    expect(await releases()).toEqual([]);
  });

  it('qa: a whole-release --stop-at-canary records the release as awaiting promotion; prod refuses it; promote completes and verifies it', async () => {
    expect((await deployQa(2)).code).toBe(0);
    expect(await latestRelease()).toMatchObject({ status: 'verified', gitSha: sha(2) });
    await setImageTag(project.dir, 'api', '1.9.1');
    const stopped = await deployQa(3, '--stop-at-canary');
    expect(stopped.code, `${stopped.stderr}${stopped.stdout}`).toBe(3);
    expect(stopped.stdout + stopped.stderr).not.toMatch(PLACEHOLDER);
    const release = await latestRelease();
    expect(release).toMatchObject({ status: 'awaiting-promotion', gitSha: sha(3), jobs: { api: { source: { status: 'awaiting-promotion', version: 3 } } } });
    expect(release.verification).toBeUndefined();
    expect(stopped.events.some((e) => e.type === 'smoke-finished' || e.type === 'soak-started')).toBe(false);
    // www depends on api: a dependency waiting at healthy canaries does not skip it.
    expect(stopped.events.filter((e) => e.type === 'job-finished' && e.outcome.status === 'skipped')).toEqual([]);
    const table = await runCli(['releases', 'qa'], { cwd: project.dir, env: { CONSUL_HTTP_ADDR: qa.addresses.consul, NO_COLOR: '1' } });
    expect(table.stdout).toMatch(new RegExp(`^${release.id}\\s+\\S+\\s+awaiting-promotion\\s`, 'm'));

    const refused = await deployProd('--release', release.id);
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toContain(`waits for promotion in qa`);
    expect(refused.stderr).toContain('run `drover promote qa`');

    const promoted = await promote(qa, 'qa', '--soak', '1s');
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(finished(promoted.events, 'api')).toMatchObject({ outcome: { status: 'succeeded', version: 3 } });
    expect(promoted.events.find((e) => e.type === 'release-promotion-recorded')).toMatchObject({ release: release.id, env: 'qa', jobs: ['api'], status: 'deployed' });
    expect(promoted.events.map((e) => e.type)).toEqual(expect.arrayContaining(['lock-acquired', 'smoke-finished', 'soak-started', 'release-verified']));
    const verified = (await releases()).find((r) => r.id === release.id)!;
    expect(verified).toMatchObject({ status: 'verified', jobs: { api: { source: { status: 'succeeded', version: 3 } } }, verification: { ok: true }, promoted: { by: expect.any(String) } });
    const again = await promote(qa, 'qa');
    expect(again.stderr).toContain('Nothing awaits promotion in qa.');
  });

  it("prod: --stop-at-canary records prod's outcome as waiting (not failed) without running the progressive canary; promote completes it", async () => {
    const first = await deployProd();
    expect(first.code, first.stderr).toBe(0);
    await setImageTag(project.dir, 'api', '1.9.2');
    expect((await deployQa(4)).code).toBe(0);
    const release = await latestRelease();
    expect(release).toMatchObject({ status: 'verified', gitSha: sha(4) });

    const stopped = await deployProd('--stop-at-canary');
    expect(stopped.code, `${stopped.stderr}${stopped.stdout}`).toBe(3);
    expect(stopped.stdout + stopped.stderr).not.toMatch(PLACEHOLDER);
    expect(stopped.stderr).toContain('drover promote prod --job api');
    expect(stopped.events.some((e) => e.type.startsWith('canary-'))).toBe(false);
    expect(await prodConsul.kv.get(canaryRuleKey({ env: 'prod', job: 'api' }))).toMatchObject({ value: null });
    expect((await apiJob(prod)).TaskGroups.map((g) => g.Update?.AutoPromote)).toEqual([false]);
    expect(await apiDeployment(prod)).toMatchObject({ Status: 'running', TaskGroups: { api: { Promoted: false } } });
    expect(stopped.events.find((e) => e.type === 'release-outcome-recorded')).toMatchObject({ release: release.id, env: 'prod', status: 'awaiting-promotion' });
    const waiting = (await releases()).find((r) => r.id === release.id)!;
    expect(waiting.promotions['prod']).toMatchObject({ status: 'awaiting-promotion', jobs: { api: { status: 'awaiting-promotion', version: 1 } } });
    const shown = await runCli(['release', 'show', release.id, 'qa'], { cwd: project.dir, env: { CONSUL_HTTP_ADDR: qa.addresses.consul, NO_COLOR: '1' } });
    expect(shown.stdout).toContain('waiting for promotion: run `drover promote prod`');

    const promoted = await promote(prod, 'prod');
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(finished(promoted.events, 'api')).toMatchObject({ outcome: { status: 'succeeded', version: 1 } });
    expect(promoted.events.find((e) => e.type === 'release-promotion-recorded')).toMatchObject({ release: release.id, env: 'prod', jobs: ['api'], status: 'succeeded' });
    const done = (await releases()).find((r) => r.id === release.id)!;
    expect(done.promotions['prod']).toMatchObject({ status: 'succeeded', jobs: { api: { status: 'succeeded', version: 1 } }, promoted: { by: expect.any(String) } });
    expect(done.status).toBe('verified');
  });
});
