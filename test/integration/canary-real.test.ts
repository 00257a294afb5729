/**
 * A progressive canary end to end on real servers: the example www app (examples/apps/www, run
 * by a real Nomad with raw_exec), a real Consul, a real Fabio on drover's rendered properties,
 * and a real Prometheus scraping Fabio and the app instances with the committed `apps` job
 * (test/support/real-prometheus.ts). Steady traffic goes through Fabio while drover weighs the
 * canary (10 %, then 50 %, every 2 s, three measurements a step). A canary answering 503 to 10 %
 * of its requests is never promoted; a healthy one is. With DROVER_REAL_CANARY_AT_DEFAULTS=1 the
 * same runs use drover's default analysis (5 % → 25 % → 50 %, four measurements 30 s apart: about
 * 6 minutes for the healthy canary). Skipped, loudly, without the binaries or the example app.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import qa from '../../environments/qa.ts';
import type { JobSpec } from '../../src/model/index.ts';
import type { DeployEvent } from '../../src/report/events.ts';
import type { CanaryAnalysisSettings } from '../../src/config/environment.ts';
import { consulAvailability, startRealConsul, startRealFabio, startRealNomad, type ConsulAgent, type RealFabio, type RealNomad } from '../support/real-cluster.ts';
import { missingBinaries, tail } from '../support/real-process.ts';
import { startRealPrometheus, type RealPrometheus } from '../support/real-prometheus.ts';
import { realProject, runDrover, type RealProject, type RealTargets } from '../support/real-project.ts';
import { repoRoot } from '../support/run-cli.ts';

const SUITE = 'test/integration/canary-real.test.ts';
const APP = `${repoRoot}examples/apps/www/main.ts`;
const missing = missingBinaries(SUITE, ['nomad', 'fabio', 'prometheus'], [...(consulAvailability().available ? [] : ['consul']), ...(existsSync(APP) ? [] : ['examples/apps/www/main.ts'])]);
const SHA = ['--git-sha', '9999999999999999999999999999999999999999'];
const KEY = 'fabio/config/drover-canary-real-www';
const AT_DEFAULTS = process.env['DROVER_REAL_CANARY_AT_DEFAULTS'] === '1';
const SHORT_STEPS = { steps: [0.1, 0.5], interval: '2s', count: 3 } satisfies Partial<CanaryAnalysisSettings>;

/** The www example app at `version`, answering 503 to `errorRatio` of its requests. */
function www(version: string, errorRatio: number): JobSpec {
  return {
    id: 'www',
    kind: 'service',
    update: { strategy: 'canary', canaries: 1, maxParallel: 1, minHealthyTime: '1s', healthyDeadline: '20s', progressDeadline: '60s', autoRevert: true },
    groups: [
      {
        name: 'www',
        count: 2,
        ports: { http: {} },
        shutdownDelay: '1s',
        services: [{ name: 'www', port: 'http', tags: ['http'], routes: [{ path: '/' }], checks: [{ type: 'http', name: 'www-ready', path: '/ready', interval: '2s', timeout: '1s' }] }],
        tasks: [
          {
            name: 'www',
            driver: 'raw_exec',
            command: process.execPath,
            args: ['--import', 'tsx', APP],
            // tsx resolves from the checkout's node_modules.
            workDir: repoRoot.replace(/\/$/, ''),
            env: { HOST: '127.0.0.1', VERSION: version, EXAMPLE_ERROR_RATIO: String(errorRatio) },
            resources: { cpu: 100, memoryMb: 128 },
          },
        ],
      },
    ],
  };
}

