import { describe, expect, it } from 'vitest';
import { environments } from '../../support/environments.ts';
import { buildExampleJobs } from '../../support/example-jobs.ts';
import { findUnknownKeys } from '../../../src/validate/keys/shape.ts';
import { jobShape } from '../../../src/validate/keys/job-keys.ts';
import { envUnknownKeyRule, jobUnknownKeyRule } from '../../../src/validate/rules/unknown-keys.ts';
import { aBatchJob, aGroup, aService, aServiceJob, aTask, anEnvironment, loaded } from './builders.ts';

const check = (spec: unknown) => jobUnknownKeyRule.check({ env: anEnvironment(), jobs: [loaded(spec as never, 'jobs/app.ts')] });
const paths = (spec: unknown) => findUnknownKeys(spec, jobShape).map((u) => u.path);

describe('job/unknown-key', () => {
  it('reports a misspelt update key with its path and the key it meant', () => {
    const spec = aServiceJob({ groups: [aGroup({ update: { strategy: 'rolling', minHealthyTim: '10s' } })] });
    expect(check(spec)).toEqual([
      {
        rule: 'job/unknown-key',
        severity: 'error',
        message: 'Unknown key "minHealthyTim": drover would ignore it. Did you mean "minHealthyTime"?',
        location: { file: 'jobs/app.ts', path: 'groups[0].update.minHealthyTim' },
        hint: 'Rename "minHealthyTim" to "minHealthyTime".',
      },
    ]);
  });

  it('finds typos at the top, in checks, routes and tasks of every driver', () => {
    const spec = aServiceJob({
      dependsOnn: ['db'],
      groups: [
        aGroup({
          services: [aService({ checks: [{ type: 'http', path: '/', intervl: '5s' }], routes: [{ kind: 'tcp', port: 1, strip: '/x' }] })],
          tasks: [aTask({ imag: 'x' }), aTask({ driver: 'exec', command: 'run', image: 'x', workDir: '/w' })],
        }),
      ],
    });
    expect(paths(spec).sort()).toEqual([
      'dependsOnn',
      'groups[0].services[0].checks[0].intervl',
      'groups[0].services[0].routes[0].strip',
      'groups[0].tasks[0].imag',
      'groups[0].tasks[1].image',
    ]);
    expect(check(spec).find((d) => d.location.path === 'dependsOnn')?.message).toContain('Did you mean "dependsOn"?');
  });

  it('checks each variant of a union by its discriminant', () => {
    // `path` belongs to http checks only; `periodic` to batch jobs only; `canaries` to canary updates only.
    expect(paths(aServiceJob({ groups: [aGroup({ services: [aService({ checks: [{ type: 'tcp', path: '/' }] })] })] }))).toEqual(['groups[0].services[0].checks[0].path']);
    expect(paths(aServiceJob({ periodic: { crons: ['@daily'] } }))).toEqual(['periodic']);
    expect(paths(aBatchJob({ periodic: { crons: ['@daily'], timeZon: 'UTC' } }))).toEqual(['periodic.timeZon']);
    expect(paths(aServiceJob({ update: { strategy: 'rolling', canaries: 1 } }))).toEqual(['update.canaries']);
    expect(paths(aServiceJob({ update: { strategy: 'canary', canaries: 1, analysis: { metrics: [{ name: 'a', query: 'q', max: 1, min: 0 }] } } }))).toEqual(['update.analysis.metrics[0].min']);
  });

  it('checks against every variant when the discriminant is unknown, so typos are still found', () => {
    expect(paths(aServiceJob({ update: { strategy: 'blue-green', canaries: 1, autoRevrt: true } }))).toEqual(['update.autoRevrt']);
  });

  it('walks user maps by their values and leaves free-form maps alone', () => {
    const spec = aServiceJob({ meta: { anything: 'x' }, groups: [aGroup({ ports: { http: { to: 8080, statc: 80 } }, tasks: [aTask({ env: { FOO: '1' }, extra: { any_key: 1 } })] })] });
    expect(paths(spec)).toEqual(['groups[0].ports.http.statc']);
  });

  it('accepts every shipped job in every environment', async () => {
    for (const env of environments) {
      const jobs = await buildExampleJobs(env);
      expect(jobs.length).toBeGreaterThan(0);
      expect(jobUnknownKeyRule.check({ env, jobs })).toEqual([]);
    }
  });
});

describe('env/unknown-key', () => {
  it('reports a misspelt nested key of an environment', () => {
    const env = { ...anEnvironment(), promotion: { ...anEnvironment().promotion, sok: '1m' } };
    expect(envUnknownKeyRule.check({ env, file: 'environments/qa.ts' })).toEqual([
      expect.objectContaining({ rule: 'env/unknown-key', location: { file: 'environments/qa.ts', path: 'promotion.sok' }, message: expect.stringContaining('Did you mean "soak"?') }),
    ]);
  });

  it('accepts the shipped environments', () => {
    for (const env of environments) expect(envUnknownKeyRule.check({ env, file: `environments/${env.name}.ts` })).toEqual([]);
  });
});
