import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNomadClient } from '../../src/clients/nomad/index.ts';
import { findStops, pruneJobs } from '../../src/deploy/prune.ts';
import type { PlanDocument } from '../../src/plan/document.ts';
import type { DeployEvent } from '../../src/report/events.ts';
import type { NomadJobRead } from '../../src/wire/nomad-api.ts';
import { setImageTag } from '../support/live-deploy.ts';
import { nomadGet, runAgainst, sandboxFor, type SeededSandbox } from '../support/sandbox.ts';
import { tempProject } from '../support/temp-project.ts';

const SHA = '4444444444444444444444444444444444444444';
const ALL_JOBS = ['api', 'db-backup', 'fabio', 'log-shipper', 'node-exporter', 'postgres', 'worker', 'www'];

describe('drover plan against the sandbox', { timeout: 30_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let sandbox: SeededSandbox;
  let vaultEnv: Record<string, string>;
  beforeEach(async () => {
    project = await tempProject({ environments: 'standalone' });
    // A faster clock than the other suites: these tests deploy every job before planning.
    sandbox = await sandboxFor('qa', { clockSpeed: 50 });
    vaultEnv = { VAULT_ADDR: sandbox.addresses.vault, VAULT_TOKEN: sandbox.deployerToken };
  });
  afterEach(async () => {
    await sandbox.close();
    await project.cleanup();
  });

  const run = (argv: string[], env: Record<string, string> = {}) => runAgainst(sandbox, argv, { cwd: project.dir, env: { ...vaultEnv, ...env } });
  const plan = (...argv: string[]) => run(['plan', 'qa', '--git-sha', SHA, ...argv]);
  const deploy = async (...argv: string[]) => {
    const result = await run(['deploy', 'qa', '--git-sha', SHA, ...argv]);
    expect(result.code, result.stderr).toBe(0);
  };
  const planFile = async () => JSON.parse(await readFile(join(project.dir, 'build/qa/plan.json'), 'utf8')) as PlanDocument;
  // With --output ndjson (runAgainst's) the plan for people is on stderr, the events alone on stdout.
  const text = (result: { stderr: string }) => result.stderr;

  it('plans every job as a create on an empty cluster, exits 1, and writes a deterministic plan file', async () => {
    const result = await plan();
    expect(result.code, result.stderr).toBe(1);
    for (const id of ALL_JOBS) expect(text(result)).toMatch(new RegExp(`^\\+ ${id}\\s+create — job modify index 0$`, 'm'));
    expect(text(result)).toContain('group api: create; count 2; 2 to place, 0 destructive, 0 in-place, 0 canary');
    expect(text(result)).toContain('Changes in qa: 8 to create, 0 to update, 0 unchanged, 0 to stop.');
    const doc = await planFile();
    expect(doc).toMatchObject({ env: 'qa', namespace: 'shop', release: SHA.slice(0, 12), gitSha: SHA, changes: true, stops: [] });
    expect(doc.jobs.map((j) => [j.id, j.action, j.jobModifyIndex, j.diffType])).toEqual(ALL_JOBS.map((id) => [id, 'create', 0, 'Added']));
    const first = await readFile(join(project.dir, 'build/qa/plan.json'), 'utf8');
    expect((await plan('--out', 'again.json')).code).toBe(1);
    expect(await readFile(join(project.dir, 'again.json'), 'utf8')).toBe(first);
  });

  it('reports no changes after a deploy, even for a new commit, and a canary update once an image changes', async () => {
    await deploy();
    const same = await plan();
    expect(same.code, same.stderr).toBe(0);
    expect(text(same)).toContain('No changes in qa: 0 to create, 0 to update, 8 unchanged, 0 to stop.');
    // Only the release meta differs: deploy would register nothing, so plan says so.
    expect((await run(['plan', 'qa', '--git-sha', '5555555555555555555555555555555555555555'])).code).toBe(0);

    await setImageTag(project.dir, 'api', '1.9.0');
    const changed = await plan();
    expect(changed.code, changed.stderr).toBe(1);
    expect(text(changed)).toMatch(/^~ api\s+update — job modify index \d+$/m);
    expect(text(changed)).toContain('group api: update; 0 to place, 0 destructive, 0 in-place, 1 canary; 2 unchanged');
    expect(text(changed)).toContain('Group api › Task api › Config[image]: "ghcr.io/example-shop/api:1.8.2" → "ghcr.io/example-shop/api:1.9.0"');
    const api = (await planFile()).jobs.find((j) => j.id === 'api')!;
    const running = await nomadGet<NomadJobRead>(sandbox, '/v1/job/api');
    expect(api).toMatchObject({ action: 'update', diffType: 'Edited', changes: true, jobModifyIndex: running.JobModifyIndex });
  });

  it('lists an owned job removed from jobs/ as a stop, and pruneJobs stops it without purging', async () => {
    await deploy('--job', 'worker');
    await unlink(join(project.dir, 'jobs/worker.ts'));
    const result = await plan();
    expect(result.code, result.stderr).toBe(1);
    expect(text(result)).toMatch(/^- worker\s+stop: no longer in jobs\/ \(release 444444444444\); deploy stops it$/m);
    expect((await planFile()).stops).toEqual([expect.objectContaining({ id: 'worker', type: 'service', release: '444444444444' })]);

    const nomad = createNomadClient({ address: sandbox.addresses.nomad, namespace: 'shop' });
    try {
      const events: DeployEvent[] = [];
      const stops = findStops((await nomad.jobs.list({ meta: true })).value, 'drover', 'qa', ALL_JOBS.filter((id) => id !== 'worker'));
      expect(stops.map((s) => s.id)).toEqual(['worker']);
      expect(await pruneJobs(nomad, stops, (e) => events.push(e))).toEqual([expect.objectContaining({ id: 'worker', status: 'stopped' })]);
      expect(events).toEqual([expect.objectContaining({ type: 'job-progress', job: 'worker', message: expect.stringMatching(/^stopped: no longer in jobs\//) })]);
      const job = (await nomad.jobs.read('worker')).value;
      expect(job.Stop).toBe(true); // deregistered, not purged: history and revert stay available
      // Pruning again changes nothing: the listing moved on since `stops` was taken.
      expect(await pruneJobs(nomad, stops, () => undefined)).toEqual([{ id: 'worker', status: 'changed', jobModifyIndex: job.JobModifyIndex }]);
    } finally {
      nomad.close();
    }
    // A stopped job is not listed again (the other jobs were never deployed here: still creates).
    const after = await plan();
    expect(after.code, after.stderr).toBe(1);
    expect((await planFile()).stops).toEqual([]);
    expect(text(after)).not.toMatch(/^- worker/m);
  });

  it('refuses with exit 4 a job whose ID another owner uses, and plans over it with --adopt', async () => {
    const foreign = { Job: { ID: 'www', Name: 'www', Type: 'service', Namespace: 'shop', Datacenters: ['qa1'], TaskGroups: [{ Name: 'web', Count: 1, Tasks: [{ Name: 'web', Driver: 'docker', Config: { image: 'nginx:1' } }] }] } };
    expect((await fetch(`${sandbox.addresses.nomad}/v1/jobs?namespace=shop`, { method: 'POST', body: JSON.stringify(foreign) })).ok).toBe(true);
    const refused = await plan();
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('✖ Refusing to plan jobs this project does not own in qa');
    expect(refused.stderr).toContain('www (owned by not deployed by drover (no drover.project meta))');
    expect(refused.stderr).toContain('--adopt');

    const adopted = await plan('--adopt');
    expect(adopted.code, adopted.stderr).toBe(1);
    expect(text(adopted)).toMatch(/^~ www\s+update \(adopting it from not deployed by drover \(no drover.project meta\)\) — job modify index \d+$/m);
    expect((await planFile()).jobs.find((j) => j.id === 'www')).toMatchObject({ action: 'update', adoptFrom: 'not deployed by drover (no drover.project meta)' });
  });

  it('exits 255 when Nomad cannot be reached, 64 on a usage error', async () => {
    const unreachable = await run(['plan', 'qa', '--git-sha', SHA, '--job', 'api'], { NOMAD_ADDR: 'http://127.0.0.1:9' });
    expect(unreachable.code).toBe(255);
    expect(unreachable.stderr).toContain('✖ Nomad at http://127.0.0.1:9 (from NOMAD_ADDR) refused the connection');
    expect((await plan('--job', 'nope')).code).toBe(64);
  });
});
