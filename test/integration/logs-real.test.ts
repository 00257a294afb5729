/**
 * `drover logs` against a real `nomad agent -dev` (raw_exec): a job whose tasks print known lines
 * on stdout and stderr, read back through Nomad's client filesystem API; `-f` across an update
 * that replaces every allocation. Skipped, loudly, without a nomad binary on PATH: the logs API
 * was then only exercised against the sandbox's copy of it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogRecord } from '../../src/logs/records.ts';
import { spawnDrover } from '../support/drover-process.ts';
import type { DeployEvent } from '../../src/report/events.ts';
import { consulAvailability, freePorts } from '../support/consul-agent.ts';
import { getJson, nomadAgentConfig, sendJson, startRealConsul, startRealNomad, type ConsulAgent, type RealNomad } from '../support/real-cluster.ts';
import { findOnPath, missingBinaries, spawnReal, tail, waitFor, type RealProcess } from '../support/real-process.ts';
import { realProject, runDrover, tinyServiceJob, type RealProject } from '../support/real-project.ts';
import { runCli } from '../support/run-cli.ts';

const missing = missingBinaries('test/integration/logs-real.test.ts', ['nomad']);
const JOB = 'printer';

/** A raw_exec service: two allocations, each printing known lines, then a numbered line a second. */
function printerJob(version: string): Record<string, unknown> {
  const script = [
    `echo "hello from $NOMAD_ALLOC_INDEX version ${version}"`,
    `echo "oops from $NOMAD_ALLOC_INDEX" >&2`,
    'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 1; done',
  ].join('; ');
  return {
    ID: JOB, Name: JOB, Type: 'service', Datacenters: ['dc1'],
    Update: { MaxParallel: 2, HealthCheck: 'task_states', MinHealthyTime: 1e9, HealthyDeadline: 30e9, ProgressDeadline: 60e9 },
    TaskGroups: [{
      Name: JOB, Count: 2,
      RestartPolicy: { Attempts: 0, Interval: 60e9, Delay: 1e9, Mode: 'fail' },
      Tasks: [{ Name: JOB, Driver: 'raw_exec', Config: { command: '/bin/sh', args: ['-c', script] }, Env: { VERSION: version }, KillTimeout: 1e9, Resources: { CPU: 50, MemoryMB: 32 } }],
    }],
  };
}

