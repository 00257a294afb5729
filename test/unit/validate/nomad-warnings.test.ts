/**
 * Rules that raise, during validation, what Nomad 2.0.5 would warn about on plan and register —
 * the sandbox answers the same texts (test/sandbox/nomad-warnings.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { serviceShutdownDelayRule } from '../../../src/validate/rules/service-shutdown-delay.ts';
import { updateAutoPromoteRule } from '../../../src/validate/rules/update-auto-promote.ts';
import { updateMaxParallelCountRule } from '../../../src/validate/rules/update-max-parallel-count.ts';
import { aBatchJob, aGroup, anEnvironment, aServiceJob, aSystemJob, run, warn, where } from './builders.ts';

describe('service/shutdown-delay', () => {
  const RULE = 'service/shutdown-delay';

  it('warns about a group with services and no shutdownDelay, quoting Nomad', () => {
    const [found] = run(serviceShutdownDelayRule, aServiceJob({ groups: [aGroup({ shutdownDelay: undefined })] }));
    expect(where([found!])).toEqual([warn(RULE, 'groups[0].shutdownDelay')]);
    expect(found!.message).toContain('group "app" defines services, but neither the group nor any of its tasks have shutdown_delay set');
    expect(found!.hint).toContain("shutdownDelay: '5s'");
  });

  it('counts a zero delay as none, and says nothing about groups without services or with a delay', () => {
    expect(where(run(serviceShutdownDelayRule, aServiceJob({ groups: [aGroup({ shutdownDelay: '0s' })] })))).toEqual([warn(RULE, 'groups[0].shutdownDelay')]);
    expect(run(serviceShutdownDelayRule, [aServiceJob(), aBatchJob({ groups: [aGroup({ services: undefined, shutdownDelay: undefined })] })])).toEqual([]);
    // Not a duration: duration/format reports it.
    expect(run(serviceShutdownDelayRule, aServiceJob({ groups: [aGroup({ shutdownDelay: 'soon' })] }))).toEqual([]);
  });
});

describe('update/max-parallel-count', () => {
  const RULE = 'update/max-parallel-count';

  it('warns where maxParallel is written when it is above a count above 1', () => {
    const group = aGroup({ count: 2, update: { strategy: 'rolling', maxParallel: 3 } });
    const [found] = run(updateMaxParallelCountRule, aServiceJob({ groups: [group] }));
    expect(where([found!])).toEqual([warn(RULE, 'groups[0].update.maxParallel')]);
    expect(found!.message).toContain('Update max parallel count is greater than task group count (3 > 2)');
    const inherited = aServiceJob({ update: { strategy: 'rolling', maxParallel: 4 }, groups: [aGroup({ count: 3 })] });
    expect(where(run(updateMaxParallelCountRule, inherited))).toEqual([warn(RULE, 'update.maxParallel')]);
  });

  it('follows Nomad: not for a count of 1, system jobs (count 1) or batch jobs (no update block)', () => {
    expect(run(updateMaxParallelCountRule, aServiceJob({ groups: [aGroup({ count: 1, update: { strategy: 'rolling', maxParallel: 3 } })] }))).toEqual([]);
    expect(run(updateMaxParallelCountRule, aSystemJob({ update: { strategy: 'rolling', maxParallel: 5 } }))).toEqual([]);
    expect(run(updateMaxParallelCountRule, aBatchJob({ update: { strategy: 'rolling', maxParallel: 5 }, groups: [aGroup({ count: 2, services: undefined })] }))).toEqual([]);
    expect(run(updateMaxParallelCountRule, aServiceJob({ groups: [aGroup({ count: 3, update: { strategy: 'rolling', maxParallel: 3 } })] }))).toEqual([]);
  });
});

describe('update/auto-promote', () => {
  const RULE = 'update/auto-promote';
  const canary = (promotion?: string) => ({ strategy: 'canary', canaries: 1, ...(promotion ? { promotion } : {}) });

  it('warns when some canary groups promote automatically and others do not, at the first that does not', () => {
    const job = aServiceJob({ groups: [aGroup({ name: 'web', update: canary('auto') }), aGroup({ name: 'admin', update: canary('manual') })] });
    const [found] = run(updateAutoPromoteRule, job);
    expect(where([found!])).toEqual([warn(RULE, 'groups[1].update.promotion')]);
    expect(found!.message).toContain('auto_promote must be true for all groups to enable automatic promotion');
    // The environment's mode fills in where a group says nothing.
    const inherited = aServiceJob({ groups: [aGroup({ name: 'web', update: canary() }), aGroup({ name: 'admin', update: canary('manual') })] });
    expect(where(run(updateAutoPromoteRule, inherited, { env: anEnvironment({ promotion: { canary: 'auto' } }) }))).toEqual([warn(RULE, 'groups[1].update.promotion')]);
  });

  it('accepts one mode for every canary group, and ignores groups that deploy no canaries', () => {
    const same = aServiceJob({ update: canary('auto'), groups: [aGroup({ name: 'web' }), aGroup({ name: 'admin' })] });
    expect(run(updateAutoPromoteRule, same)).toEqual([]);
    const rolling = aServiceJob({ groups: [aGroup({ name: 'web', update: canary('auto') }), aGroup({ name: 'admin', update: { strategy: 'rolling' } })] });
    expect(run(updateAutoPromoteRule, rolling)).toEqual([]);
  });
});
