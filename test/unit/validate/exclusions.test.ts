import { describe, expect, it } from 'vitest';
import { defineJob, exclusionReason } from '../../../src/model/define-job.ts';
import { buildJobs } from '../../../src/project/load.ts';
import { checkExclusions } from '../../../src/validate/rules/job-exclude-from.ts';
import { anEnvironment, aServiceJob, where } from './builders.ts';

const qa = anEnvironment();
const dev = anEnvironment({ name: 'dev' });

describe('defineJob excludeFrom', () => {
  it('keeps the reason per environment and none for the others', () => {
    const definition = defineJob(() => aServiceJob(), { excludeFrom: { dev: 'needs docker' } as never });
    expect(exclusionReason(definition, 'dev')).toBe('needs docker');
    expect(exclusionReason(definition, 'qa')).toBeUndefined();
    expect(exclusionReason(defineJob(() => aServiceJob()), 'dev')).toBeUndefined();
  });

  it('does not treat inherited object keys as environments', () => {
    expect(exclusionReason(defineJob(() => aServiceJob(), { excludeFrom: {} }), 'constructor')).toBeUndefined();
  });
});

describe('buildJobs with excluded jobs', () => {
  it('never calls the build function of a job excluded from the environment, and lists it with its reason', () => {
    const built: string[] = [];
    const track = (id: string) => (env: { name: string }) => (built.push(`${id}@${env.name}`), aServiceJob({ id }));
    const definitions = [
      { file: 'jobs/api.ts', value: defineJob(track('api')) },
      { file: 'jobs/postgres.ts', value: defineJob(track('postgres'), { excludeFrom: { dev: 'needs docker' } as never }) },
    ];
    const inDev = buildJobs(definitions, dev);
    expect(inDev.jobs.map((j) => j.spec.id)).toEqual(['api']);
    expect(inDev.excluded).toEqual([{ file: 'jobs/postgres.ts', name: 'postgres', reason: 'needs docker' }]);
    expect(inDev.diagnostics).toEqual([]);
    expect(buildJobs(definitions, qa).jobs.map((j) => j.spec.id)).toEqual(['api', 'postgres']);
    expect(built).toEqual(['api@dev', 'api@qa', 'postgres@qa']);
  });
});

describe('job/exclude-from', () => {
  const source = (excludeFrom: unknown) => ({ file: 'jobs/postgres.ts', value: { excludeFrom } });

  it('accepts known environments with reasons, and definitions without exclusions', () => {
    expect(checkExclusions([source({ dev: 'needs docker' }), source(undefined)], ['dev', 'qa'])).toEqual([]);
  });

  it('reports an unknown environment name, which would otherwise deploy the job there', () => {
    const found = checkExclusions([source({ dve: 'needs docker' })], ['qa', 'dev']);
    expect(where(found)).toEqual([{ rule: 'job/exclude-from', severity: 'error', file: 'jobs/postgres.ts', path: 'excludeFrom.dve' }]);
    expect(found[0]!.hint).toBe('Use one of: dev, qa.');
  });

  it('reports a missing reason and a value that is not an object', () => {
    expect(where(checkExclusions([source({ dev: ' ' }), source(['dev'])], ['dev']))).toEqual([
      { rule: 'job/exclude-from', severity: 'error', file: 'jobs/postgres.ts', path: 'excludeFrom.dev' },
      { rule: 'job/exclude-from', severity: 'error', file: 'jobs/postgres.ts', path: 'excludeFrom' },
    ]);
  });
});
