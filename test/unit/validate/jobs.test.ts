import { describe, expect, it } from 'vitest';
import { groupNameRule } from '../../../src/validate/rules/group-name.ts';
import { jobDatacentersRule } from '../../../src/validate/rules/job-datacenters.ts';
import { jobDependencyCycleRule } from '../../../src/validate/rules/job-dependency-cycle.ts';
import { jobDependsOnRule } from '../../../src/validate/rules/job-depends-on.ts';
import { jobDescriptionRule } from '../../../src/validate/rules/job-description.ts';
import { jobGroupsRule } from '../../../src/validate/rules/job-groups.ts';
import { jobIdRule } from '../../../src/validate/rules/job-id.ts';
import { jobKindRule } from '../../../src/validate/rules/job-kind.ts';
import { jobPriorityRule } from '../../../src/validate/rules/job-priority.ts';
import type { JobSpec } from '../../../src/model/job.ts';
import { aGroup, anEnvironment, aServiceJob, error, loaded, run, where } from './builders.ts';

describe('job fields', () => {
  it('job/kind: service, system or batch', () => {
    expect(where(run(jobKindRule, aServiceJob({ kind: 'sysbatch' })))).toEqual([error('job/kind', 'kind')]);
  });

  it('job/kind: reports a build that returned no job object, at the file', () => {
    const found = jobKindRule.check({ env: anEnvironment(), jobs: [{ file: 'jobs/x.ts', spec: null as unknown as JobSpec }] });
    expect(where(found)).toEqual([error('job/kind', '', 'jobs/x.ts')]);
  });

  it('job/id: RFC 1123 label, unique across files', () => {
    expect(where(run(jobIdRule, aServiceJob({ id: 'My_App' })))).toEqual([error('job/id', 'id', 'jobs/My_App.ts')]);
    const twice = jobIdRule.check({ env: anEnvironment(), jobs: [{ file: 'jobs/a.ts', spec: aServiceJob() }, { file: 'jobs/b.ts', spec: aServiceJob() }] });
    expect(where(twice)).toEqual([error('job/id', 'id', 'jobs/b.ts')]);
  });

  it('job/priority: integer 1..100', () => {
    expect(run(jobPriorityRule, aServiceJob({ priority: 100 }))).toEqual([]);
    for (const priority of [0, 101, 50.5, '50']) {
      expect(where(run(jobPriorityRule, aServiceJob({ priority })))).toEqual([error('job/priority', 'priority')]);
    }
  });

  it('job/groups: at least one group, each an object', () => {
    expect(where(run(jobGroupsRule, aServiceJob({ groups: [] })))).toEqual([error('job/groups', 'groups')]);
    expect(where(run(jobGroupsRule, aServiceJob({ groups: undefined })))).toEqual([error('job/groups', 'groups')]);
    expect(where(run(jobGroupsRule, aServiceJob({ groups: [aGroup(), null] })))).toEqual([error('job/groups', 'groups[1]')]);
  });

  it('group/name: valid and unique within the job', () => {
    const job = aServiceJob({ groups: [aGroup(), aGroup({ name: 'app' }), aGroup({ name: 'Web App' }), aGroup({ name: 'db_1' })] });
    expect(where(run(groupNameRule, job))).toEqual([error('group/name', 'groups[1].name'), error('group/name', 'groups[2].name')]);
  });

  it('job/description: non-empty, at most 1000 characters', () => {
    expect(where(run(jobDescriptionRule, aServiceJob({ description: 'x'.repeat(1001) })))).toEqual([error('job/description', 'description')]);
    expect(where(run(jobDescriptionRule, aServiceJob({ description: '  ' })))).toEqual([error('job/description', 'description')]);
    expect(run(jobDescriptionRule, aServiceJob({ description: 'Shop backend.' }))).toEqual([]);
  });

  it('job/datacenters: non-empty when given, names without spaces', () => {
    expect(where(run(jobDatacentersRule, aServiceJob({ datacenters: [] })))).toEqual([error('job/datacenters', 'datacenters')]);
    expect(where(run(jobDatacentersRule, aServiceJob({ datacenters: ['dc1', 'dc 2', ''] })))).toEqual([error('job/datacenters', 'datacenters[1]'), error('job/datacenters', 'datacenters[2]')]);
  });
});

describe('dependencies', () => {
  const job = (id: string, dependsOn?: unknown) => aServiceJob({ id, dependsOn });

  it('job/depends-on: reports unknown jobs and self-dependencies at the entry', () => {
    const found = where(run(jobDependsOnRule, [job('api', ['postgres', 'billing', 'api']), job('postgres')]));
    expect(found).toEqual([error('job/depends-on', 'dependsOn[1]', 'jobs/api.ts'), error('job/depends-on', 'dependsOn[2]', 'jobs/api.ts')]);
    expect(where(run(jobDependsOnRule, job('api', 'postgres')))).toEqual([error('job/depends-on', 'dependsOn', 'jobs/api.ts')]);
  });

  it('job/depends-on: names the environment and the reason when the dependency is excluded there', () => {
    const input = { env: anEnvironment(), jobs: [loaded(job('api', ['postgres', 'billing']))], excluded: [{ name: 'postgres', reason: 'needs docker' }] };
    const found = jobDependsOnRule.check(input);
    expect(where(found)).toEqual([error('job/depends-on', 'dependsOn[0]', 'jobs/api.ts'), error('job/depends-on', 'dependsOn[1]', 'jobs/api.ts')]);
    expect(found.map((d) => d.message)).toEqual(['dependsOn names "postgres", which is not deployed to qa: needs docker', 'dependsOn names "billing", which is not a job in jobs/']);
    expect(found[0]!.hint).toContain("env.is('qa') ? [] : ['postgres']");
  });

  it('job/dependency-cycle: reports each cycle once, with its path', () => {
    const jobs = [job('www', ['api']), job('api', ['db', 'www']), job('db'), job('a', ['b']), job('b', ['c']), job('c', ['a'])];
    const found = run(jobDependencyCycleRule, jobs);
    expect(where(found)).toEqual([error('job/dependency-cycle', 'dependsOn[0]', 'jobs/a.ts'), error('job/dependency-cycle', 'dependsOn[1]', 'jobs/api.ts')]);
    expect(found.map((d) => d.message)).toEqual(['Dependency cycle: a → b → c → a', 'Dependency cycle: api → www → api']);
  });

  it('job/dependency-cycle: ignores acyclic graphs and self-dependencies (reported elsewhere)', () => {
    expect(run(jobDependencyCycleRule, [job('www', ['api']), job('api', ['db', 'api']), job('db')])).toEqual([]);
  });
});
