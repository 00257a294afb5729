import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/render/canonical-json.ts';
import { renderJob } from '../../src/render/job.ts';
import { aContext, environments } from '../support/environments.ts';
import { buildExampleJobs } from '../support/example-jobs.ts';

/**
 * Every example job rendered for every environment, stored as readable JSON files next to this test
 * (`rendered/<env>/<job>.json`), so a change to the renderer shows up in review as a diff of the
 * jobs Nomad will receive. Update deliberately with `npx vitest run test/jobs -u`.
 */
describe.each(environments.map((env) => [env.name, env] as const))('example jobs in %s', async (envName, env) => {
  const jobs = await buildExampleJobs(env);

  it.each(jobs.map((j) => [j.spec.id, j] as const))('%s renders as committed', async (id, { spec }) => {
    await expect(canonicalJson({ Job: renderJob(spec, aContext(env)) })).toMatchFileSnapshot(`./rendered/${envName}/${id}.json`);
  });
});
