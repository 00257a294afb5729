/**
 * The simulated Fabio's table as a pure function: urlprefix tags to routes, Fabio's weight
 * arithmetic for `route weight`, lookup order, strip and weighted picks.
 */
import { describe, expect, it } from 'vitest';
import { parseRouteConfig } from '../../src/canary/route-grammar.ts';
import { concatenateOverrides, passingInstances } from '../../src/sandbox/fabio/consul-registry.ts';
import { buildRouteTable, lookupRoute, pickTarget, upstreamPath, type RoutedInstance } from '../../src/sandbox/fabio/route-table.ts';
import { parseUrlprefixTag } from '../../src/sandbox/fabio/urlprefix.ts';

const instance = (serviceId: string, tags: readonly string[], service = 'web'): RoutedInstance => ({ service, serviceId, address: '127.0.0.1', port: 20000 + serviceId.length, tags });
const commands = (text: string) => parseRouteConfig(text).commands;
const shares = (text: string, instances: readonly RoutedInstance[]): Record<string, number> =>
  Object.fromEntries(buildRouteTable(instances, commands(text)).routes[0]!.targets.map((t) => [t.serviceId, Number(t.share.toFixed(6))]));

describe('urlprefix tags', () => {
  it('reads host, path and strip, and leaves what it cannot route unsupported', () => {
    expect(parseUrlprefixTag('urlprefix-Shop.Example.com/api strip=/api tlsskipverify=true')).toEqual({ kind: 'route', route: { host: 'shop.example.com', path: '/api', strip: '/api' } });
    expect(parseUrlprefixTag('urlprefix-/')).toEqual({ kind: 'route', route: { host: '', path: '/' } });
    expect(parseUrlprefixTag('urlprefix-:3306 proto=tcp').kind).toBe('unsupported');
    expect(parseUrlprefixTag('urlprefix-mysite.com').kind).toBe('unsupported');
    expect(parseUrlprefixTag('urlprefix-/x proto=https').kind).toBe('unsupported');
    expect(parseUrlprefixTag('urlprefix-/x redirect=301,https://example.com/').kind).toBe('unsupported');
    expect(parseUrlprefixTag('canary')).toEqual({ kind: 'not-urlprefix' });
  });
});

describe('route weight arithmetic', () => {
  const three = [instance('a', ['urlprefix-/web']), instance('b', ['urlprefix-/web']), instance('c', ['urlprefix-/web', 'canary'])];

  it('gives the tagged targets w and the others 1 - w, split evenly', () => {
    expect(shares('route weight web /web weight 0.25 tags "canary"', three)).toEqual({ a: 0.375, b: 0.375, c: 0.25 });
  });

  it('splits w between several tagged targets', () => {
    const two = [...three, instance('d', ['urlprefix-/web', 'canary'])];
    expect(shares('route weight web /web weight 0.5 tags "canary"', two)).toEqual({ a: 0.25, b: 0.25, c: 0.25, d: 0.25 });
  });

  it('sends everything to the tagged targets at weight 1 and when every target is tagged', () => {
    expect(shares('route weight web /web weight 1 tags "canary"', three)).toEqual({ a: 0, b: 0, c: 1 });
    expect(shares('route weight web /web weight 0.2 tags "canary"', [three[2]!])).toEqual({ c: 1 });
  });

  it('reads weight 0 as no fixed weight, and ignores rules for other tags, services or sources', () => {
    const even = { a: 0.333333, b: 0.333333, c: 0.333333 };
    expect(shares('route weight web /web weight 0 tags "canary"', three)).toEqual(even);
    expect(shares('route weight web /web weight 0.25 tags "blue"', three)).toEqual(even);
    expect(shares('route weight api /web weight 0.25 tags "canary"', three)).toEqual(even);
    expect(shares('route weight web /other weight 0.25 tags "canary"', three)).toEqual(even);
  });

  it('applies service-less rules and the last rule for the same targets', () => {
    expect(shares('route weight /web weight 0.1 tags "canary"\nroute weight web /web weight 0.4 tags "canary"', three)).toEqual({ a: 0.3, b: 0.3, c: 0.4 });
  });

  it('normalises fixed weights summing above 1', () => {
    const tagged = [instance('a', ['urlprefix-/web', 'blue']), instance('b', ['urlprefix-/web', 'green'])];
    expect(shares('route weight web /web weight 0.9 tags "blue"\nroute weight web /web weight 0.6 tags "green"', tagged)).toEqual({ a: 0.6, b: 0.4 });
  });
});

