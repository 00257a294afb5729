/**
 * QA → prod end to end, as `npm run deploy:qa` then `npm run deploy:prod` run it: two sandboxes
 * (qa and prod, each with its simulated Fabio and app instances answering as scripted in
 * src/sandbox/example-apps.ts) and a REAL Prometheus scraping prod's simulated Fabio every second.
 * The CLI runs in-process with the HashiCorp and drover variables pointing at the sandboxes, except
 * for Ctrl-C, which needs a real process. The tests build on each other, in order: each QA deploy
 * makes the release the next prod deploy takes. Skipped loudly without the prometheus binary.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canaryRuleKey } from '../../src/canary/fabio-weights.ts';
import { createConsulClient, type ConsulClient } from '../../src/clients/consul/index.ts';
import { createNomadClient, type NomadClient } from '../../src/clients/nomad/index.ts';
import { loadProject } from '../../src/project/project.ts';
import { fingerprintJobs, jobImages } from '../../src/release/fingerprint.ts';
import { pinsForProd } from '../../src/release/gate.ts';
import { buildRelease, type Release } from '../../src/release/record.ts';
import { createReleaseStore } from '../../src/release/store.ts';
import { META } from '../../src/render/context.ts';
import type { DeployEvent } from '../../src/report/events.ts';
import { EXAMPLE_APPS, exampleTraffic } from '../../src/sandbox/example-apps.ts';
import type { NomadJob } from '../../src/wire/nomad-job.ts';
import { spawnDrover } from '../support/drover-process.ts';
import { watchFabioConfig } from '../support/fabio-config-watch.ts';
import { setImageTag } from '../support/live-deploy.ts';
import { binaryAvailability, startPrometheus, warnSkipped, type PrometheusServer } from '../support/prometheus-server.ts';
import { runCli } from '../support/run-cli.ts';
import { runAgainst, sandboxFor, type SeededSandbox } from '../support/sandbox.ts';
import { tempProject } from '../support/temp-project.ts';

const availability = binaryAvailability('prometheus');
warnSkipped('test/e2e/release-promotion.test.ts', availability);

const sha = (n: number) => String(n).repeat(40).slice(0, 40);
const CANARY_KEY = canaryRuleKey({ env: 'prod', job: 'api' });

describe.skipIf(!availability.available)('deploy qa then deploy prod: verified releases and progressive canaries', { timeout: 90_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let qa: SeededSandbox;
  let prod: SeededSandbox;
  let prometheus: PrometheusServer;
  let prodConsul: ConsulClient;
  let qaNomad: NomadClient;
  let prodNomad: NomadClient;

  beforeAll(async () => {
    project = await tempProject();
    // Steps of 6 s instead of 2 min: the test's Prometheus scrapes every second, so a measurement
    // every 2 s sees at least two scrapes of the step (validation holds prod to that). Three
    // measurements, not two: the 503s of the failing test start when its Consul watch sees the
    // 25 % rule, up to a second or two into the step, and must still fill most of the last window.
    await editProd(project.dir, (text) => text
      .replace("prune: false },", "prune: false, analysis: { interval: '2s', count: 3 } },")
      .replace("prometheus: { address: 'http://prometheus.prod.example.internal:9090' },", "prometheus: { address: 'http://prometheus.prod.example.internal:9090', scrapeInterval: '1s' },"));
    // Simulated instances listen on the ports the sandbox allocates from its seed; seeds of their
    // own keep these two sandboxes (and other test files running at the same time) apart.
    const seed = 1_000 + (process.pid % 50_000) * 2;
    [qa, prod] = await Promise.all([sandboxFor('qa', { seed }), sandboxFor('prod', { seed: seed + 1 })]);
    for (const sandbox of [qa, prod]) for (const [service, behaviour] of Object.entries(EXAMPLE_APPS)) sandbox.fabio.setApp(service, behaviour);
    prometheus = await startPrometheus([prod.addresses.fabioMetrics], { discovered: () => prod.fabio.scrapeTargets() });
    for (const { route, rps } of exampleTraffic('example.com')) prod.fabio.setTraffic(route, { rps });
    prodConsul = createConsulClient({ address: prod.addresses.consul });
    qaNomad = createNomadClient({ address: qa.addresses.nomad, namespace: 'shop' });
    prodNomad = createNomadClient({ address: prod.addresses.nomad, namespace: 'shop' });
  }, 60_000);

  afterAll(async () => {
    prodConsul?.close();
    qaNomad?.close();
    prodNomad?.close();
    await prometheus?.stop();
    await Promise.all([qa?.close(), prod?.close()]);
    await project?.cleanup();
  });

  const qaEnv = () => ({ VAULT_TOKEN: qa.deployerToken });
  const prodEnv = () => ({ VAULT_TOKEN: prod.deployerToken, DROVER_RELEASES_CONSUL_HTTP_ADDR: qa.addresses.consul, DROVER_PROMETHEUS_ADDR: prometheus.address });
  const deployQa = (n: number, ...argv: string[]) => runAgainst(qa, ['deploy', 'qa', '--git-sha', sha(n), '--soak', '1s', ...argv], { cwd: project.dir, env: qaEnv() });
  const deployProd = (...argv: string[]) => runAgainst(prod, ['deploy', 'prod', '--yes', ...argv], { cwd: project.dir, env: prodEnv() });
  const releases = async (): Promise<Release[]> => {
    const listed = await runCli(['releases', 'qa', '--json', '--limit', '100'], { cwd: project.dir, env: { CONSUL_HTTP_ADDR: qa.addresses.consul } });
    if (listed.code !== 0) throw new Error(`drover releases: ${listed.code} ${listed.stderr}`);
    return (JSON.parse(listed.stdout) as { releases: Release[] }).releases;
  };
  const latestRelease = async () => (await releases())[0]!;

  it('marks the release failed when a QA smoke check fails (exit 1, request and response quoted), and prod refuses it (exit 4)', async () => {
    qa.fabio.setApp('api', { ...EXAMPLE_APPS.api, responses: { ...EXAMPLE_APPS.api!.responses, '/products': { status: 500, body: 'database unavailable' } } });
    const result = await deployQa(1);
    qa.fabio.setApp('api', EXAMPLE_APPS.api!);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('failed verification in qa');
    expect(result.stderr).toMatch(/product list[\s\S]*GET [^\n]*\/api\/products\?limit=1[\s\S]*500/);
    expect(result.stderr).toContain('database unavailable');
    const failed = await latestRelease();
    expect(failed).toMatchObject({ status: 'failed', gitSha: sha(1) });
    expect(failed.verification?.smoke.find((s) => s.check === 'product list')).toMatchObject({ ok: false });

    const refused = await deployProd('--release', failed.id);
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toContain(`Refusing to deploy release ${failed.id} to prod`);
    expect(refused.stderr).toMatch(/failed/);
    expect(refused.events.some((e) => e.type === 'job-registered')).toBe(false);
  });

  it('refuses --force without --reason, and prod without --yes off a terminal, as usage errors (64)', async () => {
    const result = await deployProd('--force');
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('--force needs --reason');
    const unconfirmed = await runAgainst(prod, ['deploy', 'prod', '--release', 'r-anything'], { cwd: project.dir, env: prodEnv() });
    expect(unconfirmed.code).toBe(64);
    expect(unconfirmed.stderr).toMatch(/needs confirmation[\s\S]*--yes/);
  });

  it('deploys to prod exactly what QA verified: same image references, same spec hash apart from environment values; the release records both', async () => {
    const qaRun = await deployQa(2);
    expect(qaRun.code, qaRun.stderr).toBe(0);
    const release = await latestRelease();
    expect(release).toMatchObject({ status: 'verified', gitSha: sha(2), verification: { ok: true } });
    expect(qaRun.events.filter((e) => e.type === 'smoke-finished').length).toBe(4);

    const prodRun = await deployProd();
    expect(prodRun.code, prodRun.stderr).toBe(0);
    expect(prodRun.events.find((e) => e.type === 'release-accepted')).toMatchObject({ release: release.id, env: 'prod' });

    const loaded = await loadProject({ root: project.dir });
    const prodEnvironment = loaded.environments.find((m) => m.value.name === 'prod')!.value;
    const expected = fingerprintJobs({ definitions: loaded.jobs, environments: loaded.environments.map((m) => m.value), target: prodEnvironment, context: { project: 'drover', gitSha: release.gitSha, release: release.id, images: pinsForProd(release) } });
    for (const [id, recorded] of Object.entries(release.jobs)) {
      const [inQa, inProd] = await Promise.all([submitted(qaNomad, id), submitted(prodNomad, id)]);
      // The images each cluster was given, and what the release recorded, are the same references.
      expect(jobImages(inProd).map((i) => i.reference), id).toEqual(jobImages(inQa).map((i) => i.reference));
      expect(jobImages(inProd).map((i) => i.reference), id).toEqual(recorded.images.map((i) => i.reference));
      // Prod ran the render the gate compared, whose environment-free hash is the one QA verified.
      expect(inProd.Meta?.[META.specHash], id).toBe(expected.get(id)!.job.Meta?.[META.specHash]);
      expect(expected.get(id)!.envFreeHash, id).toBe(recorded.envFreeHash);
      expect(inProd.Meta?.[META.release], id).toBe(release.id);
    }

    const shown = await runCli(['release', 'show', release.id, 'qa'], { cwd: project.dir, env: { CONSUL_HTTP_ADDR: qa.addresses.consul, NO_COLOR: '1' } });
    expect(shown.code, shown.stderr).toBe(0);
    const record = (await releases()).find((r) => r.id === release.id)!;
    expect(record.promotions['prod']).toMatchObject({ status: 'succeeded' });
    expect(Object.values(record.promotions['prod']!.jobs).every((j) => j.status === 'succeeded')).toBe(true);
    expect(shown.stdout).toContain('verified');
    expect(shown.stdout).toMatch(/prod[^\n]*succeeded/);
  });

  it('steps healthy canaries 5 % → 25 % → 50 % through Fabio weight rules, promotes, and removes the rule', async () => {
    await setImageTag(project.dir, 'api', '1.9.0');
    expect((await deployQa(3)).code).toBe(0);
    const fabio = watchFabioConfig(prodConsul);
    const result = await deployProd();
    const seen = await fabio.stop();
    expect(result.code, result.stderr).toBe(0);
    expect(seen.weights).toEqual([0.05, 0.25, 0.5]);
    expect(seen.errors).toEqual([]);
    expect(seen.last).toBe('');
    const steps = result.events.filter((e): e is Extract<DeployEvent, { type: 'canary-weight-set' }> => e.type === 'canary-weight-set');
    expect(steps.map((e) => [e.step, e.weight, e.rule])).toEqual([
      [1, 0.05, 'route weight api /api weight 0.05 tags "canary"'],
      [2, 0.25, 'route weight api /api weight 0.25 tags "canary"'],
      [3, 0.5, 'route weight api /api weight 0.5 tags "canary"'],
    ]);
    // Early measurements of a step may lack evidence (inconclusive); none fails, and every step ends
    // with both gates judging the canary's own requests against the stable ones' as ok.
    const measured = result.events.filter((e): e is Extract<DeployEvent, { type: 'canary-measured' }> => e.type === 'canary-measured');
    expect(measured.filter((e) => e.verdict === 'failing')).toEqual([]);
    for (const step of [1, 2, 3]) {
      for (const metric of ['error-ratio', 'p99-latency']) {
        const last = measured.filter((e) => e.step === step && e.metric === metric).at(-1);
        expect(last, `step ${step} ${metric}`).toMatchObject({ verdict: 'ok', scope: 'canary-vs-stable' });
      }
    }
    expect(result.events.map((e) => e.type)).toContain('canary-promoted');
    expect(result.events.find((e) => e.type === 'job-finished' && e.job === 'api')).toMatchObject({ outcome: { status: 'succeeded', version: 1 } });
    expect((await prodConsul.kv.get(CANARY_KEY)).value).toBeNull();
    expect(imageOf(await submitted(prodNomad, 'api'))).toBe('ghcr.io/example-shop/api:1.9.0');
  });

  it('fails and reverts the deployment when the error ratio crosses the threshold at the second step: exit 1 quoting query and value, rule removed', async () => {
    await setImageTag(project.dir, 'api', '1.9.1');
    expect((await deployQa(4)).code).toBe(0);
    const release = await latestRelease();
    let injectedAt = 0;
    // As Fabio would, watch the KV rule; once the canaries get 25 %, the new version answers every request with 503.
    const fabio = watchFabioConfig(prodConsul, (weight) => {
      if (weight !== 0.25 || injectedAt) return;
      injectedAt = Date.now();
      prod.fabio.setApp('api', { ...EXAMPLE_APPS.api, instances: 'canary', errorRatio: 1 });
    });
    const result = await deployProd();
    const seen = await fabio.stop();
    prod.fabio.clearApps('api', 'canary');
    expect(result.code, result.stderr).toBe(1);
    expect(seen.weights).toEqual([0.05, 0.25]);
    expect(seen.errors).toEqual([]);
    expect(seen.last).toBe('');
    expect((await prodConsul.kv.get(CANARY_KEY)).value).toBeNull();

    const failed = result.events.find((e): e is Extract<DeployEvent, { type: 'canary-analysis-failed' }> => e.type === 'canary-analysis-failed')!;
    expect(failed).toMatchObject({ job: 'api', step: 2, weight: 0.25, metric: 'error-ratio', thresholdMax: 0.05 });
    // Judged on the canaries' own request counters, in a window no longer than the time at the step.
    expect(failed.query).toMatch(/^sum by \(instance, code\) \(increase\(http_requests_total\{instance=~"[^"]+"\}\[\d+s\]\)\)$/);
    expect(failed.value).toBeGreaterThan(0.05);
    const outcome = result.events.find((e) => e.type === 'job-finished' && e.job === 'api');
    // api: v0 (first release), v1 (1.9.0, promoted), v2 (1.9.1, failed), v3 = Nomad's revert to v1.
    expect(outcome).toMatchObject({ outcome: { status: 'failed', version: 2, runningVersion: 3 } });
    const reason = outcome?.type === 'job-finished' && outcome.outcome.status === 'failed' ? outcome.outcome.reason : '';
    expect(failed.value).toBe(1);
    expect(reason).toMatch(/error-ratio failing: canary 100 % \((\d+) of \1\) vs stable 0 % \(0 of \d+\); bound 5 %/);
    expect(reason).toContain(failed.query);
    // The summary table (on stderr with --output ndjson) quotes it as written; the events JSON-escape it.
    expect(result.stderr).toContain(failed.query);

    const reverted = result.events.find((e): e is Extract<DeployEvent, { type: 'canary-deployment-failed' }> => e.type === 'canary-deployment-failed')!;
    expect(reverted.revertedToVersion).toBe(1);
    const crossing = reverted.timings.crossingToFailRequestMs;
    console.info(`[canary timing, deploy prod] 503s began → threshold seen: ${reverted.timings.thresholdCrossedAtMs - injectedAt} ms; seen → revert requested: ${crossing} ms; 503s began → revert requested: ${reverted.timings.failRequestedAtMs - injectedAt} ms`);
    expect(crossing).toBeLessThan(1_000);
    // A revert carries no submission; the job itself says what runs.
    expect(imageOf((await prodNomad.jobs.read('api')).value as unknown as NomadJob)).toBe('ghcr.io/example-shop/api:1.9.0');
    const record = (await releases()).find((r) => r.id === release.id)!;
    expect(record.promotions['prod']).toMatchObject({ status: 'failed', jobs: { api: { status: 'failed' } } });
  });

  it('rolls prod back to an earlier verified release with its image pins; refused while a job differs in anything else', async () => {
    const earlier = (await releases()).find((r) => r.status === 'verified' && r.gitSha === sha(3))!;
    const rollback = () => runAgainst(prod, ['rollback', 'prod', '--release', earlier.id, '--yes'], { cwd: project.dir, env: prodEnv() });
    const file = join(project.dir, 'jobs/api.ts');
    const original = await readFile(file, 'utf8');
    const changed = original.replace("DATABASE_NAME: 'shop' },", "DATABASE_NAME: 'shop', FEATURE_X: 'on' },");
    expect(changed).not.toBe(original);
    await writeFile(file, changed);
    const refused = await rollback();
    await writeFile(file, original);
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toMatch(/api: /);
    expect(refused.events.some((e) => e.type === 'job-registered')).toBe(false);
    // jobs/ still names api 1.9.1; the release pins 1.9.0, which is what prod gets.
    const rolledBack = await rollback();
    expect(rolledBack.code, rolledBack.stderr).toBe(0);
    expect(rolledBack.events.find((e) => e.type === 'release-accepted')).toMatchObject({ release: earlier.id });
    expect(imageOf((await prodNomad.jobs.read('api')).value as unknown as NomadJob)).toBe('ghcr.io/example-shop/api:1.9.0');
    expect((await releases()).find((r) => r.id === earlier.id)!.promotions['prod']).toMatchObject({ status: 'succeeded' });
    // plan prod shows what deploy would do: the release with its pins (jobs/ names 1.9.1), so nothing changes.
    const planned = await runAgainst(prod, ['plan', 'prod', '--release', earlier.id, '--out', join(project.dir, 'build/plan.json')], { cwd: project.dir, env: prodEnv() });
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
    // …and what its progressive canary would ask Prometheus at each measurement of a step.
    expect(planned.stderr).toContain('api: progressive canary of group "api" on api /api:');
    expect(planned.stderr).toMatch(/measurement 1 \(range \d+s\):\n\s+error-ratio: sum by \(instance, code\) \(increase\(http_requests_total\{instance=~"\$canary_instances\|\$stable_instances"\}\[\d+s\]\)\)/);
  });

  it('removes the weight rule when Ctrl-C arrives mid-analysis and exits 130', async () => {
    await setImageTag(project.dir, 'api', '1.9.2');
    expect((await deployQa(5)).code).toBe(0);
    const env = { NOMAD_ADDR: prod.addresses.nomad, CONSUL_HTTP_ADDR: prod.addresses.consul, VAULT_ADDR: prod.addresses.vault, DROVER_FABIO_ADDR: prod.addresses.fabio, ...prodEnv() };
    const drover = spawnDrover(['deploy', 'prod', '--yes'], { cwd: project.dir, env });
    await drover.waitFor((e) => e.type === 'canary-measured', 60_000);
    expect((await prodConsul.kv.get(CANARY_KEY)).value).toContain('route weight api /api');
    const exit = await drover.kill('SIGINT');
    expect(exit.code, exit.stderr).toBe(130);
    expect(drover.events.map((e) => e.type)).toContain('canary-rule-removed');
    expect((await prodConsul.kv.get(CANARY_KEY)).value).toBeNull();
  });

  it('refuses a release that was never verified, and one older than maxReleaseAge, with exit 4 and the reason', async () => {
    const loaded = await loadProject({ root: project.dir });
    const envs = loaded.environments.map((m) => m.value);
    const qaEnvironment = envs.find((e) => e.name === 'qa')!;
    const fingerprints = fingerprintJobs({ definitions: loaded.jobs, environments: envs, target: qaEnvironment, context: { project: 'drover', gitSha: sha(6), release: 'r-unverified' } });
    const unverified = buildRelease({
      id: 'r-unverified', gitSha: sha(6), project: 'drover', sourceEnv: 'qa', createdAt: new Date(), createdBy: 'test@sandbox',
      jobs: [...fingerprints.values()].map(({ job, ...f }) => ({ ...f, specHash: job.Meta?.[META.specHash] ?? '' })),
      results: [...fingerprints.keys()].map((id) => ({ job: id, outcome: { status: 'succeeded' as const, version: 0 } })),
    });
    const qaConsul = createConsulClient({ address: qa.addresses.consul });
    try {
      await createReleaseStore(qaConsul, { env: 'qa' }).save(unverified);
    } finally {
      qaConsul.close();
    }
    const notVerified = await deployProd('--release', 'r-unverified');
    expect(notVerified.code, notVerified.stderr).toBe(4);
    expect(notVerified.stderr).toMatch(/not verified|deployed, not verified|is deployed/);

    await editProd(project.dir, (text) => text.replace("maxReleaseAge: '168h'", "maxReleaseAge: '1s'"));
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const tooOld = await deployProd();
    expect(tooOld.code, tooOld.stderr).toBe(4);
    expect(tooOld.stderr).toMatch(/is \d+s old; this environment takes releases up to 1s/);
    expect(tooOld.events.some((e) => e.type === 'job-registered')).toBe(false);
  });
});

/** The job as drover submitted it (Nomad keeps the submission with each version). */
async function submitted(nomad: NomadClient, id: string): Promise<NomadJob> {
  const version = (await nomad.jobs.read(id)).value.Version;
  const submission = await nomad.jobs.submission(id, version);
  return (JSON.parse(submission.Source) as { Job: NomadJob }).Job;
}

function imageOf(job: NomadJob): string | undefined {
  return jobImages(job).find((i) => i.repository.endsWith('/api'))?.reference;
}

async function editProd(dir: string, edit: (text: string) => string): Promise<void> {
  const file = join(dir, 'environments/prod.ts');
  const before = await readFile(file, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`editProd: nothing changed in ${file}`);
  await writeFile(file, after);
}
