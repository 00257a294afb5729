/**
 * Plan, then someone else changes a job, then drover's turn to register it comes: the deploy must
 * refuse (exit 4), say which job changed and what it is now, and leave the other person's version
 * running. drover registers with the plan's job modify index (Nomad's check-index), so the change
 * is caught by Nomad, not by a re-read that could race.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NomadJobRead } from '../../src/wire/nomad-api.ts';
import { deployLive, registrationsOf, setImageTag } from '../support/live-deploy.ts';
import { nomadGet, sandboxFor, type SeededSandbox } from '../support/sandbox.ts';
import { tempProject } from '../support/temp-project.ts';

const SHA = '6666666666666666666666666666666666666666';
const HOTFIX = 'ghcr.io/example-shop/www:3.2.1-hotfix';

describe('drover deploy when a job changes between plan and register', { timeout: 60_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let sandbox: SeededSandbox;
  let vaultToken: string;
  beforeEach(async () => {
    project = await tempProject({ environments: 'standalone' });
    sandbox = await sandboxFor('qa');
    vaultToken = sandbox.deployerToken;
  });
  afterEach(async () => {
    await sandbox.close();
    await project.cleanup();
  });

  /** What someone with `nomad job run` does: the running www with another image, registered as is. */
  const registerHotfix = async () => {
    const job = await nomadGet<NomadJobRead>(sandbox, '/v1/job/www');
    const task = job.TaskGroups[0]!.Tasks.find((t) => t.Name === 'nginx')!;
    (task.Config as Record<string, unknown>).image = HOTFIX;
    const response = await fetch(`${sandbox.addresses.nomad}/v1/jobs?namespace=shop`, { method: 'POST', body: JSON.stringify({ Job: job }) });
    if (!response.ok) throw new Error(`registering the hotfix: ${response.status} ${await response.text()}`);
  };

  it('exits 4 naming the job and its new version, and does not overwrite it', async () => {
    const initial = await deployLive(sandbox, ['qa', '--git-sha', SHA, '--job', 'www'], { cwd: project.dir, vaultToken });
    expect(initial.code, initial.stderr).toBe(0);
    await setImageTag(project.dir, 'www', '3.3.0');

    // The whole environment: www waits for api, which waits for postgres. All are planned first;
    // the hotfix lands right after www's plan, long before www's turn to register.
    let hotfix: Promise<void> | undefined;
    const result = await deployLive(sandbox, ['qa', '--git-sha', SHA], {
      cwd: project.dir,
      vaultToken,
      onEvent: (event) => {
        if (event.type === 'job-planned' && event.job === 'www') hotfix = registerHotfix();
      },
    });
    await hotfix;
    expect(hotfix, 'www was planned').toBeDefined();
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toMatch(/✖ Job "www" changed in qa since drover planned it/);
    expect(result.stderr).toMatch(/planned\s+job modify index \d+/);
    expect(result.stderr).toMatch(/now\s+version 1, job modify index \d+/);
    expect(result.stderr).toContain('drover plan qa --job www');

    // api (what www waits for) was deployed; www was never registered by drover.
    const registered = result.events.filter((e) => e.type === 'job-registered').map((e) => e.type === 'job-registered' && e.job);
    expect(registered).toContain('api');
    expect(registered).not.toContain('www');
    const www = await nomadGet<NomadJobRead>(sandbox, '/v1/job/www');
    expect(www.Version).toBe(1);
    expect(www.TaskGroups[0]!.Tasks.find((t) => t.Name === 'nginx')!.Config.image).toBe(HOTFIX);
    expect((await registrationsOf(sandbox, 'www')).versions).toBe(2);
  });
});
