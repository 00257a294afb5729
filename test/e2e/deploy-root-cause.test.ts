import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../src/report/events.ts';
import { formatEvent } from '../../src/report/formatters.ts';
import { createStyle } from '../../src/report/style.ts';
import type { RunningSandbox } from '../../src/sandbox/server.ts';
import { runAgainst, sandboxFor } from '../support/sandbox.ts';
import { tempProject } from '../support/temp-project.ts';

const SHA = '4444444444444444444444444444444444444444';

/**
 * A raw_exec service with one Consul check, as in the real-Nomad trial behind issue 10. Its
 * healthy_deadline (6 min) outlasts Consul's deferred write-back of a failing check's output (5 min
 * in the sandbox), so the output shows while Nomad still waits; at 40× the whole wait takes ~15 s.
 */
const PROBE_JOB = `import { defineJob } from '../src/index.ts';

/** A probe for failure reports. */
export default defineJob(() => ({
  id: 'probe',
  kind: 'service',
  description: 'Probe service for failure reports.',
  owner: 'team-platform',
  update: { strategy: 'rolling', maxParallel: 1, minHealthyTime: '10s', healthyDeadline: '6m', progressDeadline: '10m', autoRevert: true },
  groups: [
    {
      name: 'probe',
      ports: { http: {} },
      services: [{ name: 'probe', port: 'http', tags: ['http'], checks: [{ type: 'http', name: 'probe-ready', path: '/ready', interval: '5s', timeout: '2s' }] }],
      tasks: [{ name: 'probe', driver: 'raw_exec', command: '/nonexistent/bin/probe', resources: { cpu: 100, memoryMb: 64 } }],
    },
  ],
}));
`;

describe('drover deploy explains failures by their root cause', { timeout: 90_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    project = await tempProject({ environments: 'standalone' });
    await writeFile(join(project.dir, 'jobs/probe.ts'), PROBE_JOB);
  });
  afterAll(async () => project.cleanup());
  beforeEach(async () => {
    sandbox = await sandboxFor('qa', { clockSpeed: 40 });
  });
  afterEach(async () => sandbox.close());

  const deploy = () => runAgainst(sandbox, ['deploy', 'qa', '--git-sha', SHA, '--job', 'probe'], { cwd: project.dir });
  const lines = (events: readonly DeployEvent[]) => events.map((e) => formatEvent(e, createStyle(false))).filter((l): l is string => l !== undefined);

  it('heads a missing binary with the Driver Failure and its cause, then Not Restarting and Alloc Unhealthy', async () => {
    sandbox.admin.setScenario({ jobId: 'probe', namespace: 'shop' }, { kind: 'missing-binary' });
    const result = await deploy();
    expect(result.code, result.stderr).toBe(1);
    const cause = 'failed to launch command with executor: rpc error: code = Unknown desc = binary "/nonexistent/bin/probe" could not be found';
    const failed = result.events.find((e) => e.type === 'allocation-failed');
    expect(failed).toMatchObject({ job: 'probe', failure: { kind: 'driver', task: 'probe', eventType: 'Driver Failure', message: cause, details: { driver_error: cause } } });
    // The plain reporter's line: the cause first, whatever followed it after.
    const line = lines(result.events).find((l) => l.includes('allocation probe.probe['))!;
    expect(line).toMatch(/^\[probe\] allocation probe\.probe\[0\] \([0-9a-f]{8}\) group probe task probe: Driver Failure: failed to launch command with executor: .*could not be found/);
    expect(line).not.toMatch(/^[^:]*: [^:]*: Not Restarting/);
    // drover failed the deployment with the cause as its reason, and the outcome leads with it too.
    expect(result.events.find((e) => e.type === 'deployment-failing')).toMatchObject({ reason: `Driver Failure: ${cause}` });
    const finished = result.events.find((e) => e.type === 'job-finished');
    expect(finished?.type === 'job-finished' && finished.outcome.status === 'failed' && finished.outcome.reason).toMatch(/^Driver Failure: failed to launch command with executor: rpc error: code = Unknown desc = binary "\/nonexistent\/bin\/probe" could not be found; /);
  });

  it('reports the failing check by name, its output and the deadline that will end the wait, before the deployment fails', async () => {
    sandbox.admin.setScenario({ jobId: 'probe', namespace: 'shop' }, { kind: 'health-check-fails' });
    const result = await deploy();
    expect(result.code, result.stderr).toBe(1);
    const waits = result.events.filter((e) => e.type === 'health-check-failing');
    const finishedAt = result.events.findIndex((e) => e.type === 'job-finished');
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(result.events.indexOf(waits.at(-1)!)).toBeLessThan(finishedAt);
    for (const e of waits) {
      expect(e).toMatchObject({ job: 'probe', wait: { group: 'probe', checks: [{ service: 'probe', check: 'probe-ready', status: 'critical' }], deadline: { ends: 'progress_deadline', autoRevert: true } } });
    }
    // First the check with no output (Consul defers writing it back), then, after
    // check_update_interval, with Consul's text for the 503 — and Nomad's own verdict on the way.
    expect(waits[0]).toMatchObject({ wait: { checks: [{ output: '' }], markedUnhealthy: false } });
    const withOutput = waits.find((e) => e.type === 'health-check-failing' && e.wait.checks[0]!.output !== '');
    expect(withOutput).toMatchObject({ wait: { checks: [{ output: expect.stringMatching(/^HTTP GET http:\/\/[\d.]+:\d+\/ready: 503 Service Unavailable Output: /) }] } });
    expect(waits.some((e) => e.type === 'health-check-failing' && e.wait.markedUnhealthy)).toBe(true);
    // Each line says which deadline ends the wait and when; one line per change, not per read.
    const printed = lines(waits);
    expect(new Set(printed.map((l) => l.replace(/: HTTP GET.*?(; )/, '$1'))).size).toBeLessThanOrEqual(printed.length);
    expect(printed[0]).toMatch(
      /^\[probe\] allocation probe\.probe\[0\] \([0-9a-f]{8}\) is not healthy: check "probe-ready" of service probe is critical \(no output in Consul's catalog yet.*\); healthy_deadline \(6m\) at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ marks the allocation unhealthy; the deployment then waits for progress_deadline \(10m\) at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, which fails it and rolls back \(auto_revert\)/,
    );
    expect(printed).toContainEqual(expect.stringMatching(/Nomad marked the allocation unhealthy at its healthy_deadline \(6m\); the deployment then waits for progress_deadline \(10m\)/));
    // Nomad failed it at the progress deadline; the outcome names the check first.
    const finished = result.events[finishedAt]!;
    expect(finished.type === 'job-finished' && finished.outcome.status === 'failed' && finished.outcome.reason).toMatch(
      /^probe\.probe\[0\]: check "probe-ready" of service probe is critical: HTTP GET .* → .*deployment failed: Failed due to progress deadline/,
    );
  });
});
