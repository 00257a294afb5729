import { describe, expect, it } from 'vitest';
import { jobBuildFileNames, RESERVED_BUILD_FILES } from '../../../src/render/build-files.ts';
import { jobReservedIdRule } from '../../../src/validate/rules/job-reserved-id.ts';
import { aServiceJob, error, run, where } from './builders.ts';

describe('job/reserved-id', () => {
  it('refuses a job named plan: its build/<env>/plan.json is the file `drover plan` saves', () => {
    const found = run(jobReservedIdRule, aServiceJob({ id: 'plan' }));
    expect(where(found)).toEqual([error('job/reserved-id', 'id', 'jobs/plan.ts')]);
    expect(found[0]?.message).toBe('Job ID "plan" would render to build/qa/plan.json, the file `drover plan qa` writes there');
    expect(found[0]?.hint).toContain('Give the job another ID');
  });

  it('accepts names that only start or end like a reserved file', () => {
    for (const id of ['plans', 'plan-api', 'my-plan', 'api']) expect(run(jobReservedIdRule, aServiceJob({ id })), id).toEqual([]);
  });

  it('reserves every file of build/<env>/ that no job renders, and no job file name', () => {
    for (const reserved of RESERVED_BUILD_FILES) {
      const id = reserved.name.replace(/(?:\.nomad\.hcl|\.json)$/, '');
      if (jobBuildFileNames(id).includes(reserved.name)) expect(where(run(jobReservedIdRule, aServiceJob({ id })))).toHaveLength(1);
    }
  });
});