describe('lookup', () => {
  const table = buildRouteTable([instance('root', ['urlprefix-/'], 'site'), instance('api', ['urlprefix-/api strip=/api'], 'api'), instance('shop', ['urlprefix-shop.example.com/'], 'shop')], []);

  it('tries the request host first, then host-less routes, longest path first', () => {
    expect(table.routes.map((r) => `${r.host}${r.path}`)).toEqual(['shop.example.com/', '/api', '/']);
    expect(lookupRoute(table.routes, 'Shop.Example.com:80', '/api/x')?.host).toBe('shop.example.com');
    expect(lookupRoute(table.routes, 'other', '/api/x')?.path).toBe('/api');
    expect(lookupRoute(table.routes, 'other', '/x')?.path).toBe('/');
    expect(lookupRoute(buildRouteTable([], []).routes, 'any', '/')).toBeUndefined();
  });

  it('strips the prefix, keeping a leading slash and the query', () => {
    const target = lookupRoute(table.routes, 'other', '/api')!.targets[0]!;
    expect([upstreamPath(target, '/api/users?x=1'), upstreamPath(target, '/api'), upstreamPath(target, '/apix')]).toEqual(['/users?x=1', '/', '/x']);
  });

  it('picks targets by cumulative share and never one with share 0', () => {
    const route = buildRouteTable([instance('a', ['urlprefix-/w']), instance('b', ['urlprefix-/w', 'canary'])], commands('route weight web /w weight 1 tags "canary"')).routes[0]!;
    expect([0, 0.5, 0.999999].map((draw) => pickTarget(route, draw)?.serviceId)).toEqual(['b', 'b', 'b']);
  });

  it('reports route commands it does not apply', () => {
    expect(buildRouteTable([], commands('route add web /x http://127.0.0.1:1/\nroute del web')).problems).toHaveLength(2);
  });
});

describe('what the simulated Fabio reads from Consul', () => {
  const check = (node: string, checkId: string, status: string, serviceId = '', tags: string[] = []) => ({ Node: node, CheckID: checkId, Status: status, ServiceID: serviceId, ServiceName: serviceId ? 'web' : '', ServiceTags: tags });

  it('routes instances with a passing check on healthy nodes, as Fabio does', () => {
    const passing = passingInstances([
      check('n1', 'serfHealth', 'passing'),
      check('n1', 'c1', 'passing', 'ok', ['urlprefix-/web']),
      check('n1', 'c2', 'critical', 'sick', ['urlprefix-/web']),
      check('n1', 'c3', 'passing', 'untagged', ['other']),
      check('n1', 'c4', 'passing', 'maint', ['urlprefix-/web']),
      check('n1', '_service_maintenance:maint', 'critical'),
      check('n2', 'serfHealth', 'critical'),
      check('n2', 'c5', 'passing', 'deadnode', ['urlprefix-/web']),
    ]);
    expect([...passing.keys()]).toEqual(['n1.ok']);
  });

  it('concatenates KV overrides in key order with comment separators', () => {
    const value = (text: string): string => Buffer.from(text).toString('base64');
    expect(concatenateOverrides([{ Key: 'fabio/config/b', Value: value('route weight b /b weight 0.5\n') }, { Key: 'fabio/config/a', Value: value('  # a\n') }, { Key: 'fabio/config/c', Value: null }])).toBe(
      '# --- fabio/config/a\n# a\n\n# --- fabio/config/b\nroute weight b /b weight 0.5\n\n# --- fabio/config/c\n',
    );
  });
});