describe.skipIf(missing.length > 0)('drover logs against a real nomad agent -dev', { timeout: 120_000 }, () => {
  let agent: RealNomad | undefined;
  let project: RealProject;
  const env = () => ({ NO_COLOR: '1', CI: 'true', NOMAD_ADDR: agent!.address, CONSUL_HTTP_ADDR: 'http://127.0.0.1:1', VAULT_ADDR: 'http://127.0.0.1:1' });
  const register = (version: string) => sendJson('POST', `${agent!.address}/v1/jobs`, { Job: printerJob(version) });
  const running = (version: string) =>
    waitFor(`two running ${JOB} allocations of ${version}`, async () => {
      const allocs = (await getJson(`${agent!.address}/v1/job/${JOB}/allocations`)) as { ClientStatus: string; DesiredStatus: string; JobVersion: number; TaskStates?: Record<string, { StartedAt: string | null }> }[];
      const live = allocs.filter((a) => a.DesiredStatus === 'run' && a.ClientStatus === 'running' && a.TaskStates?.[JOB]?.StartedAt);
      return live.length === 2 ? live : undefined;
    }, { timeoutMs: 60_000, process: agent!.process });

  beforeAll(async () => {
    agent = await startRealNomad({});
    project = await realProject();
    expect((await register('one')).status).toBe(200);
    await running('one');
  }, 90_000);

  afterAll(async () => {
    await agent?.stop();
    await project?.cleanup();
  });

  it('prints each allocation\'s stdout with its prefix, the last --tail lines, and stderr with --stderr', async () => {
    // Let every task write its first lines.
    await new Promise((r) => setTimeout(r, 1500));
    const out = await runCli(['logs', 'real', JOB], { cwd: project.dir, env: env() });
    expect(out.code, `${out.stderr}\n${tail(agent!.process)}`).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines).toContain('printer[0] v0 | hello from 0 version one');
    expect(lines).toContain('printer[1] v0 | hello from 1 version one');
    expect(lines.filter((l) => l.startsWith('printer[0] v0 | tick ')).length).toBeGreaterThan(0);
    const short = await runCli(['logs', 'real', JOB, '--tail', '2', '--group', JOB], { cwd: project.dir, env: env() });
    const shortLines = short.stdout.trim().split('\n');
    expect(shortLines.filter((l) => l.startsWith('printer[0] v0 | '))).toHaveLength(2);
    expect(shortLines.filter((l) => l.startsWith('printer[1] v0 | '))).toHaveLength(2);
    const err = await runCli(['logs', 'real', JOB, '--stderr'], { cwd: project.dir, env: env() });
    expect(err.stdout.trim().split('\n').sort()).toEqual(['printer[0] v0 | oops from 0', 'printer[1] v0 | oops from 1']);
    const both = await runCli(['logs', 'real', JOB, '--both'], { cwd: project.dir, env: env() });
    expect(both.stdout).toMatch(/^printer\[\d\] v0 stderr \| oops from \d$/m);
  });

  it('answers raw frames shaped as the sandbox serves them (back to back, keys Data, File, Offset), and 404 for an unknown allocation', async () => {
    const [alloc] = (await getJson(`${agent!.address}/v1/job/${JOB}/allocations`)) as { ID: string }[];
    const raw = await fetch(`${agent!.address}/v1/client/fs/logs/${alloc!.ID}?task=${JOB}&type=stderr&origin=start&offset=0`);
    expect(raw.headers.get('content-type')).toBe('application/json');
    const text = await raw.text();
    expect(text).toMatch(new RegExp(`^\\{"Data":"[A-Za-z0-9+/=]+","File":"alloc/logs/${JOB}\\.stderr\\.0","Offset":\\d+\\}$`));
    const frame = JSON.parse(text) as { Offset: number; Data: string };
    expect(Buffer.from(frame.Data, 'base64').toString()).toMatch(/^oops from \d\n$/);
    expect(frame.Offset).toBe(Buffer.from(frame.Data, 'base64').length);
    const unknown = '00000000-0000-0000-0000-000000000000';
    const missingAlloc = await fetch(`${agent!.address}/v1/client/fs/logs/${unknown}?task=${JOB}&type=stdout`);
    expect([missingAlloc.status, await missingAlloc.text()]).toEqual([404, `Unknown allocation "${unknown}"`]);
  });

  it('-f streams new lines, follows the allocations an update starts from their first line, reports the old ones stopped, and ends with 0 on Ctrl-C', async () => {
    const follow = spawnDrover(['logs', 'real', JOB, '-f', '--tail', '1'], { cwd: project.dir, env: env() });
    const waitRecord = (match: (r: LogRecord) => boolean) => follow.waitFor((e) => match(e as unknown as LogRecord), 60_000);
    const records = () => follow.events as unknown as LogRecord[];
    await waitRecord((r) => r.type === 'log-following' && r.index === 1);
    // Lines the tasks write after the follow began (one a second).
    const first = await waitRecord((r) => r.type === 'log-line' && r.version === 0 && /^tick \d+$/.test(r.line));
    await waitRecord((r) => r.type === 'log-line' && r.alloc === (first as unknown as LogRecord).alloc && /^tick \d+$/.test(r.line) && r.line !== (first as unknown as { line: string }).line);
    expect((await register('two')).status).toBe(200);
    const hello = (r: LogRecord) => r.type === 'log-line' && r.version === 1 && r.line === `hello from ${r.index} version two`;
    await follow.waitFor(() => new Set(records().filter(hello).map((r) => r.alloc)).size === 2, 60_000);
    await waitRecord((r) => r.type === 'log-stopped' && r.version === 0);
    const exit = await follow.kill('SIGINT');
    expect(exit.code, exit.stderr).toBe(0);
    const fresh = records().filter((r) => r.type === 'log-following' && r.reason === 'new');
    expect(new Set(fresh.map((r) => r.alloc)).size).toBe(2);
    const lines = records().filter((r) => r.type === 'log-line');
    expect(new Set(lines.map((r) => r.alloc)).size).toBe(4);
    console.info(`logs-real: ${lines.length} lines from 4 allocations; stopped: ${records().filter((r) => r.type === 'log-stopped').map((r) => `${r.label} ${r.type === 'log-stopped' ? `${r.clientStatus} (${r.reason})` : ''}`).join('; ')}`);
  });
});

/** `nomad agent -dev` with ACLs on, bootstrapped: its management token. */
async function startAclNomad(): Promise<{ address: string; management: string; process: RealProcess }> {
  const [http, rpc, serf] = (await freePorts(3)) as [number, number, number];
  const dir = mkdtempSync(join(tmpdir(), 'drover-real-nomad-acl-'));
  writeFileSync(join(dir, 'agent.hcl'), `${nomadAgentConfig({ http, rpc, serf }, {})}\nacl {\n  enabled = true\n}\n`);
  const process = spawnReal('nomad', findOnPath('nomad')!, ['agent', '-dev', `-config=${join(dir, 'agent.hcl')}`, `-data-dir=${join(dir, 'data')}`], { dir });
  const address = `http://127.0.0.1:${http}`;
  const management = await waitFor('ACL bootstrap', async () => {
    const answer = await sendJson('POST', `${address}/v1/acl/bootstrap`).catch(() => undefined);
    return answer?.status === 200 ? (JSON.parse(answer.text) as { SecretID: string }).SecretID : undefined;
  }, { timeoutMs: 60_000, process });
  await waitFor('Nomad node ready', async () => {
    const nodes = (await getJson(`${address}/v1/nodes`, { 'X-Nomad-Token': management })) as { Status: string }[];
    return nodes.some((n) => n.Status === 'ready') ? true : undefined;
  }, { timeoutMs: 60_000, process });
  return { address, management, process };
}

