import { describe, expect, it } from 'vitest';
import { checkHttpPathRule } from '../../../src/validate/rules/check-http-path.ts';
import { checkRestartRule } from '../../../src/validate/rules/check-restart.ts';
import { checkScriptRule } from '../../../src/validate/rules/check-script.ts';
import { checkTimingRule } from '../../../src/validate/rules/check-timing.ts';
import { checkTypeRule } from '../../../src/validate/rules/check-type.ts';
import { serviceMetaRule } from '../../../src/validate/rules/service-meta.ts';
import { serviceNameRule } from '../../../src/validate/rules/service-name.ts';
import { waitForRule } from '../../../src/validate/rules/wait-for.ts';
import { aGroup, aService, aServiceJob, aTask, error, run, warn, where } from './builders.ts';

const withServices = (...services: unknown[]) => aServiceJob({ groups: [aGroup({ services })] });
const withChecks = (...checks: unknown[]) => withServices(aService({ checks }));
const check = (i: number, key: string) => `groups[0].services[0].checks[${i}].${key}`;

describe('service/name', () => {
  it('reports names that are not RFC 1123 labels', () => {
    const found = run(serviceNameRule, withServices(aService({ name: 'api.v2' }), aService({ name: 'Api' }), aService({ name: 'a'.repeat(64) }), aService({ name: 'ok-1' })));
    expect(where(found).map((d) => d.path)).toEqual([0, 1, 2].map((i) => `groups[0].services[${i}].name`));
  });

  it('reports a name used twice in one job, even across groups', () => {
    const job = aServiceJob({ groups: [aGroup(), aGroup({ name: 'other' })] });
    expect(where(run(serviceNameRule, job))).toEqual([error('service/name', 'groups[1].services[0].name')]);
    expect(run(serviceNameRule, [aServiceJob(), aServiceJob({ id: 'b' })])).toEqual([]);
  });
});

describe('service/meta', () => {
  it('reports bad keys, reserved prefixes and non-string values by key', () => {
    const meta = { team_name: 'shop', 'team.name': 'x', 'consul-x': 'y', drover_job: 'z', size: 3 };
    expect(where(run(serviceMetaRule, withServices(aService({ meta }))))).toEqual(
      ['team.name', 'consul-x', 'drover_job', 'size'].map((key) => error('service/meta', `groups[0].services[0].meta.${key}`)),
    );
  });

  it('reports keys over 128 characters', () => {
    expect(where(run(serviceMetaRule, withServices(aService({ meta: { ['k'.repeat(129)]: 'v' } })))).map((d) => d.rule)).toEqual(['service/meta']);
  });
});

describe('service/wait-for', () => {
  it('reports waitFor services that are not Consul names', () => {
    const job = aServiceJob({ groups: [aGroup({ waitFor: [{ service: 'postgres' }, { service: 'pg; rm -rf /' }, 'redis'] })] });
    expect(where(run(waitForRule, job))).toEqual([error('service/wait-for', 'groups[0].waitFor[1].service'), error('service/wait-for', 'groups[0].waitFor[2].service')]);
  });
});

describe('checks', () => {
  it('check/type: reports unknown types', () => {
    expect(where(run(checkTypeRule, withChecks({ type: 'http', path: '/' }, { type: 'ping' })))).toEqual([error('check/type', check(1, 'type'))]);
  });

  it('check/http-path: http checks need a path starting with "/"', () => {
    expect(where(run(checkHttpPathRule, withChecks({ type: 'http', path: 'healthz' }, { type: 'http' }, { type: 'tcp' })))).toEqual([
      error('check/http-path', check(0, 'path')),
      error('check/http-path', check(1, 'path')),
    ]);
  });

  it('check/script: names a long-running task of the group and has a command', () => {
    const tasks = [aTask({ name: 'app' }), aTask({ name: 'init', lifecycle: { hook: 'prestart' } }), aTask({ name: 'side', lifecycle: { hook: 'poststart', sidecar: true } })];
    const checks = [
      { type: 'script', command: '/bin/ok', task: 'app' },
      { type: 'script', command: '/bin/ok', task: 'side' },
      { type: 'script', command: '/bin/ok', task: 'init' },
      { type: 'script', command: '', task: 'missing' },
    ];
    const job = aServiceJob({ groups: [aGroup({ tasks, services: [aService({ checks })] })] });
    expect(where(run(checkScriptRule, job))).toEqual([
      error('check/script', check(2, 'task')),
      error('check/script', check(3, 'task')),
      error('check/script', check(3, 'command')),
    ]);
  });

  it('check/timing: timeout shorter than interval, both at least 1s, defaults 10s/2s', () => {
    const found = run(checkTimingRule, withChecks(
      { type: 'tcp' },
      { type: 'tcp', interval: '5s', timeout: '5s' },
      { type: 'tcp', interval: '1s' },
      { type: 'tcp', interval: '500ms', timeout: '100ms' },
      { type: 'tcp', timeout: '900ms' },
      { type: 'tcp', interval: 'soon' },
    ));
    expect(where(found)).toEqual([
      error('check/timing', check(1, 'timeout')),
      error('check/timing', check(2, 'timeout')),
      error('check/timing', check(3, 'interval')),
      error('check/timing', check(4, 'timeout')),
    ]);
  });

  it('check/restart: limit is a non-negative integer; 0 is a warning', () => {
    const found = run(checkRestartRule, withChecks(
      { type: 'tcp', restart: { limit: 3 } },
      { type: 'tcp', restart: { limit: -1 } },
      { type: 'tcp', restart: { limit: 0 } },
      { type: 'tcp', restart: 'yes' },
    ));
    expect(where(found)).toEqual([
      error('check/restart', check(1, 'restart.limit')),
      warn('check/restart', check(2, 'restart.limit')),
      error('check/restart', 'groups[0].services[0].checks[3].restart'),
    ]);
  });
});
