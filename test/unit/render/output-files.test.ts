import { describe, expect, it } from 'vitest';
import { renderOutputFiles, renderOutputs } from '../../../src/render/outputs.ts';
import { environments } from '../../support/environments.ts';
import { buildExampleJobs } from '../../support/example-jobs.ts';

describe('renderOutputFiles', () => {
  it.each(environments.map((env) => [env.name, env] as const))('yields the files of renderOutputs for %s, the same bytes in the same order', async (_name, env) => {
    const jobs = await buildExampleJobs(env);
    const ctx = { env, project: 'shop', gitSha: 'a'.repeat(40), release: 'r-1' };
    const files = renderOutputs(jobs, ctx).files;
    expect(files.length).toBeGreaterThan(jobs.length * 2);
    expect([...renderOutputFiles(jobs, ctx)]).toEqual(files);
    // --job: one job's files, with every job's policies and dashboards.
    expect([...renderOutputFiles(jobs.slice(0, 1), ctx, jobs)]).toEqual(renderOutputs(jobs.slice(0, 1), ctx, jobs).files);
  });
});