describe.skipIf(missing.length > 0)('drover logs against a real nomad agent -dev with ACLs', { timeout: 120_000 }, () => {
  let agent: Awaited<ReturnType<typeof startAclNomad>> | undefined;
  let project: RealProject;
  let readJobOnly = '';
  const run = (token: string) => runCli(['logs', 'real', JOB], { cwd: project.dir, env: { NO_COLOR: '1', CI: 'true', NOMAD_ADDR: agent!.address, NOMAD_TOKEN: token, CONSUL_HTTP_ADDR: 'http://127.0.0.1:1', VAULT_ADDR: 'http://127.0.0.1:1' } });

  beforeAll(async () => {
    agent = await startAclNomad();
    project = await realProject();
    const as = { 'X-Nomad-Token': agent.management };
    expect((await sendJson('POST', `${agent.address}/v1/acl/policy/read-job-only`, { Name: 'read-job-only', Rules: 'namespace "default" { capabilities = ["read-job"] }' }, as)).status).toBe(200);
    const token = await sendJson('POST', `${agent.address}/v1/acl/token`, { Name: 'read-job-only', Type: 'client', Policies: ['read-job-only'] }, as);
    readJobOnly = (JSON.parse(token.text) as { SecretID: string }).SecretID;
    expect((await sendJson('POST', `${agent.address}/v1/jobs`, { Job: printerJob('acl') }, as)).status).toBe(200);
    await waitFor('a running printer', async () => {
      const allocs = (await getJson(`${agent!.address}/v1/job/${JOB}/allocations`, as)) as { ClientStatus: string; TaskStates?: Record<string, { StartedAt: string | null }> }[];
      return allocs.filter((a) => a.ClientStatus === 'running' && a.TaskStates?.[JOB]?.StartedAt).length === 2 ? true : undefined;
    }, { timeoutMs: 60_000, process: agent.process });
  }, 90_000);

  afterAll(async () => {
    await agent?.process.stop();
    await project?.cleanup();
  });

  it('exits 77 for a token with read-job but not read-logs, naming the policy line to add; the management token reads', async () => {
    const denied = await run(readJobOnly);
    expect(denied.code, denied.stderr).toBe(77);
    expect(denied.stderr).toContain('Not allowed to read logs in namespace default');
    expect(denied.stderr).toContain('namespace "default" { capabilities = ["read-logs"] }');
    expect(denied.stderr).not.toContain(readJobOnly);
    const allowed = await run(agent!.management);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toMatch(/^printer\[0\] v0 \| hello from 0 version acl$/m);
  });
});

const missingForDeploy = missingBinaries('test/integration/logs-real.test.ts (failed deploy)', ['nomad'], consulAvailability().available ? [] : ['consul']);

describe.skipIf(missingForDeploy.length > 0)('a failed deploy on a real nomad agent -dev shows the task\'s stderr', { timeout: 120_000 }, () => {
  let consul: ConsulAgent | undefined;
  let agent: RealNomad | undefined;
  let project: RealProject;
  const SHA = ['--git-sha', '5'.repeat(40)];

  beforeAll(async () => {
    consul = await startRealConsul();
    agent = await startRealNomad({ consul: consul.address });
    project = await realProject();
  }, 120_000);

  afterAll(async () => {
    await agent?.stop();
    await consul?.stop();
    await project?.cleanup();
  }, 30_000);

  it('prints the last --logs-on-failure lines the crashing canary wrote on stderr, after its root cause', async () => {
    const targets = { nomad: agent!.address, consul: consul!.address };
    await project.writeJob(tinyServiceJob({ id: 'crasher', version: 'v1', canaries: 1 }));
    const first = await runDrover(project, targets, ['deploy', 'real', ...SHA]);
    expect(first.code, first.stderr).toBe(0);
    const good = tinyServiceJob({ id: 'crasher', version: 'v2', canaries: 1 });
    const crash = "console.log('starting'); console.error('loading /etc/crasher.toml'); console.error('fatal: /etc/crasher.toml: no such file'); process.exit(3)";
    const [group] = good.groups;
    const [task] = group!.tasks;
    await project.writeJob({ ...good, groups: [{ ...group!, tasks: [{ ...task!, args: ['-e', crash] }] }] });
    const failed = await runDrover(project, targets, ['deploy', 'real', ...SHA, '--logs-on-failure', '5']);
    expect(failed.code, failed.stderr).toBe(1);
    const logs = failed.events.find((e): e is Extract<DeployEvent, { type: 'allocation-logs' }> => e.type === 'allocation-logs');
    expect(logs).toMatchObject({ job: 'crasher', task: 'crasher', stream: 'stderr', lines: ['loading /etc/crasher.toml', 'fatal: /etc/crasher.toml: no such file'] });
    const failure = failed.events.find((e): e is Extract<DeployEvent, { type: 'allocation-failed' }> => e.type === 'allocation-failed');
    expect(failure?.failure.allocId).toBe(logs?.allocId);
    console.info(`logs-real: failed deploy — ${failure?.failure.eventType}: ${failure?.failure.message}; stderr: ${JSON.stringify(logs?.lines)}`);
  });
});

