/**
 * examples/local-pipeline end to end, as its README runs it, on a copy of the example: `drover up
 * --env qa --sandbox`, `deploy qa` (records and verifies a release), `up --env prod --sandbox`
 * (reads qa's releases), `deploy prod --yes` (exactly that release), then a second release
 * through both, whose prod deploy runs the progressive canary (10 % then 50 %) judged by the real
 * Prometheus the prod sandbox starts, and `down`. The CLI runs in-process; the sandboxes are real
 * child processes. Skipped loudly without the prometheus binary (prod's canaries need it).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStatus, readUpStates } from '../../src/cli/up/state.ts';
import { binaryAvailability, warnSkipped } from '../support/prometheus-server.ts';
import { runCli, type CliResult } from '../support/run-cli.ts';
import { cleanEnv, parseExports } from '../support/sandbox-process.ts';
import { tempExampleProject } from '../support/temp-example-project.ts';

const availability = binaryAvailability('prometheus');
warnSkipped('test/e2e/local-pipeline-sandbox.test.ts', availability);

const sha = (n: number) => String(n).repeat(40).slice(0, 40);

/** What the test reads of `drover releases <env> --output json`. */
interface ReleaseSummary {
  readonly id: string;
  readonly gitSha: string;
  readonly status: string;
  readonly jobs: Record<string, unknown>;
}

describe.skipIf(!availability.available)('examples/local-pipeline: qa then prod on drover up (sandbox)', { timeout: 240_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  const exported: Record<string, Record<string, string>> = {};
  let qaRelease = '';

  beforeAll(async () => {
    project = await tempExampleProject('local-pipeline');
  });

  afterAll(async () => {
    // Should the test fail half-way, the sandboxes must not outlive it.
    for (const left of readUpStates(project.dir)) for (const p of left.processes) if (processStatus(p) === 'running') process.kill(p.pid, 'SIGKILL');
    await project?.cleanup();
  });

  const drover = (env: 'qa' | 'prod' | undefined, argv: readonly string[]): Promise<CliResult> =>
    runCli(argv, { cwd: project.dir, env: { ...cleanEnv(), ...(env ? exported[env] : {}) } });
  const up = async (env: 'qa' | 'prod') => {
    const result = await drover(undefined, ['up', '--env', env, '--sandbox']);
    expect(result.code, result.stderr).toBe(0);
    exported[env] = parseExports(result.stdout);
    return exported[env];
  };
  /** The environment's releases, newest first (`drover releases <env> --output json`). */
  const releases = async (env: 'qa' | 'prod'): Promise<ReleaseSummary[]> => {
    const result = await drover(env, ['releases', env, '--output', 'json']);
    expect(result.code, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as { releases: ReleaseSummary[] }).releases;
  };

  it('up qa, deploy qa: records and verifies a release', async () => {
    await up('qa');
    const deploy = await drover('qa', ['deploy', 'qa', '--git-sha', sha(1), '--soak', '2s']);
    expect(deploy.code, deploy.stderr).toBe(0);
    const [release] = await releases('qa');
    expect(release).toMatchObject({ gitSha: sha(1), status: 'verified', project: 'local-pipeline', verification: { ok: true } });
    expect(Object.keys(release?.jobs ?? {}).sort()).toEqual(['api', 'www']);
    expect(deploy.stderr).toContain(`Release ${release?.id} verified in qa`);
    qaRelease = release?.id ?? '';
  });

  it('up prod (reading qa\'s releases), deploy prod --yes: deploys exactly the release qa recorded', async () => {
    const vars = await up('prod');
    expect(vars['DROVER_RELEASES_CONSUL_HTTP_ADDR']).toBe(exported['qa']?.['CONSUL_HTTP_ADDR']);
    expect(vars['DROVER_PROMETHEUS_ADDR'], 'the prod sandbox starts a real Prometheus').toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const deploy = await drover('prod', ['deploy', 'prod', '--yes']);
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.stderr).toContain(`Deploying release ${qaRelease} to prod: api → www`);
    expect(deploy.stdout).toMatch(/^api +succeeded +0/m);
    expect(deploy.stdout).toMatch(/^www +succeeded +0/m);
    const [release] = await releases('prod');
    expect(release).toMatchObject({ id: qaRelease, gitSha: sha(1), promotions: { prod: expect.objectContaining({ status: 'succeeded' }) } });
  });

  it('a release that changes api: prod runs its canary at 10 % then 50 %, judged by Prometheus, then promotes it', async () => {
    // What a developer's commit would do: change the job, so that its allocations are replaced.
    const file = join(project.dir, 'jobs/api.ts');
    await writeFile(file, (await readFile(file, 'utf8')).replace("DATABASE_NAME: 'shop' }", "DATABASE_NAME: 'shop', EXAMPLE_LATENCY_MS: '1' }"));
    const qa = await drover('qa', ['deploy', 'qa', '--git-sha', sha(2), '--soak', '2s']);
    expect(qa.code, qa.stderr).toBe(0);
    const [second] = await releases('qa');
    expect(second).toMatchObject({ gitSha: sha(2), status: 'verified' });
    expect(second?.id).not.toBe(qaRelease);
    const started = Date.now();
    const deploy = await drover('prod', ['deploy', 'prod', '--yes', '--output', 'ndjson']);
    const elapsed = Date.now() - started;
    expect(deploy.code, deploy.stderr).toBe(0);
    const events = deploy.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.find((e) => e['type'] === 'release-accepted')).toMatchObject({ release: second?.id, env: 'prod' });
    expect(events.find((e) => e['type'] === 'canary-started')).toMatchObject({ job: 'api', steps: [0.1, 0.5] });
    expect(events.filter((e) => e['type'] === 'canary-step-passed').map((e) => [e['job'], e['weight']])).toEqual([['api', 0.1], ['api', 0.5]]);
    expect(events.filter((e) => e['type'] === 'canary-promoted').map((e) => e['job'])).toEqual(['api']);
    expect(events.find((e) => e['type'] === 'deploy-finished')).toMatchObject({ exitCode: 0, results: [{ job: 'api', outcome: { status: 'succeeded' } }, { job: 'www', outcome: { status: 'unchanged' } }] });
    // Two steps of two measurements 10 s apart, plus the deployment itself.
    expect(elapsed).toBeLessThan(120_000);
    const [release] = await releases('prod');
    expect(release).toMatchObject({ id: second?.id, gitSha: sha(2), promotions: { prod: expect.objectContaining({ status: 'succeeded' }) } });
  });

  it('down stops both, the newest (prod) first', async () => {
    const down = await drover(undefined, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(readUpStates(project.dir)).toEqual([]);
    const [prodAt, qaAt] = [down.stderr.indexOf('sandbox of prod is down'), down.stderr.indexOf('sandbox of qa is down')];
    expect(prodAt).toBeGreaterThan(-1);
    expect(qaAt).toBeGreaterThan(prodAt);
  });
});
