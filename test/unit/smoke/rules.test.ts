import { describe, expect, it } from 'vitest';
import { rules } from '../../../src/validate/rules/index.ts';
import { smokePathRule } from '../../../src/validate/rules/smoke-path.ts';
import { smokePatternRule } from '../../../src/validate/rules/smoke-pattern.ts';
import { smokeRequestRule } from '../../../src/validate/rules/smoke-request.ts';
import { smokeRouteRule } from '../../../src/validate/rules/smoke-route.ts';
import { smokeStatusRule } from '../../../src/validate/rules/smoke-status.ts';
import { smokeTimingRule } from '../../../src/validate/rules/smoke-timing.ts';
import { aGroup, anEnvironment, aService, aServiceJob, error, run, warn, where } from '../validate/builders.ts';

/** A job `app` with an HTTP route on `/app` and the given smoke checks. */
const routed = (...smoke: unknown[]) => aServiceJob({ smoke, groups: [aGroup({ services: [aService({ routes: [{ path: '/app' }] })] })] });
const check = (overrides: Record<string, unknown> = {}) => ({ name: 'home', via: 'fabio', path: '/app', ...overrides });
const withFabio = anEnvironment({ fabio: { domain: 'qa.example.internal', address: 'http://fabio.qa:9999' } });

describe('smoke check rules', () => {
  it('are registered with the other job rules', () => {
    const ids = rules.map((r) => r.id);
    for (const id of ['smoke/path', 'smoke/pattern', 'smoke/request', 'smoke/route', 'smoke/status', 'smoke/timing']) expect(ids).toContain(id);
  });

  it('accept a complete, valid check', () => {
    const job = routed(check({ method: 'HEAD', expectStatus: 204, bodyPattern: '^ok$', maxLatencyMs: 500, retries: 0, retryDelayMs: 100 }));
    for (const rule of [smokePathRule, smokePatternRule, smokeRequestRule, smokeRouteRule, smokeStatusRule, smokeTimingRule]) expect(run(rule, job, { env: withFabio })).toEqual([]);
  });

  it.each(['app', '', '/with space', 42])('smoke/path: rejects path %j', (path) => {
    expect(where(run(smokePathRule, routed(check({ path }))))).toEqual([error('smoke/path', 'smoke[0].path')]);
  });

  it.each([99, 600, 200.5, '200'])('smoke/status: rejects expectStatus %j', (expectStatus) => {
    expect(where(run(smokeStatusRule, routed(check({ expectStatus }))))).toEqual([error('smoke/status', 'smoke[0].expectStatus')]);
  });

  it('smoke/pattern: rejects a pattern that does not compile, quoting the engine', () => {
    const [diagnostic] = run(smokePatternRule, routed(check({ bodyPattern: '(unclosed' })));
    expect(diagnostic).toMatchObject({ rule: 'smoke/pattern', location: { path: 'smoke[0].bodyPattern' }, message: expect.stringMatching(/does not compile: .*Unterminated group/) });
  });

  it('smoke/request: rejects duplicate names, unknown via and methods', () => {
    const diagnostics = run(smokeRequestRule, routed(check(), check(), check({ name: 'b', via: 'dns' }), check({ name: 'c', method: 'get' }), check({ name: ' ' })));
    expect(where(diagnostics)).toEqual([error('smoke/request', 'smoke[1].name'), error('smoke/request', 'smoke[2].via'), error('smoke/request', 'smoke[3].method'), error('smoke/request', 'smoke[4].name')]);
  });

  it('smoke/timing: rejects negative retries and non-integer latency', () => {
    expect(where(run(smokeTimingRule, routed(check({ retries: -1, maxLatencyMs: 0.5 }))))).toEqual([error('smoke/timing', 'smoke[0].maxLatencyMs'), error('smoke/timing', 'smoke[0].retries')]);
  });

  it('smoke/route: a check via fabio needs an HTTP route on the job', () => {
    const unrouted = aServiceJob({ smoke: [check()] });
    const tcpOnly = aServiceJob({ smoke: [check()], groups: [aGroup({ services: [aService({ routes: [{ kind: 'tcp', port: 5432 }] })] })] });
    expect(where(run(smokeRouteRule, [unrouted], { env: withFabio }))).toEqual([error('smoke/route', 'smoke[0].via')]);
    expect(where(run(smokeRouteRule, [tcpOnly], { env: withFabio }))).toEqual([error('smoke/route', 'smoke[0].via')]);
  });

  it('smoke/route: a check via consul needs a service', () => {
    const job = aServiceJob({ smoke: [check({ via: 'consul' })], groups: [aGroup({ services: [] })] });
    expect(where(run(smokeRouteRule, job))).toEqual([error('smoke/route', 'smoke[0].via')]);
  });

  it('smoke/route: warns where releases are verified but fabio.address is missing, not in prod', () => {
    expect(where(run(smokeRouteRule, routed(check())))).toEqual([warn('smoke/route', 'smoke[0].via')]);
    const prod = anEnvironment({ name: 'prod', promotion: { releasesFrom: 'qa' } });
    expect(run(smokeRouteRule, routed(check()), { env: prod })).toEqual([]);
  });

  it('smoke/route: reports a malformed fabio.address once', () => {
    const env = anEnvironment({ fabio: { domain: 'qa.example.internal', address: 'fabio.qa:9999' } });
    expect(run(smokeRouteRule, routed(check(), check({ name: 'second' })), { env })).toHaveLength(1);
  });
});
