import { describe, expect, it } from 'vitest';
import { fabioHealthCheckRule } from '../../../src/validate/rules/fabio-health-check.ts';
import { fabioRedirectRule } from '../../../src/validate/rules/fabio-redirect.ts';
import { fabioRouteHostRule } from '../../../src/validate/rules/fabio-route-host.ts';
import { fabioRouteKindRule } from '../../../src/validate/rules/fabio-route-kind.ts';
import { fabioRoutePathRule } from '../../../src/validate/rules/fabio-route-path.ts';
import { fabioStripPrefixRule } from '../../../src/validate/rules/fabio-strip-prefix.ts';
import { fabioTcpPortRule } from '../../../src/validate/rules/fabio-tcp-port.ts';
import { fabioTlsSkipVerifyRule } from '../../../src/validate/rules/fabio-tls-skip-verify.ts';
import { fabioUniqueRouteRule } from '../../../src/validate/rules/fabio-unique-route.ts';
import { aGroup, aService, aServiceJob, error, run, where } from './builders.ts';

const routed = (...routes: unknown[]) => aServiceJob({ groups: [aGroup({ services: [aService({ routes })] })] });
const path = (i: number, key?: string) => `groups[0].services[0].routes[${i}]${key ? `.${key}` : ''}`;

describe('fabio/unique-route', () => {
  it('reports every duplicate across jobs, naming the other job', () => {
    const api = aServiceJob({ id: 'api', groups: [aGroup({ services: [aService({ name: 'api', routes: [{ path: '/api' }] })] })] });
    const www = aServiceJob({ id: 'www', groups: [aGroup({ services: [aService({ name: 'www', routes: [{ path: '/' }, { host: 'X.example.com', path: '/api' }, { path: '/api' }] })] })] });
    const found = run(fabioUniqueRouteRule, [api, www]);
    expect(where(found)).toEqual([error('fabio/unique-route', path(0), 'jobs/api.ts'), error('fabio/unique-route', path(2), 'jobs/www.ts')]);
    expect(found[0]?.message).toContain('job "www"');
    expect(found[1]?.message).toContain('job "api"');
  });

  it('treats hosts case-insensitively and TCP routes by port', () => {
    const job = routed({ host: 'A.example.com' }, { host: 'a.example.com', path: '/' }, { kind: 'tcp', port: 5432 }, { kind: 'tcp', port: 5432 }, { kind: 'tcp', port: 5433 });
    expect(where(run(fabioUniqueRouteRule, job)).map((d) => d.path)).toEqual([path(0), path(1), path(2), path(3)]);
  });
});

describe('fabio route shape', () => {
  it('fabio/route-path: paths start with "/" and have no whitespace', () => {
    expect(where(run(fabioRoutePathRule, routed({ path: '/ok' }, { path: 'api' }, { path: '/a b' }, { kind: 'redirect', path: 'x', code: 301, to: 'https://e.com' })))).toEqual([
      error('fabio/route-path', path(1, 'path')),
      error('fabio/route-path', path(2, 'path')),
      error('fabio/route-path', path(3, 'path')),
    ]);
  });

  it('fabio/strip-prefix: strip must be a prefix of the path', () => {
    expect(where(run(fabioStripPrefixRule, routed({ path: '/api/v1', strip: '/api' }, { path: '/api', strip: '/v1' }, { strip: '/x' })))).toEqual([
      error('fabio/strip-prefix', path(1, 'strip')),
      error('fabio/strip-prefix', path(2, 'strip')),
    ]);
  });

  it('fabio/tls-skip-verify: only with https or grpcs', () => {
    expect(where(run(fabioTlsSkipVerifyRule, routed({ path: '/a', proto: 'https', tlsSkipVerify: true }, { path: '/b', tlsSkipVerify: true }, { path: '/c', proto: 'grpc', tlsSkipVerify: true })))).toEqual([
      error('fabio/tls-skip-verify', path(1, 'tlsSkipVerify')),
      error('fabio/tls-skip-verify', path(2, 'tlsSkipVerify')),
    ]);
  });

  it('fabio/redirect: 3xx redirect code and absolute http(s) target', () => {
    const ok = { kind: 'redirect', path: '/old', code: 301, to: 'https://www.example.com$path' };
    expect(where(run(fabioRedirectRule, routed(ok, { ...ok, code: 200 }, { ...ok, to: '/new' }, { ...ok, to: 'ftp://x.com/' })))).toEqual([
      error('fabio/redirect', path(1, 'code')),
      error('fabio/redirect', path(2, 'to')),
      error('fabio/redirect', path(3, 'to')),
    ]);
  });

  it('fabio/tcp-port: a port number that is not one of fabio\'s own listeners', () => {
    expect(where(run(fabioTcpPortRule, routed({ kind: 'tcp', port: 5432 }, { kind: 'tcp', port: 0 }, { kind: 'tcp', port: 9999 }, { kind: 'tcp', port: '5432' })))).toEqual([
      error('fabio/tcp-port', path(1, 'port')),
      error('fabio/tcp-port', path(2, 'port')),
      error('fabio/tcp-port', path(3, 'port')),
    ]);
  });

  it('fabio/route-host: DNS names, $DC and *. allowed, upper case allowed', () => {
    const good = [{ host: 'API.example.com' }, { host: 'api.$DC.example.com' }, { host: 'api.${DC}.x' }, { host: '*.example.com' }];
    const bad = [{ host: 'https://api.example.com' }, { host: 'api.example.com:8080' }, { host: 'api_x.com' }, { host: '' }];
    expect(where(run(fabioRouteHostRule, routed(...good, ...bad)))).toEqual([4, 5, 6, 7].map((i) => error('fabio/route-host', path(i, 'host'))));
  });

  it('fabio/route-kind: unknown kinds and protos', () => {
    expect(where(run(fabioRouteKindRule, routed({ kind: 'udp' }, { path: '/', proto: 'ws' }, { kind: 'http', proto: 'grpcs' })))).toEqual([
      error('fabio/route-kind', path(0, 'kind')),
      error('fabio/route-kind', path(1, 'proto')),
    ]);
  });
});

describe('fabio/health-check', () => {
  it('reports routed services without checks, at the checks field', () => {
    const job = aServiceJob({ groups: [aGroup({ services: [aService({ routes: [{ path: '/' }], checks: [] }), aService({ name: 'b', checks: undefined })] })] });
    expect(where(run(fabioHealthCheckRule, job))).toEqual([error('fabio/health-check', 'groups[0].services[0].checks')]);
  });
});
