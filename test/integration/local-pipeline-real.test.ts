/**
 * The QA → prod flow of drover on real servers, as examples/local-pipeline/README.md runs it: two
 * local clusters side by side (`drover up --env qa`, then `--env prod`: Nomad 2.x, Consul, OpenBao
 * or Vault, Fabio, Prometheus and drover consul-sd each), the example apps run by Nomad with
 * raw_exec from the checkout, api's secrets from OpenBao through its workload identity.
 *
 * 1. deploy qa records a release, smoke-checks it through qa's Fabio and Consul, soaks, verifies it.
 * 2. deploy prod --yes deploys exactly that release (read from qa's Consul).
 * 3. A second release changing api: prod's canary takes 10 % then 50 % of api's route through
 *    prod's Fabio while traffic flows, judged by prod's Prometheus on the apps' own metrics, then
 *    promoted.
 * 4. A third release whose api fails a third of its requests in prod only: QA verifies it, prod's
 *    canary analysis fails at 10 %, drover reverts, and prod keeps serving the second release.
 *
 * Skipped, loudly, without the binaries (CI has none: test/e2e/local-pipeline-sandbox runs the same
 * flow against the sandbox).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUpBinaries } from '../../src/cli/up/binaries.ts';
import { processStatus, readUpStates } from '../../src/cli/up/state.ts';
import { repoRoot, runCli, type CliResult } from '../support/run-cli.ts';
import { cleanEnv, parseExports } from '../support/sandbox-process.ts';
import { tempExampleProject } from '../support/temp-example-project.ts';

const SUITE = 'test/integration/local-pipeline-real.test.ts';
const search = findUpBinaries(process.env['PATH'] ?? '', [repoRoot]);
if (!search.found) console.warn(`\n!!!!!!!!!! SKIPPED: ${SUITE} — not on PATH: ${search.missing.join(', ')}; the QA → prod flow was NOT run on real servers !!!!!!!!!!\n`);

const sha = (n: number) => String(n).repeat(40).slice(0, 40);
type Env = 'qa' | 'prod';
type Event = Record<string, unknown>;

interface ReleaseSummary {
  readonly id: string;
  readonly gitSha: string;
  readonly status: string;
  readonly promotions?: Record<string, { status: string }>;
}

describe.skipIf(!search.found)('examples/local-pipeline: qa then prod on two real local clusters', { timeout: 600_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  const exported: Partial<Record<Env, Record<string, string>>> = {};
  const released: string[] = [];
  const traffic = { stop: false, sent: 0, statuses: new Map<number, number>() };
  let trafficLoop: Promise<void> | undefined;

  const drover = (env: Env | undefined, argv: readonly string[]): Promise<CliResult> =>
    runCli(argv, { cwd: project.dir, env: { ...cleanEnv(), PATH: process.env['PATH'] ?? '', ...(env ? exported[env] : {}) } });
  const up = async (env: Env) => {
    const result = await drover(undefined, ['up', '--env', env, '--random-ports']);
    if (result.code !== 0) throw new Error(`drover up --env ${env} exited ${result.code}:\n${result.stderr}`);
    exported[env] = parseExports(result.stdout);
    return exported[env];
  };
  const releases = async (env: Env): Promise<ReleaseSummary[]> => {
    const result = await drover(env, ['releases', env, '--output', 'json']);
    expect(result.code, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as { releases: ReleaseSummary[] }).releases;
  };
  const events = (result: CliResult): Event[] => result.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Event);
  const why = (result: CliResult) => `exit ${result.code}\n${result.stderr.slice(-6000)}\n${result.stdout.slice(-6000)}`;
  /** Shoppers on prod's Fabio: the home page and the product list, about 40 requests a second. */
  const shop = async (fabio: string) => {
    while (!traffic.stop) {
      for (const [path, host] of [['/api/products?limit=1', undefined], ['/', 'www.localhost']] as const) {
        try {
          const { status } = await get(`${fabio}${path}`, host);
          traffic.statuses.set(status, (traffic.statuses.get(status) ?? 0) + 1);
        } catch {
          traffic.statuses.set(0, (traffic.statuses.get(0) ?? 0) + 1);
        }
        traffic.sent += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const editApi = async (from: string, to: string) => {
    const file = join(project.dir, 'jobs/api.ts');
    const text = await readFile(file, 'utf8');
    if (!text.includes(from)) throw new Error(`jobs/api.ts of the example has no ${from}`);
    await writeFile(file, text.replace(from, to));
  };
  const deployQa = async (n: number) => {
    const result = await drover('qa', ['deploy', 'qa', '--git-sha', sha(n), '--output', 'ndjson']);
    expect(result.code, why(result)).toBe(0);
    const [release] = await releases('qa');
    expect(release).toMatchObject({ gitSha: sha(n), status: 'verified' });
    released.push(release?.id ?? '');
    return release!;
  };

  beforeAll(async () => {
    project = await tempExampleProject('local-pipeline');
  });

  afterAll(async () => {
    traffic.stop = true;
    await trafficLoop;
    await drover(undefined, ['down']);
    // Should down itself fail, nothing may outlive the test.
    for (const left of readUpStates(project.dir)) for (const p of left.processes) if (processStatus(p) === 'running') process.kill(p.pid, 'SIGKILL');
    await project.cleanup();
  }, 120_000);

  it('up qa, deploy qa: the apps run, the release is smoke-checked, soaked and verified', async () => {
    await up('qa');
    const release = await deployQa(1);
    const qaFabio = exported.qa?.['DROVER_FABIO_ADDR'];
    expect(await (await fetch(`${qaFabio}/api/products?limit=1`)).text()).toMatch(/^\[/);
    expect((await get(`${qaFabio}/`, 'www.localhost')).body).toContain('<html');
    expect(release.id).toMatch(/\S/);
  });

  it('up prod beside qa, deploy prod --yes: exactly the release qa verified', async () => {
    const vars = await up('prod');
    expect(vars['DROVER_RELEASES_CONSUL_HTTP_ADDR']).toBe(exported.qa?.['CONSUL_HTTP_ADDR']);
    expect(vars['NOMAD_ADDR']).not.toBe(exported.qa?.['NOMAD_ADDR']);
    const result = await drover('prod', ['deploy', 'prod', '--yes', '--output', 'ndjson']);
    expect(result.code, why(result)).toBe(0);
    expect(events(result).find((e) => e['type'] === 'release-accepted')).toMatchObject({ release: released[0], env: 'prod' });
    const [release] = await releases('prod');
    expect(release).toMatchObject({ id: released[0], gitSha: sha(1), promotions: { prod: expect.objectContaining({ status: 'succeeded' }) } });
    // Both clusters serve, each its own instances.
    const prodFabio = vars['DROVER_FABIO_ADDR'];
    expect((await fetch(`${prodFabio}/api/products?limit=1`)).status).toBe(200);
    trafficLoop = shop(prodFabio ?? '');
  });

  it('a release changing api: prod\'s canary takes 10 % then 50 % under traffic, judged by Prometheus, and is promoted', async () => {
    await editApi("DATABASE_NAME: 'shop' }", "DATABASE_NAME: 'shop', EXAMPLE_LATENCY_MS: '1' }");
    await deployQa(2);
    const result = await drover('prod', ['deploy', 'prod', '--yes', '--output', 'ndjson']);
    expect(result.code, why(result)).toBe(0);
    const seen = events(result);
    expect(seen.find((e) => e['type'] === 'release-accepted')).toMatchObject({ release: released[1] });
    expect(seen.filter((e) => e['type'] === 'canary-step-passed').map((e) => [e['job'], e['weight']])).toEqual([['api', 0.1], ['api', 0.5]]);
    // Judged on numbers: the canary's own requests were measured.
    const measured = seen.filter((e) => e['type'] === 'canary-measured' && e['metric'] === 'error-ratio');
    expect(measured.length).toBeGreaterThan(0);
    expect(measured.filter((e) => e['verdict'] === 'ok' && typeof e['value'] === 'number').length, JSON.stringify(measured)).toBeGreaterThan(0);
    console.info(`[${SUITE}] promoted canary, measurements:\n${measured.map((e) => `  step ${e['step']}: ${e['verdict']} ${e['detail']}`).join('\n')}`);
    expect(seen.filter((e) => e['type'] === 'canary-promoted').map((e) => e['job'])).toEqual(['api']);
    const [release] = await releases('prod');
    expect(release).toMatchObject({ id: released[1], promotions: { prod: expect.objectContaining({ status: 'succeeded' }) } });
  });

  it('a release whose api fails in prod only: QA verifies it, prod\'s canary fails at 10 % and is reverted', async () => {
    await editApi("EXAMPLE_LATENCY_MS: '1' }", "EXAMPLE_LATENCY_MS: '1', EXAMPLE_ERROR_RATIO: env.is('prod') ? '0.34' : '0' }");
    await deployQa(3);
    const result = await drover('prod', ['deploy', 'prod', '--yes', '--output', 'ndjson']);
    expect(result.code, why(result)).not.toBe(0);
    const seen = events(result);
    const failed = seen.find((e) => e['type'] === 'canary-analysis-failed');
    expect(failed, why(result)).toMatchObject({ job: 'api', step: 1 });
    console.info(`[${SUITE}] failed canary: ${String(failed?.['reason'])}`);
    expect(seen.filter((e) => e['type'] === 'canary-promoted')).toEqual([]);
    // Prod still serves the second release's api: every instance answers.
    const [release] = await releases('prod');
    expect(release?.id).toBe(released[2]);
    expect(release?.promotions?.['prod']?.status).not.toBe('succeeded');
    const after = await fetch(`${exported.prod?.['DROVER_FABIO_ADDR']}/api/products?limit=1`);
    expect(after.status).toBe(200);
    // Nomad runs the second release's api again (reverted to the stable version drover recorded).
    const job = (await (await fetch(`${exported.prod?.['NOMAD_ADDR']}/v1/job/api?namespace=shop`)).json()) as { Meta: Record<string, string>; Stable: boolean };
    expect(job.Meta['drover.release']).toBe(released[1]);
  });

  it('down stops both clusters and every task', async () => {
    traffic.stop = true;
    await trafficLoop;
    const down = await drover(undefined, ['down']);
    expect(down.code, down.stderr).toBe(0);
    // The newest first: prod, which reads its releases from qa's cluster.
    expect(down.stderr.indexOf('cluster of prod is down')).toBeGreaterThan(-1);
    expect(down.stderr.indexOf('cluster of qa is down')).toBeGreaterThan(down.stderr.indexOf('cluster of prod is down'));
    expect(readUpStates(project.dir)).toEqual([]);
    expect(traffic.sent).toBeGreaterThan(100);
    console.info(`[${SUITE}] shoppers' requests through prod's Fabio by status: ${JSON.stringify(Object.fromEntries(traffic.statuses))}`);
  });
});

/** GET with a Host header (fetch does not send one of its own choosing). */
function get(url: string, host?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: host ? { host } : {}, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within 2 s`))).on('error', reject).end();
  });
}
