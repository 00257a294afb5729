import { describe, expect, it } from 'vitest';
import type { NomadJobRead } from '../../src/wire/nomad-api.ts';
import { setImageTag } from '../support/live-deploy.ts';
import { useSandboxProject } from '../support/sandbox-project.ts';
import { nomadGet } from '../support/sandbox.ts';

const SHA = '6666666666666666666666666666666666666666';

/** qa: api rolls out with a canary, auto_revert on. */
describe('drover rollback against the sandbox', { timeout: 30_000 }, () => {
  const setup = useSandboxProject('qa', { clockSpeed: 80 });
  const { run } = setup;
  /** Deploys api as in jobs/ (1.8.2), or with another image tag. */
  const deployApi = async (tag?: string) => {
    if (tag) await setImageTag(setup.dir, 'api', tag);
    const result = await run('deploy', 'qa', '--git-sha', SHA, '--job', 'api');
    expect(result.code, result.stderr).toBe(0);
  };
  const image = async () => {
    const job = await nomadGet<NomadJobRead>(setup.sandbox, '/v1/job/api');
    return { version: job.Version, image: job.TaskGroups[0]!.Tasks.find((t) => t.Name === 'api')!.Config.image };
  };

  it('reverts to the last stable earlier version and watches it to success; again, to the other spec', async () => {
    await deployApi();
    await deployApi('1.9.0');
    const result = await run('rollback', 'qa', '--job', 'api');
    expect(result.code, result.stderr).toBe(0);
    expect(result.events.find((e) => e.type === 'job-registered')).toMatchObject({ job: 'api', version: 2 });
    expect(result.events.find((e) => e.type === 'job-finished')).toMatchObject({ job: 'api', outcome: { status: 'succeeded', version: 2 } });
    expect(result.stderr).toContain('Rolled api in qa back from version 1 to the spec of version 0 (now version 2).');
    expect(await image()).toEqual({ version: 2, image: 'ghcr.io/example-shop/api:1.8.2' });

    // Version 0 is stable but runs the current spec: the next rollback goes to version 1's.
    const again = await run('rollback', 'qa', '--job', 'api');
    expect(again.code, again.stderr).toBe(0);
    expect(await image()).toEqual({ version: 3, image: 'ghcr.io/example-shop/api:1.9.0' });
  });

  it('reverts to the version given with --to', async () => {
    await deployApi();
    await deployApi('1.9.0');
    await deployApi('2.0.0');
    const result = await run('rollback', 'qa', '--job', 'api', '--to', '0');
    expect(result.code, result.stderr).toBe(0);
    expect(await image()).toEqual({ version: 3, image: 'ghcr.io/example-shop/api:1.8.2' });
  });

  it('refuses with exit 4 when no stable earlier version exists, or the version is unknown', async () => {
    await deployApi();
    const none = await run('rollback', 'qa', '--job', 'api');
    expect(none.code).toBe(4);
    expect(none.stderr).toContain('✖ Cannot roll back job "api" in qa: no stable version older than version 0');
    expect(none.stderr).toContain('→ Pick a version with --to VERSION; `drover history qa --job api` lists them.');
    const unknown = await run('rollback', 'qa', '--job', 'api', '--to', '7');
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain("version 7 is not in Nomad's history of the job (it keeps versions 0)");
    expect((await run('rollback', 'qa', '--job', 'api', '--to', 'latest')).code).toBe(64);
    expect((await run('rollback', 'qa')).code).toBe(64);
    expect((await run('rollback', 'qa', '--job', 'www')).code).toBe(4);
    expect(await image()).toEqual({ version: 0, image: 'ghcr.io/example-shop/api:1.8.2' });
  });

  it('exits 1 when the rollback itself fails to deploy, and reports the version Nomad went back to', async () => {
    await deployApi();
    await deployApi('1.9.0');
    setup.sandbox.admin.setScenario({ jobId: 'api', namespace: 'shop', version: 2 }, { kind: 'image-pull-fails', message: 'registry unavailable' });
    const result = await run('rollback', 'qa', '--job', 'api');
    expect(result.code, result.stderr).toBe(1);
    expect(result.events.find((e) => e.type === 'allocation-failed')).toMatchObject({ job: 'api', failure: { eventType: 'Driver Failure' } });
    expect(result.events.find((e) => e.type === 'job-finished')).toMatchObject({ outcome: { status: 'failed', version: 2, runningVersion: 3 } });
    expect(await image()).toEqual({ version: 3, image: 'ghcr.io/example-shop/api:1.9.0' });
  });

  it('prints the failing task\'s last stderr lines when the rollback fails (20 by default); --logs-on-failure 0 prints none', async () => {
    await deployApi();
    await deployApi('1.9.0');
    setup.sandbox.admin.setScenario({ jobId: 'api', namespace: 'shop', version: 2 }, { kind: 'crash-loop', crashAfterMs: 2000, exitCode: 3, stderr: ['fatal: schema of version 0 is gone'] });
    const result = await run('rollback', 'qa', '--job', 'api');
    expect(result.code, result.stderr).toBe(1);
    const logs = result.events.find((e) => e.type === 'allocation-logs');
    expect(logs).toMatchObject({ job: 'api', task: 'api', stream: 'stderr' });
    expect(logs?.type === 'allocation-logs' && [...new Set(logs.lines)]).toEqual(['fatal: schema of version 0 is gone']);
    expect(result.events.indexOf(logs!)).toBeLessThan(result.events.findIndex((e) => e.type === 'job-finished'));

    setup.sandbox.admin.setScenario({ jobId: 'api', namespace: 'shop', version: 4 }, { kind: 'crash-loop', crashAfterMs: 2000 });
    const quiet = await run('rollback', 'qa', '--job', 'api', '--to', '0', '--logs-on-failure', '0');
    expect(quiet.code, quiet.stderr).toBe(1);
    expect(quiet.events.some((e) => e.type === 'job-finished')).toBe(true);
    expect(quiet.events.some((e) => e.type === 'allocation-logs')).toBe(false);
    expect((await run('rollback', 'qa', '--job', 'api', '--logs-on-failure', 'all')).code).toBe(64);
  });
});
