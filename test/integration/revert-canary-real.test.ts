/**
 * What a real Nomad does when a promoted canary rollout fails and auto_revert rolls it back
 * (hashicorp/nomad#10882, "deployment reverts are not immediate and go through canary phase"):
 * a service job, count 2, update { canary = 1, auto_revert = true, auto_promote = false };
 * version 0 healthy; version 1's canary healthy, then the allocations placed after its promotion
 * crash (a `sh -c` that exits 1 once a marker file exists, created before promoting). The sandbox
 * pins the same facts in test/sandbox/nomad-real-behaviour.test.ts. The first suite is plain HTTP
 * to `nomad agent -dev` with raw_exec; the second runs `drover promote` through the same story
 * with a real Consul (its checks). Skipped, loudly, without nomad (and consul for the second).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../src/report/events.ts';
import type { NomadDeployment, NomadJobVersionsResponse } from '../../src/wire/nomad-api.ts';
import { consulAvailability, startRealConsul, startRealNomad, type ConsulAgent, type RealNomad } from '../support/real-cluster.ts';
import { missingBinaries, tail, waitFor } from '../support/real-process.ts';
import { realProject, runDrover, TINY_SERVER, tinyServiceJob, type RealProject, type RealTargets } from '../support/real-project.ts';

const SUITE = 'test/integration/revert-canary-real.test.ts';
const missing = missingBinaries(SUITE, ['nomad', 'sh', 'sleep']);
const SECOND = 1_000_000_000;

/** Version 0 sleeps; version 1 (`crashWhen`) exits 1 at start once the marker exists. */
function job(version: string, crashWhen?: string): unknown {
  const script = `${crashWhen ? `if [ -e '${crashWhen}' ]; then echo "marker present" >&2; exit 1; fi; ` : ''}exec sleep 3600`;
  return {
    Job: {
      ID: 'revert-canary',
      Name: 'revert-canary',
      Type: 'service',
      Datacenters: ['*'],
      TaskGroups: [
        {
          Name: 'app',
          Count: 2,
          Update: { Canary: 1, MaxParallel: 1, AutoRevert: true, AutoPromote: false, HealthCheck: 'task_states', MinHealthyTime: 1 * SECOND, HealthyDeadline: 15 * SECOND, ProgressDeadline: 30 * SECOND },
          RestartPolicy: { Attempts: 0, Mode: 'fail', Interval: 60 * SECOND, Delay: 1 * SECOND },
          ReschedulePolicy: { Attempts: 0, Unlimited: false },
          Tasks: [{ Name: 'app', Driver: 'raw_exec', Config: { command: 'sh', args: ['-c', script] }, Env: { VERSION: version }, Resources: { CPU: 20, MemoryMB: 16 } }],
        },
      ],
    },
  };
}

