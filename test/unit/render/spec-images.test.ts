import { describe, expect, it } from 'vitest';
import dev from '../../../environments/dev.ts';
import prod from '../../../environments/prod.ts';
import qa from '../../../environments/qa.ts';
import { jobImages } from '../../../src/release/fingerprint.ts';
import { renderJob } from '../../../src/render/job.ts';
import { specImages } from '../../../src/render/spec-images.ts';
import { aContext } from '../../support/environments.ts';
import { buildExampleJobs } from '../../support/example-jobs.ts';

describe('specImages', () => {
  it.each([qa, prod, dev].map((env) => [env.name, env] as const))('lists exactly the images of the rendered job, in task order, for every example job (%s)', async (_name, env) => {
    const jobs = await buildExampleJobs(env);
    let seen = 0;
    const imageless = env.name === 'dev';
    for (const { spec } of jobs) {
      const rendered = jobImages(renderJob(spec, aContext(env))).map((image) => image.reference);
      expect(specImages(spec), spec.id).toEqual(rendered);
      seen += rendered.length;
    }
    // dev runs every example with raw_exec (no image at all); qa and prod must have compared some.
    if (imageless) expect(seen).toBe(0);
    else expect(seen).toBeGreaterThan(0);
  });
});
