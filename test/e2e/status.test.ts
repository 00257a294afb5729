import { describe, expect, it } from 'vitest';
import { setImageTag } from '../support/live-deploy.ts';
import { useSandboxProject } from '../support/sandbox-project.ts';

const SHA = '8888888888888888888888888888888888888888';

describe('drover status against the sandbox', { timeout: 30_000 }, () => {
  const setup = useSandboxProject('qa', { clockSpeed: 80 });
  const { run } = setup;
  const row = (stdout: string, job: string) => stdout.split('\n').find((line) => line.startsWith(`${job} `)) ?? '';

  it('shows owned jobs with version, release, deployment and healthy allocations, and the jobs not deployed yet', async () => {
    expect((await run('deploy', 'qa', '--git-sha', SHA, '--job', 'postgres')).code).toBe(0);
    const result = await run('status', 'qa');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('qa (namespace shop)');
    expect(result.stderr).toMatch(/^JOB\s+VERSION\s+RELEASE\s+STATUS\s+DEPLOYMENT\s+ALLOCATIONS\s+CANARIES\s+LAST FAILURE$/m);
    expect(row(result.stderr, 'postgres')).toMatch(/^postgres\s+0\s+888888888888\s+running\s+successful \(v0\)\s+db 1\/1\s+-\s+-$/);
    for (const job of ['api', 'db-backup', 'fabio', 'log-shipper', 'node-exporter', 'worker', 'www']) expect(row(result.stderr, job)).toMatch(new RegExp(`^${job}\\s+-\\s+-\\s+not deployed\\s+-\\s+-\\s+-\\s+-$`));
  });

  it('names the last failure and marks an ID used by someone else', async () => {
    expect((await run('deploy', 'qa', '--git-sha', SHA, '--job', 'api')).code).toBe(0);
    await setImageTag(setup.dir, 'api', '9.9.9-missing');
    setup.sandbox.admin.setScenario({ jobId: 'api', namespace: 'shop', version: 1 }, { kind: 'image-pull-fails', message: 'manifest for ghcr.io/example-shop/api:9.9.9-missing not found' });
    expect((await run('deploy', 'qa', '--git-sha', SHA, '--job', 'api')).code).toBe(1);
    const foreign = { Job: { ID: 'www', Type: 'service', Datacenters: ['qa1'], TaskGroups: [{ Name: 'web', Count: 1, Tasks: [{ Name: 'web', Driver: 'docker', Config: { image: 'nginx:1' } }] }] } };
    expect((await fetch(`${setup.sandbox.addresses.nomad}/v1/jobs?namespace=shop`, { method: 'POST', body: JSON.stringify(foreign) })).ok).toBe(true);

    const result = await run('status', 'qa');
    expect(result.code, result.stderr).toBe(0);
    const api = row(result.stderr, 'api');
    // Version 2 is Nomad's auto-revert to version 0; the failed version 1 and its allocation's failure are the last failure.
    expect(api).toMatch(/^api\s+2\s+888888888888\s+running\s+successful \(v2\)\s+api 2\/2\s+-\s+deployment v1: Deployment marked as failed - rolling back to job version 0 — /);
    expect(api).toMatch(/ — api\.api\[\d\] task api: Driver Failure: manifest for ghcr\.io\/example-shop\/api:9\.9\.9-missing not found$/);
    expect(row(result.stderr, 'www')).toMatch(/^www\s+-\s+-\s+not deployed\s+/);
    expect(result.stderr).toContain('www: the ID is taken by a job this project does not own here (not deployed by drover (no drover.project meta)); deploy refuses it without --adopt.');
  });
});