describe.skipIf(missing.length > 0)('a failed promoted canary rollout, auto-reverted by a real Nomad', { timeout: 180_000 }, () => {
  let nomad: RealNomad | undefined;
  let dir = '';
  const get = async <T,>(path: string): Promise<T> => {
    const response = await fetch(`${nomad!.address}${path}`);
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const post = async (path: string, body: unknown): Promise<unknown> => {
    const response = await fetch(`${nomad!.address}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const deployments = () => get<NomadDeployment[]>('/v1/job/revert-canary/deployments');
  const deploymentOf = async (version: number) => (await deployments()).find((d) => d.JobVersion === version);
  const until = <T,>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000) => waitFor(what, probe, { timeoutMs, process: nomad!.process });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'drover-revert-canary-'));
    nomad = await startRealNomad({});
  }, 90_000);

  afterAll(async () => {
    await nomad?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('fails the deployment, registers the stable version again as a new version, and that version goes through a canary waiting for manual promotion; promoting it completes the revert', async () => {
    const marker = join(dir, 'crash');
    await post('/v1/jobs', job('v0'));
    const first = await until('version 0 successful', async () => ((await deploymentOf(0))?.Status === 'successful' ? await deploymentOf(0) : undefined));
    expect(first).toMatchObject({ JobVersion: 0, Status: 'successful' });

    await post('/v1/jobs', job('v1', marker));
    const canary = await until('version 1 canary healthy', async () => {
      const d = await deploymentOf(1);
      return d && d.TaskGroups['app']!.HealthyAllocs >= 1 ? d : undefined;
    });
    expect(canary).toMatchObject({ Status: 'running', StatusDescription: 'Deployment is running but requires manual promotion', TaskGroups: { app: { DesiredCanaries: 1, Promoted: false, AutoPromote: false } } });
    writeFileSync(marker, '');
    await post(`/v1/deployment/promote/${canary.ID}`, { DeploymentID: canary.ID, All: true });

    const failed = await until('version 1 deployment failed', async () => {
      const d = await deploymentOf(1);
      return d?.Status === 'failed' ? d : undefined;
    });
    const revert = await until('a deployment of the revert waiting for promotion', async () => {
      const d = (await deployments()).find((x) => x.JobVersion > 1);
      return d && d.TaskGroups['app']!.HealthyAllocs >= d.TaskGroups['app']!.DesiredCanaries && d.TaskGroups['app']!.DesiredCanaries > 0 ? d : undefined;
    });
    // It stays there: nothing promotes it (checked again after several seconds).
    await new Promise((resolve) => setTimeout(resolve, 8000));
    const later = await get<NomadDeployment>(`/v1/deployment/${revert.ID}`);
    const versions = await get<NomadJobVersionsResponse>('/v1/job/revert-canary/versions');
    const jobNow = await get<{ Version: number; Stable: boolean; Status: string }>('/v1/job/revert-canary');
    const allocs = await get<{ JobVersion: number; ClientStatus: string; DesiredStatus: string; DeploymentStatus?: { Canary?: boolean } | null }[]>('/v1/job/revert-canary/allocations');
    const byVersion = Object.fromEntries(versions.Versions.map((v) => [v.Version, { stable: v.Stable, env: (v.TaskGroups[0]!.Tasks[0] as { Env?: Record<string, string> }).Env }]));
    console.info(`[revert-canary-real] failed: ${JSON.stringify({ Status: failed.Status, StatusDescription: failed.StatusDescription, app: failed.TaskGroups['app'] })}`);
    console.info(`[revert-canary-real] revert: ${JSON.stringify({ JobVersion: later.JobVersion, Status: later.Status, StatusDescription: later.StatusDescription, app: later.TaskGroups['app'] })}`);
    console.info(`[revert-canary-real] versions: ${JSON.stringify(byVersion)}; job: ${JSON.stringify({ Version: jobNow.Version, Stable: jobNow.Stable, Status: jobNow.Status })}`);
    console.info(`[revert-canary-real] allocations: ${JSON.stringify(allocs.map((a) => [a.JobVersion, a.ClientStatus, a.DesiredStatus, a.DeploymentStatus?.Canary ?? false]))}`);

    expect(failed).toMatchObject({ Status: 'failed', StatusDescription: 'Failed due to unhealthy allocations - rolling back to job version 0', TaskGroups: { app: { Promoted: true, DesiredCanaries: 1, DesiredTotal: 2, PlacedAllocs: 2, HealthyAllocs: 1, UnhealthyAllocs: 1 } } });
    // The revert is a new version (2), a copy of version 0, marked stable at once (before its own
    // deployment has shown anything); version 0 stays stable, version 1 never was.
    expect(later.JobVersion).toBe(2);
    expect(byVersion[2]).toEqual({ stable: true, env: { VERSION: 'v0' } });
    expect(byVersion[0]?.stable).toBe(true);
    expect(byVersion[1]?.stable).toBe(false);
    expect(jobNow).toMatchObject({ Version: 2, Stable: true, Status: 'running' });
    // Its deployment places a canary (the running version-1 allocations are a destructive change)
    // and waits for someone to promote it.
    expect(later).toMatchObject({ Status: 'running', StatusDescription: 'Deployment is running but requires manual promotion', TaskGroups: { app: { DesiredCanaries: 1, DesiredTotal: 2, PlacedAllocs: 1, Promoted: false, AutoPromote: false, AutoRevert: true, HealthyAllocs: 1, UnhealthyAllocs: 0 } } });
    expect(later.TaskGroups['app']!.PlacedCanaries).toHaveLength(1);
    // Meanwhile the promotion has stopped both version-0 allocations: what runs is version 1's
    // promoted canary (no longer flagged canary) and the revert's canary, beside the crashed one.
    const summary = allocs.map((a) => `${a.JobVersion} ${a.DesiredStatus}/${a.ClientStatus}${a.DeploymentStatus?.Canary ? ' canary' : ''}`).sort();
    expect(summary).toEqual(['0 stop/complete', '0 stop/complete', '1 run/failed', '1 run/running', '2 run/running canary']);

    // Promoting the revert's deployment (what `nomad deployment promote` does) finishes it.
    await post(`/v1/deployment/promote/${revert.ID}`, { DeploymentID: revert.ID, All: true });
    const done = await until('the revert successful', async () => {
      const d = await get<NomadDeployment>(`/v1/deployment/${revert.ID}`);
      return d.Status === 'successful' ? d : undefined;
    });
    expect(done).toMatchObject({ StatusDescription: 'Deployment completed successfully', TaskGroups: { app: { Promoted: true, HealthyAllocs: 2 } } });
    const after = await get<{ JobVersion: number; ClientStatus: string; DesiredStatus: string }[]>('/v1/job/revert-canary/allocations');
    expect(after.filter((a) => a.DesiredStatus === 'run' && a.ClientStatus === 'running').map((a) => a.JobVersion)).toEqual([2, 2]);
  }, 180_000);
});

const missingForDrover = missingBinaries(`${SUITE} (drover)`, ['nomad', 'sh'], consulAvailability().available ? [] : ['consul']);

describe.skipIf(missingForDrover.length > 0)('drover promote when the promoted rollout fails and a real Nomad reverts through a canary', { timeout: 180_000 }, () => {
  const JOB = 'hello';
  const SHA = ['--git-sha', '7777777777777777777777777777777777777777'];
  let consul: ConsulAgent | undefined;
  let nomad: RealNomad | undefined;
  let project: RealProject | undefined;
  let targets: RealTargets;
  let dir = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'drover-revert-canary-'));
    project = await realProject();
    consul = await startRealConsul();
    nomad = await startRealNomad({ consul: consul.address });
    targets = { nomad: nomad.address, consul: consul.address };
  }, 120_000);

  afterAll(async () => {
    await nomad?.stop();
    await consul?.stop();
    await project?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const drover = async (...argv: string[]) => {
    const result = await runDrover(project!, targets, argv);
    return { ...result, why: `exit ${result.code}\n${result.stderr}\n${tail(nomad!.process, 2000)}` };
  };
  const latest = async () => (await (await fetch(`${nomad!.address}/v1/job/${JOB}/deployment`)).json()) as NomadDeployment;
  const ofType = <T extends DeployEvent['type']>(events: readonly DeployEvent[], type: T) => events.filter((e): e is Extract<DeployEvent, { type: T }> => e.type === type);

  it('exits 1 naming the revert, its deployment waiting for promotion and the command that finishes it; that command does', async () => {
    const marker = join(dir, 'crash');
    await project!.writeJob(tinyServiceJob({ id: JOB, version: 'v1', canaries: 1 }));
    const first = await drover('deploy', 'real', ...SHA);
    expect(first.code, first.why).toBe(0);
    // Version 2 serves like version 1 until the marker exists; then each new allocation exits 1.
    const v2 = tinyServiceJob({ id: JOB, version: 'v2', canaries: 1 });
    const task = v2.groups[0]!.tasks[0]!;
    const crashing = { ...task, command: 'sh', args: ['-c', `if [ -e '${marker}' ]; then echo "marker present" >&2; exit 1; fi; exec '${process.execPath}' -e "$TINY_SERVER"`], env: { ...task.env, TINY_SERVER } };
    await project!.writeJob({ ...v2, groups: [{ ...v2.groups[0]!, tasks: [crashing] }] });
    const canary = await drover('deploy', 'real', ...SHA, '--stop-at-canary');
    expect(canary.code, canary.why).toBe(3);
    writeFileSync(marker, '');

    const started = Date.now();
    const result = await drover('promote', 'real', '--logs-on-failure', '0');
    console.info(`[revert-canary-real] drover promote: exit ${result.code} after ${Date.now() - started} ms\n${result.stderr}`);
    expect(result.code, result.why).toBe(1);
    const revert = await latest();
    expect(revert).toMatchObject({ JobVersion: 2, Status: 'running', StatusDescription: 'Deployment is running but requires manual promotion' });
    expect(ofType(result.events, 'revert-awaiting-promotion')).toEqual([expect.objectContaining({ job: JOB, env: 'real', failedVersion: 1, revertedTo: 0, version: 2, deploymentId: revert.ID, groups: [JOB] })]);
    expect(ofType(result.events, 'job-finished')[0]?.outcome).toMatchObject({ status: 'failed', version: 1, revert: { toVersion: 0, version: 2, deploymentId: revert.ID } });

    const next = await drover('promote', 'real', '--job', JOB);
    expect(next.code, next.why).toBe(0);
    expect(await latest()).toMatchObject({ ID: revert.ID, JobVersion: 2, Status: 'successful' });
  }, 180_000);
});
