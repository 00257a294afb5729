import { describe, expect, it } from 'vitest';
import { setImageTag } from '../support/live-deploy.ts';
import { useSandboxProject } from '../support/sandbox-project.ts';

const SHA = '7777777777777777777777777777777777777777';

describe('drover history against the sandbox', { timeout: 30_000 }, () => {
  const setup = useSandboxProject('qa', { clockSpeed: 80 });
  const { run } = setup;
  const rows = (stdout: string) => stdout.split('\n').filter((line) => /^[ *]\d/.test(line));

  it('lists versions newest first with stability, exact submit time, drover meta and deployment status', async () => {
    expect((await run('deploy', 'qa', '--git-sha', SHA, '--job', 'api')).code).toBe(0);
    await setImageTag(setup.dir, 'api', '9.9.9-missing');
    setup.sandbox.admin.setScenario({ jobId: 'api', namespace: 'shop', version: 1 }, { kind: 'image-pull-fails' });
    expect((await run('deploy', 'qa', '--git-sha', SHA, '--job', 'api', '--release', 'r-bad')).code).toBe(1);

    const result = await run('history', 'qa', '--job', 'api');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^VERSION\s+STABLE\s+SUBMITTED\s+RELEASE\s+GIT SHA\s+SPEC HASH\s+DEPLOYMENT$/m);
    const [v2, v1, v0] = rows(result.stderr);
    // Version 2 is Nomad's auto-revert: a copy of version 0, the current one.
    expect(v2).toMatch(/^\*2\s+yes\s+\S+Z\s+777777777777\s+7777777\s+[0-9a-f]{16}\s+successful$/);
    expect(v1).toMatch(/^ 1\s+no\s+\S+Z\s+r-bad\s+7777777\s+[0-9a-f]{16}\s+failed: Deployment marked as failed - rolling back to job version 0$/);
    expect(v0).toMatch(/^ 0\s+yes\s+\S+Z\s+777777777777\s+7777777\s+[0-9a-f]{16}\s+successful$/);

    // The submit time is Nomad's unix-nanosecond integer to the digit (read from the raw JSON: JSON.parse would round it).
    const raw = await (await fetch(`${setup.sandbox.addresses.nomad}/v1/job/api/versions?namespace=shop`)).text();
    const submitted = v0!.trim().split(/\s+/)[2]!;
    const [seconds, fraction] = [BigInt(Date.parse(submitted.replace(/\.\d+Z$/, 'Z')) / 1000), submitted.match(/\.(\d{9})Z$/)![1]!];
    expect(raw).toMatch(new RegExp(`"SubmitTime":\\s*${seconds}${fraction}[,}]`));
  });

  it('refuses a job that does not exist (exit 4) and requires --job (exit 64)', async () => {
    const missing = await run('history', 'qa', '--job', 'api');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('✖ Job "api" does not exist in qa');
    expect((await run('history', 'qa')).code).toBe(64);
  });
});
