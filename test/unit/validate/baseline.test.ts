import { describe, expect, it } from 'vitest';
import { rules } from '../../../src/validate/rules/index.ts';
import { validateJobs } from '../../../src/validate/validate.ts';
import { aBatchJob, anEnvironment, aServiceJob, aSystemJob, loaded, where } from './builders.ts';

describe('rule set', () => {
  it('registers every rule once, with ids like area/name', () => {
    const ids = rules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+\/[a-z0-9-]+$/);
  });

  it('finds nothing wrong with the builders\' jobs', () => {
    const jobs = [aServiceJob(), aBatchJob(), aSystemJob()].map((job) => loaded(job));
    expect(where(validateJobs({ env: anEnvironment(), jobs }))).toEqual([]);
  });

  it('gives every diagnostic a message and a hint', () => {
    const broken = aServiceJob({ priority: 0, groups: [] });
    for (const d of validateJobs({ env: anEnvironment(), jobs: [loaded(broken)] })) {
      expect(d.message.length).toBeGreaterThan(10);
      expect(d.hint.length).toBeGreaterThan(10);
    }
  });
});
