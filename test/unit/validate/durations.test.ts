import { describe, expect, it } from 'vitest';
import { durationFormatRule } from '../../../src/validate/rules/duration-format.ts';
import { aGroup, aService, aServiceJob, aTask, error, run, where } from './builders.ts';

describe('duration/format', () => {
  it('accepts Go durations and "0"', () => {
    const job = aServiceJob({ update: { strategy: 'rolling', minHealthyTime: '0', healthyDeadline: '1m30s', progressDeadline: '10m' } });
    expect(run(durationFormatRule, job)).toEqual([]);
  });

  it('reports every malformed Duration field in the model with its exact path', () => {
    const bad = '5 minutes';
    const service = aService({ checks: [{ type: 'tcp', interval: bad, timeout: '-1s', restart: { limit: 1, grace: 10 } }] });
    const group = aGroup({
      shutdownDelay: bad,
      update: { strategy: 'rolling', minHealthyTime: bad, healthyDeadline: bad, progressDeadline: bad },
      restart: { attempts: 1, interval: bad, delay: bad },
      reschedule: { delay: bad, interval: bad, maxDelay: bad },
      migrate: { minHealthyTime: bad, healthyDeadline: bad },
      scaling: { min: 1, max: 2, target: { kind: 'cpu', percent: 50 }, cooldown: bad, evaluationInterval: bad },
      services: [service],
      tasks: [aTask({ killTimeout: '1e3s' })],
    });
    const job = aServiceJob({ update: { strategy: 'rolling', healthyDeadline: '5mins' }, groups: [group] });
    expect(where(run(durationFormatRule, job)).map((d) => d.path).sort()).toEqual([
      'groups[0].migrate.healthyDeadline',
      'groups[0].migrate.minHealthyTime',
      'groups[0].reschedule.delay',
      'groups[0].reschedule.interval',
      'groups[0].reschedule.maxDelay',
      'groups[0].restart.delay',
      'groups[0].restart.interval',
      'groups[0].scaling.cooldown',
      'groups[0].scaling.evaluationInterval',
      'groups[0].services[0].checks[0].interval',
      'groups[0].services[0].checks[0].restart.grace',
      'groups[0].services[0].checks[0].timeout',
      'groups[0].shutdownDelay',
      'groups[0].tasks[0].killTimeout',
      'groups[0].update.healthyDeadline',
      'groups[0].update.minHealthyTime',
      'groups[0].update.progressDeadline',
      'update.healthyDeadline',
    ]);
  });

  it('reports required durations that are missing (restart interval/delay, reschedule delay)', () => {
    const job = aServiceJob({ groups: [aGroup({ restart: { attempts: 1 }, reschedule: {} })] });
    expect(where(run(durationFormatRule, job))).toEqual([
      error('duration/format', 'groups[0].restart.interval'),
      error('duration/format', 'groups[0].restart.delay'),
      error('duration/format', 'groups[0].reschedule.delay'),
    ]);
  });

  it('reports durations too long for exact nanoseconds in JSON', () => {
    expect(where(run(durationFormatRule, aServiceJob({ groups: [aGroup({ shutdownDelay: '3000h' })] })))).toEqual([error('duration/format', 'groups[0].shutdownDelay')]);
  });
});
