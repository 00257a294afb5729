import { describe, expect, it } from 'vitest';
import dev from '../../../environments/dev.ts';
import prod from '../../../environments/prod.ts';
import qa from '../../../environments/qa.ts';
import type { Environment } from '../../../src/config/environment.ts';
import { defineJob, type JobDefinition } from '../../../src/model/define-job.ts';
import type { JobSpec } from '../../../src/model/job.ts';
import { envVaryingPaths, fingerprintJobs, formatPath } from '../../../src/release/fingerprint.ts';
import { loadExampleJobs } from '../../support/example-jobs.ts';

const definitions = (await loadExampleJobs()).map(({ definition }) => ({ value: definition }));
const context = { project: 'drover', gitSha: '0123456789abcdef0123456789abcdef01234567', release: 'r-20240131-094500-0123456' };

/** Fingerprints of `defs` as rendered for `target`, by job id. */
function fingerprints(target: Environment, defs = definitions, ctx: Partial<typeof context> & { images?: Record<string, string> } = {}) {
  return fingerprintJobs({ definitions: defs, environments: [qa, prod], target, context: { ...context, ...ctx } });
}

/** The example definitions with job `id` changed by `edit` (applied to a deep copy, for every environment). */
function editJob(id: string, edit: (spec: any, env: Environment) => void) {
  return definitions.map(({ value }): { value: JobDefinition } => ({
    value: defineJob((env) => {
      const spec = structuredClone(value.build(env)) as JobSpec;
      if (spec.id === id) edit(spec, env);
      return spec;
    }),
  }));
}

describe('environment-free job fingerprints', () => {
  const inQa = fingerprints(qa);
  const inProd = fingerprints(prod);

  it.each([...inQa.keys()])('gives %s the same hash for qa and prod renders of the same commit', (id) => {
    expect(inProd.get(id)!.envFreeHash).toBe(inQa.get(id)!.envFreeHash);
    expect(inProd.get(id)!.maskedPaths).toEqual(inQa.get(id)!.maskedPaths);
    expect(inProd.get(id)!.images).toEqual(inQa.get(id)!.images);
  });

  it('masks what the definitions vary by environment, and nothing else', () => {
    expect(inQa.get('api')!.maskedPaths).toEqual(
      expect.arrayContaining([
        'Datacenters',
        'Meta["drover.env"]',
        'TaskGroups[0].Count',
        'TaskGroups[0].Scaling.Max',
        'TaskGroups[0].Services[0].Tags[1]',
        'TaskGroups[0].Spreads',
        'TaskGroups[0].Tasks[1].Resources.CPU',
        'TaskGroups[0].Update.AutoPromote',
      ]),
    );
    expect(inQa.get('api')!.maskedPaths.some((p) => p.includes('image') || p.includes('Env'))).toBe(false);
    expect(inQa.get('worker')!.maskedPaths).toContain('TaskGroups[0].Tasks[0].Config.args[1]');
    expect(inQa.get('db-backup')!.maskedPaths).toContain('Periodic.Specs[0]');
  });

  it('ignores the commit and release label, which change with every release', () => {
    const later = fingerprints(prod, definitions, { gitSha: 'f'.repeat(40), release: 'r-20240201-000000-fffffff' });
    for (const [id, fingerprint] of inQa) expect(later.get(id)!.envFreeHash).toBe(fingerprint.envFreeHash);
  });

  it('records every task image with its repository and tag', () => {
    expect(inQa.get('api')!.images.map((i) => i.reference)).toContain('ghcr.io/example-shop/api:1.8.2');
    expect(inQa.get('api')!.images.find((i) => i.reference === 'ghcr.io/example-shop/api:1.8.2')).toEqual({ reference: 'ghcr.io/example-shop/api:1.8.2', repository: 'ghcr.io/example-shop/api', tag: '1.8.2' });
  });

  it('changes the hash when an image changes', () => {
    const bumped = fingerprints(prod, editJob('api', (spec) => (spec.groups[0].tasks[0].image = 'ghcr.io/example-shop/api:1.9.0')));
    expect(bumped.get('api')!.envFreeHash).not.toBe(inQa.get('api')!.envFreeHash);
    expect(bumped.get('www')!.envFreeHash).toBe(inQa.get('www')!.envFreeHash);
  });

  it('changes the hash when a field that does not depend on the environment changes', () => {
    const edited = fingerprints(prod, editJob('worker', (spec) => (spec.groups[0].tasks[0].env.QUEUE_NAME = 'orders-v2')));
    expect(edited.get('worker')!.envFreeHash).not.toBe(inQa.get('worker')!.envFreeHash);
    expect(edited.get('worker')!.maskedPaths).toEqual(inQa.get('worker')!.maskedPaths);
  });

  it('changes the masked paths when a field starts varying by environment', () => {
    const edited = fingerprints(prod, editJob('worker', (spec, env) => (spec.groups[0].tasks[0].env.QUEUE_NAME = `orders-${env.name}`)));
    expect(edited.get('worker')!.maskedPaths).toContain('TaskGroups[0].Tasks[0].Env.QUEUE_NAME');
    expect(edited.get('worker')!.envFreeHash).not.toBe(inQa.get('worker')!.envFreeHash);
  });

  it('pins images by repository, so prod renders QA\'s exact reference', () => {
    const digest = `ghcr.io/example-shop/api:1.8.2@sha256:${'c'.repeat(64)}`;
    const pinned = fingerprints(prod, definitions, { images: { 'ghcr.io/example-shop/api': digest } });
    expect(pinned.get('api')!.images.map((i) => i.reference)).toContain(digest);
    expect(pinned.get('api')!.images.find((i) => i.reference === digest)!.digest).toBe(`sha256:${'c'.repeat(64)}`);
  });
});

