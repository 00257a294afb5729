import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogRecord } from '../../src/logs/records.ts';
import { spawnDrover } from '../support/drover-process.ts';
import { loadSchema, schemaErrors } from '../support/json-schema.ts';
import { setImageTag } from '../support/live-deploy.ts';
import { main } from '../../src/cli/main.ts';
import { prefixColour } from '../../src/logs/prefix.ts';
import { runCli } from '../support/run-cli.ts';
import { runAgainst, sandboxFor, type SeededSandbox } from '../support/sandbox.ts';
import { tempProject } from '../support/temp-project.ts';

const MANAGEMENT = 'logs-management-token-0001';
const NO_READ_LOGS = 'logs-read-job-only-token-02';

/**
 * `drover logs` against the sandbox over 127.0.0.1: its Nomad serves /v1/client/fs/logs with the
 * simulated tasks' scripted output. ACLs are on (a management token and one without read-logs).
 */
describe('drover logs against the sandbox', { timeout: 90_000 }, () => {
  let sandbox: SeededSandbox;
  let project: { dir: string; cleanup: () => Promise<void> };
  const env = (token = MANAGEMENT): Record<string, string> => ({ NO_COLOR: '1', CI: 'true', NOMAD_ADDR: sandbox.addresses.nomad, NOMAD_TOKEN: token, CONSUL_HTTP_ADDR: sandbox.addresses.consul, VAULT_ADDR: sandbox.addresses.vault, VAULT_TOKEN: sandbox.vaultToken });
  const logs = (...argv: string[]) => runCli(['logs', 'qa', ...argv], { cwd: project.dir, env: env() });
  const deploy = (sha: string) => runAgainst(sandbox, ['deploy', 'qa', '--git-sha', sha, '--job', 'api'], { cwd: project.dir, env: { NOMAD_TOKEN: MANAGEMENT } });

  beforeAll(async () => {
    sandbox = await sandboxFor('qa', { clockSpeed: 40, nomad: { aclToken: MANAGEMENT, tokenWithoutReadLogs: NO_READ_LOGS } });
    project = await tempProject({ environments: 'standalone' });
    const first = await deploy('1111111111111111111111111111111111111111');
    expect(first.code, first.stderr).toBe(0);
  });
  afterAll(async () => {
    await sandbox?.close();
    await project?.cleanup();
  });

  it('prints every running allocation\'s lines with its prefix, one allocation after the other', async () => {
    const result = await logs('api');
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toContain('api[0] v0 | starting api (job api version 0, allocation api.api[0])');
    expect(lines).toContain('api[1] v0 | starting api (job api version 0, allocation api.api[1])');
    expect(lines.every((l) => /^api\[[01]\] v0 \| /.test(l))).toBe(true);
    // Sorted by index: every api[0] line before the first api[1] line.
    const lastOfFirst = lines.map((l) => l.startsWith('api[0]')).lastIndexOf(true);
    expect(lines.findIndex((l) => l.startsWith('api[1]'))).toBeGreaterThan(lastOfFirst);
    // --tail bounds each log; --alloc picks one allocation.
    const tail = await logs('api', '--tail', '1', '--group', 'api');
    expect(tail.stdout.trim().split('\n')).toHaveLength(2);
    const [first] = lines;
    const allocs = (await fetch(`${sandbox.addresses.nomad}/v1/job/api/allocations?namespace=shop`, { headers: { 'X-Nomad-Token': MANAGEMENT } }).then((r) => r.json())) as { ID: string; Name: string }[];
    const one = allocs.find((a) => a.Name === 'api.api[1]')!;
    const only = await logs('api', '--alloc', one.ID.slice(0, 8));
    expect(only.stdout.trim().split('\n').every((l) => l.startsWith('api[1] v0 | '))).toBe(true);
    expect(first).toMatch(/^api\[0\]/);
  });

  it('colours each allocation\'s prefix on a terminal, and never with NO_COLOR', async () => {
    const onTerminal = async (extra: Record<string, string | undefined>) => {
      let out = '';
      const code = await main(['logs', 'qa', 'api', '--tail', '1'], { cwd: project.dir, env: { ...env(), NO_COLOR: undefined, CI: undefined, ...extra }, stdout: { write: (t: string) => (out += t), isTTY: true }, stderr: { write: () => true, isTTY: true } });
      expect(code).toBe(0);
      return out;
    };
    const coloured = await onTerminal({});
    const allocs = (await fetch(`${sandbox.addresses.nomad}/v1/job/api/allocations?namespace=shop`, { headers: { 'X-Nomad-Token': MANAGEMENT } }).then((r) => r.json())) as { ID: string; Name: string; DesiredStatus: string }[];
    for (const a of allocs.filter((x) => x.DesiredStatus === 'run')) {
      const index = /\[(\d+)\]$/.exec(a.Name)![1];
      expect(coloured).toContain(`\u001b[${prefixColour(a.ID)}mapi[${index}] v`);
    }
    expect(await onTerminal({ NO_COLOR: '1' })).not.toContain('\u001b[');
  });

  it('refuses a token without read-logs with exit 77 and the policy line to add', async () => {
    const result = await runCli(['logs', 'qa', 'api'], { cwd: project.dir, env: env(NO_READ_LOGS) });
    expect(result.code).toBe(77);
    expect(result.stderr).toContain('Not allowed to read logs in namespace shop');
    expect(result.stderr).toContain('namespace "shop" { capabilities = ["read-logs"] }');
    expect(result.stderr).not.toContain(NO_READ_LOGS);
  });

  it('answers an unknown job and bad flags with usage errors (64)', async () => {
    const unknown = await logs('nope');
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('Job "nope" is not in qa (namespace shop)');
    expect((await logs('api', '--tail', '-3')).code).toBe(64);
    expect((await logs('api', '--since', 'yesterday')).code).toBe(64);
    const typo = await logs('api', '--folow');
    expect(typo.code).toBe(64);
    expect(typo.stderr).toContain('--follow');
  });

  it('-f follows every allocation, picks up the ones a deploy starts meanwhile, reports the ones that stop, and ends with exit 0 on Ctrl-C', async () => {
    const follow = spawnDrover(['logs', 'qa', 'api', '-f', '--tail', '2'], { cwd: project.dir, env: env() });
    const records = () => follow.events as unknown as LogRecord[];
    const waitFor = (match: (r: LogRecord) => boolean, ms = 40_000) => follow.waitFor((e) => match(e as unknown as LogRecord), ms);
    await waitFor((r) => r.type === 'log-following' && r.index === 1);
    // The running tasks keep writing ("GET /health 200" every 30 s of sandbox time, ~0.75 s here).
    await waitFor((r) => r.type === 'log-line' && r.line === 'GET /health 200' && r.version === 0);
    // A new image: a new job version, placed as a canary, then promoted (qa promotes by itself).
    await setImageTag(project.dir, 'api', '1.8.3');
    const second = await deploy('2222222222222222222222222222222222222222');
    expect(second.code, second.stderr).toBe(0);
    await waitFor((r) => r.type === 'log-following' && r.reason === 'new' && r.version === 1);
    await waitFor((r) => r.type === 'log-line' && r.version === 1 && r.line.startsWith('starting api (job api version 1'));
    await waitFor((r) => r.type === 'log-stopped' && r.version === 0);
    const exit = await follow.kill('SIGINT');
    expect(exit.code, exit.stderr).toBe(0);
    // Every record is a drover.logs/v1 record (docs/schemas/logs.schema.json).
    const schema = loadSchema('logs');
    expect(records().flatMap((r) => schemaErrors(r, schema))).toEqual([]);
    const lines = records().filter((r) => r.type === 'log-line');
    // Lines of several allocations, interleaved as they came, each record naming its allocation.
    expect(new Set(lines.map((r) => r.alloc)).size).toBeGreaterThanOrEqual(3);
    expect(lines.some((r) => r.canary && r.version === 1)).toBe(true);
    const stopped = records().find((r) => r.type === 'log-stopped' && r.version === 0);
    expect(stopped).toMatchObject({ clientStatus: 'complete' });
  });

  it('-f resumes a dropped log stream from the byte it had reached: nothing is read twice', async () => {
    // --tail 0: every line comes from the follow streams, none from the tail read before them.
    const follow = spawnDrover(['logs', 'qa', 'api', '-f', '--group', 'api', '--tail', '0'], { cwd: project.dir, env: env() });
    const records = () => follow.events as unknown as LogRecord[];
    const lineCount = () => records().filter((r) => r.type === 'log-line').length;
    await follow.waitFor(() => lineCount() >= 2, 30_000);
    sandbox.admin.disconnectLogStreams();
    await follow.waitFor((e) => (e as unknown as LogRecord).type === 'log-note' && /log stream lost .*reconnecting at byte [1-9]\d*/.test((e as unknown as { message: string }).message), 30_000);
    const before = lineCount();
    // Lines keep coming after the reconnect…
    await follow.waitFor(() => lineCount() >= before + 2, 30_000);
    const exit = await follow.kill('SIGINT');
    expect(exit.code, exit.stderr).toBe(0);
    // …from where the stream had got to: reading again from byte 0 would repeat the start line.
    expect(records().filter((r) => r.type === 'log-line' && r.line.startsWith('starting api'))).toEqual([]);
  });

  it('a failed deploy prints the last stderr lines of the failing task under its root cause; --logs-on-failure 0 prints none', async () => {
    const nextVersion = async () => ((await fetch(`${sandbox.addresses.nomad}/v1/job/api?namespace=shop`, { headers: { 'X-Nomad-Token': MANAGEMENT } }).then((r) => r.json())) as { Version: number }).Version + 1;
    await setImageTag(project.dir, 'api', '1.8.4');
    sandbox.admin.setScenario({ jobId: 'api', namespace: 'shop', version: await nextVersion() }, { kind: 'crash-loop', crashAfterMs: 2000, exitCode: 3, stderr: ['loading config', `fatal: token ${MANAGEMENT} rejected by the database`] });
    const failed = await runAgainst(sandbox, ['deploy', 'qa', '--git-sha', '3333333333333333333333333333333333333333', '--job', 'api', '--logs-on-failure', '3'], { cwd: project.dir, env: { NOMAD_TOKEN: MANAGEMENT } });
    expect(failed.code, failed.stderr).toBe(1);
    const logsEvent = failed.events.find((e) => e.type === 'allocation-logs');
    // Three lines at most, the newest last; the token drover holds is never printed.
    expect(logsEvent).toMatchObject({ job: 'api', task: 'api', stream: 'stderr' });
    // The task crashed at least twice before its restarts ran out: it said the same thing each time.
    expect(logsEvent?.type === 'allocation-logs' && logsEvent.lines).toEqual(['fatal: token [redacted] rejected by the database', 'loading config', 'fatal: token [redacted] rejected by the database']);
    expect(JSON.stringify(failed.events)).not.toContain(MANAGEMENT);
    const failure = failed.events.find((e) => e.type === 'allocation-failed');
    expect(failure?.type === 'allocation-failed' && failure.failure.allocId).toBe(logsEvent?.type === 'allocation-logs' && logsEvent.allocId);
    // After the root cause, before the outcome.
    expect(failed.events.indexOf(logsEvent!)).toBeLessThan(failed.events.findIndex((e) => e.type === 'job-finished'));
    await setImageTag(project.dir, 'api', '1.8.5');
    sandbox.admin.setScenario({ jobId: 'api', namespace: 'shop', version: await nextVersion() }, { kind: 'crash-loop', crashAfterMs: 2000 });
    const quiet = await runAgainst(sandbox, ['deploy', 'qa', '--git-sha', '4444444444444444444444444444444444444444', '--job', 'api', '--logs-on-failure', '0'], { cwd: project.dir, env: { NOMAD_TOKEN: MANAGEMENT } });
    expect(quiet.code, quiet.stderr).toBe(1);
    expect(quiet.events.some((e) => e.type === 'allocation-logs')).toBe(false);
  });
});
