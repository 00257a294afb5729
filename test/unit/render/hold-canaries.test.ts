import { describe, expect, it } from 'vitest';
import dev from '../../../environments/dev.ts';
import prod from '../../../environments/prod.ts';
import qa from '../../../environments/qa.ts';
import { canonicalJson } from '../../../src/render/canonical-json.ts';
import { holdCanaries } from '../../../src/render/hold-canaries.ts';
import { renderJob } from '../../../src/render/job.ts';
import { aContext } from '../../support/environments.ts';
import { buildExampleJobs } from '../../support/example-jobs.ts';

describe('holdCanaries', () => {
  it.each([qa, prod, dev].map((env) => [env.name, env] as const))('equals rendering with holdCanaries, byte for byte, for every example job (%s)', async (_name, env) => {
    const jobs = await buildExampleJobs(env);
    expect(jobs.length).toBeGreaterThan(0);
    for (const { spec } of jobs) {
      const expected = canonicalJson(renderJob(spec, aContext(env, { holdCanaries: true })));
      expect(canonicalJson(holdCanaries(renderJob(spec, aContext(env)))), spec.id).toBe(expected);
    }
  });

  it('turns an auto-promoting canary group into a held one with a new spec hash', async () => {
    const api = (await buildExampleJobs(qa)).find((j) => j.spec.id === 'api')!;
    const rendered = renderJob(api.spec, aContext(qa));
    expect(rendered.TaskGroups[0]!.Update).toMatchObject({ Canary: 1, AutoPromote: true });
    const held = holdCanaries(rendered);
    expect(held.TaskGroups[0]!.Update).toMatchObject({ Canary: 1, AutoPromote: false });
    expect(held.Meta?.['drover.spec_hash']).not.toBe(rendered.Meta?.['drover.spec_hash']);
    expect(holdCanaries(held)).toBe(held);
  });
});