describe('fingerprints in a project with a standalone dev environment', () => {
  const withDev = (target: Environment, defs = definitions) => fingerprintJobs({ definitions: defs, environments: [dev, qa, prod], target, context });

  it('compares only the release chain: dev\'s raw_exec variants mask nothing in qa and prod', () => {
    const inQa = fingerprints(qa);
    for (const [id, fingerprint] of withDev(qa)) expect(fingerprint, id).toEqual(inQa.get(id));
    expect(withDev(qa).get('api')!.maskedPaths.some((p) => p.includes('Config') || p.includes('Env'))).toBe(false);
  });

  it('renders a job excluded from an environment neither there nor as that environment\'s fingerprint', () => {
    const built: string[] = [];
    const only = [{ value: defineJob((env) => (built.push(env.name), { id: 'db', kind: 'batch', groups: [] }), { excludeFrom: { prod: 'not in prod' } as never }) }];
    expect([...withDev(prod, only).keys()]).toEqual([]);
    expect([...withDev(qa, only).keys()]).toEqual(['db']);
    expect(built).toEqual(['qa']);
  });
});

describe('fingerprintJobs errors', () => {
  it('names the file and environment of a job that does not build there (exit 65)', () => {
    const broken = [{ file: 'jobs/broken.ts', value: defineJob((env) => env.pick<JobSpec>({ qa: { id: 'broken', kind: 'batch', groups: [] } } as never)) }];
    expect(() => fingerprints(qa, broken)).toThrow(expect.objectContaining({ exitCode: 65, message: expect.stringMatching(/^jobs\/broken\.ts does not build for environment prod: env\.pick\(\) has no value/) }));
  });
});

describe('envVaryingPaths', () => {
  it('masks a whole value whose type or array length differs, and recurses into equal shapes', () => {
    const paths = envVaryingPaths([
      { A: 1, B: [1, 2], C: { D: 'x', E: 'same' }, F: undefined },
      { A: 1, B: [1, 2, 3], C: { D: 'y', E: 'same' }, F: [1] },
    ]).map(formatPath);
    expect(paths).toEqual(['B', 'C.D', 'F']);
  });

  it('writes keys that are not identifiers in brackets', () => {
    expect(formatPath(['Meta', 'drover.env'])).toBe('Meta["drover.env"]');
    expect(formatPath(['TaskGroups', 0, 'Tasks', 1, 'Config', 'args', 3])).toBe('TaskGroups[0].Tasks[1].Config.args[3]');
  });
});