describe.skipIf(missing.length > 0)(`a progressive canary on real Nomad, Consul, Fabio and Prometheus${AT_DEFAULTS ? ", at drover's default analysis" : ''}`, { timeout: AT_DEFAULTS ? 900_000 : 120_000 }, () => {
  let project: RealProject | undefined;
  let consul: ConsulAgent | undefined;
  let nomad: RealNomad | undefined;
  let fabio: RealFabio | undefined;
  let prometheus: RealPrometheus | undefined;
  let targets: RealTargets;
  let sending = true;
  let traffic: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    project = await realProject({
      promotion: { canary: 'progressive', ...(AT_DEFAULTS ? {} : { analysis: SHORT_STEPS }) },
      prometheus: { address: 'http://127.0.0.1:1', scrapeInterval: '1s' },
    });
    consul = await startRealConsul();
    nomad = await startRealNomad({ consul: consul.address });
    fabio = await startRealFabio({ env: qa, consul: consul.address });
    prometheus = await startRealPrometheus({ consul: consul.address, fabio: fabio.metricsHostPort });
    targets = { nomad: nomad.address, consul: consul.address, fabio: fabio.proxy, prometheus: prometheus.address };
    // ~50 requests a second through Fabio for the whole suite, as users would send them.
    traffic = (async () => {
      while (sending) {
        await Promise.all(Array.from({ length: 5 }, () => fetch(`${fabio!.proxy}/`).then((r) => r.arrayBuffer()).catch(() => undefined)));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await project.writeJob(www('v1', 0));
    const first = await runDrover(project, targets, ['deploy', 'real', ...SHA]);
    if (first.code !== 0) throw new Error(`first deploy: exit ${first.code}\n${first.stderr}\n${tail(nomad.process)}`);
  }, 120_000);

  afterAll(async () => {
    sending = false;
    await traffic;
    await prometheus?.stop();
    await fabio?.stop();
    await nomad?.stop();
    await consul?.stop();
    await project?.cleanup();
  }, 60_000);

  const ofType = <T extends DeployEvent['type']>(events: readonly DeployEvent[], type: T) => events.filter((e): e is Extract<DeployEvent, { type: T }> => e.type === type);
  const ruleLeft = async () => (await fetch(`${consul!.address}/v1/kv/${KEY}`)).status !== 404;

  it('fails a canary answering 503 to 10 % of its requests on its own error ratio, and Nomad rolls back', async () => {
    await project!.writeJob(www('v2', 0.1));
    const result = await runDrover(project!, targets, ['deploy', 'real', ...SHA]);
    expect(result.code, `${result.stderr}\n${tail(nomad!.process, 1500)}`).toBe(1);
    expect(ofType(result.events, 'canary-promoted')).toEqual([]);
    // Usually the error ratio fails at the first step; with thin evidence the step is extended
    // and then failed, so which gate ends it is not pinned, only that the canary was judged on itself.
    expect(ofType(result.events, 'canary-analysis-failed')).toHaveLength(1);
    const at = (e: DeployEvent | undefined) => Date.parse((e as { time?: string } | undefined)?.time ?? '');
    const failedAt = ofType(result.events, 'canary-analysis-failed')[0];
    console.info(`[canary-real] canary failing 10 %: first weight set → analysis failed ${at(failedAt) - at(ofType(result.events, 'canary-weight-set')[0])} ms, at step ${failedAt?.step} (${failedAt?.metric}: ${failedAt?.reason})`);
    const measured = ofType(result.events, 'canary-measured');
    expect(measured.every((m) => m.scope === 'canary-vs-stable')).toBe(true);
    expect(measured.filter((m) => m.metric === 'error-ratio').map((m) => m.value).some((v) => v !== null && v > 0)).toBe(true);
    expect(ofType(result.events, 'canary-deployment-failed')[0]).toMatchObject({ revertedToVersion: 0 });
    expect(ofType(result.events, 'job-finished')[0]?.outcome).toMatchObject({ status: 'failed', version: 1, runningVersion: 2 });
    expect(await ruleLeft()).toBe(false);
  });

  it('promotes a healthy canary after both steps, with the rule gone before promotion', async () => {
    await project!.writeJob(www('v3', 0));
    const result = await runDrover(project!, targets, ['deploy', 'real', ...SHA]);
    expect(result.code, result.stderr).toBe(0);
    const steps = AT_DEFAULTS ? [0.05, 0.25, 0.5] : SHORT_STEPS.steps;
    expect(ofType(result.events, 'canary-weight-set').map((e) => e.rule)).toEqual(steps.map((w) => `route weight www / weight ${w} tags "canary"`));
    expect(ofType(result.events, 'canary-step-passed').map((e) => e.weight)).toEqual(steps);
    const types = result.events.map((e) => e.type);
    expect(types.indexOf('canary-rule-removed')).toBeLessThan(types.indexOf('canary-promoted'));
    expect(ofType(result.events, 'job-finished')[0]?.outcome).toMatchObject({ status: 'succeeded', version: 3 });
    expect(await ruleLeft()).toBe(false);
  });
});
