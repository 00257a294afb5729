/**
 * The deploy pipeline renders each job once: prepareRollout renders every job of the environment
 * a single time (image pins come from the specs, the prod gate and the QA release's fingerprint
 * reuse that render), so only the chain's other environments are rendered besides, for the
 * fingerprint's masking. Counted through the injectable renderer, against the sandbox over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsulClient } from '../../src/clients/consul/index.ts';
import { createNomadClient } from '../../src/clients/nomad/index.ts';
import type { Environment } from '../../src/config/environment.ts';
import { prepareRollout, runRollout, type Renderer, type RolloutRequest } from '../../src/deploy/pipeline.ts';
import type { LoadedJob } from '../../src/model/loaded-job.ts';
import { buildJobs } from '../../src/project/load.ts';
import { loadProject, type Project } from '../../src/project/project.ts';
import { renderJob } from '../../src/render/job.ts';
import type { DeployEvent } from '../../src/report/events.ts';
import { EXAMPLE_APPS } from '../../src/sandbox/example-apps.ts';
import { sandboxFor, type SeededSandbox } from '../support/sandbox.ts';
import { tempProject } from '../support/temp-project.ts';

/** A renderer that counts its calls per environment. */
function countingRenderer(): { render: Renderer; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  return {
    counts,
    render: (spec, ctx) => {
      const key = `${ctx.env.name}/${spec.id}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return renderJob(spec, ctx);
    },
  };
}

const rendersIn = (counts: Map<string, number>, env: string) => [...counts].filter(([key]) => key.startsWith(`${env}/`));

describe('the deploy pipeline renders each job once', () => {
  let dir: { dir: string; cleanup: () => Promise<void> };
  let project: Project;
  let qa: SeededSandbox;
  const events: DeployEvent[] = [];
  const envOf = (name: string): Environment => project.environments.find((m) => m.value.name === name)!.value;
  const jobsFor = (env: Environment): LoadedJob[] => buildJobs(project.jobs, env).jobs;
  const request = (env: Environment, gitSha: string): RolloutRequest => ({ project, projectName: 'drover', env, jobs: jobsFor(env), gitSha, recordsRelease: true, now: new Date(), operator: 'test@host' });

  beforeAll(async () => {
    dir = await tempProject();
    project = await loadProject({ root: dir.dir });
    qa = await sandboxFor('qa');
    for (const [service, behaviour] of Object.entries(EXAMPLE_APPS)) qa.fabio.setApp(service, behaviour);
  }, 60_000);
  afterAll(async () => {
    await qa?.close();
    await dir?.cleanup();
  });

  it('renders every qa job once through prepare, rollout, release record and verification, and prod once through its gate', async () => {
    const qaEnv: Environment = { ...envOf('qa'), fabio: { ...envOf('qa').fabio, address: qa.addresses.fabio }, registries: [] };
    const qaRenders = countingRenderer();
    const consul = createConsulClient({ address: qa.addresses.consul });
    const nomad = createNomadClient({ address: qa.addresses.nomad, namespace: qaEnv.nomad.namespace });
    try {
      const prepared = await prepareRollout(request(qaEnv, 'a'.repeat(40)), { report: (e) => events.push(e), openSourceConsul: () => consul, render: qaRenders.render });
      const { exitCode } = await runRollout(prepared, { adopt: false, waitLock: false, parallelism: 8, watch: 'stream', prune: false, soak: '0s' }, { nomad, consul, report: (e) => events.push(e), signal: AbortSignal.timeout(120_000) });
      prepared.close();
      expect(exitCode, JSON.stringify(events.filter((e) => e.type === 'job-finished' || e.type.startsWith('release')))).toBe(0);
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['release-created', 'release-verified']));
      const jobs = jobsFor(qaEnv).map((j) => j.spec.id).sort();
      // Each qa job exactly once; prod (the chain's other environment) once each for the masking.
      expect(rendersIn(qaRenders.counts, 'qa')).toEqual(jobs.map((id) => [`qa/${id}`, 1]).sort());
      expect(rendersIn(qaRenders.counts, 'prod').every(([, n]) => n === 1)).toBe(true);

      // prod takes that release: the gate compares the one render with the release.
      const prodEnv: Environment = { ...envOf('prod'), registries: [] };
      const prodRenders = countingRenderer();
      const prod = await prepareRollout(request(prodEnv, 'b'.repeat(40)), { report: (e) => events.push(e), openSourceConsul: () => consul, render: prodRenders.render });
      prod.close();
      expect(prod.prod?.release.gitSha).toBe('a'.repeat(40));
      expect(events.some((e) => e.type === 'release-accepted')).toBe(true);
      expect(rendersIn(prodRenders.counts, 'prod')).toEqual(jobsFor(prodEnv).map((j) => [`prod/${j.spec.id}`, 1]).sort());
    } finally {
      consul.close();
      nomad.close();
    }
  }, 180_000);
});
