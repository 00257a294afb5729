import { describe, expect, it } from 'vitest';
import type { ConsulClient } from '../../../src/clients/consul/index.ts';
import { canaryRuleKey, formatWeight, removeWeightRule, renderRuleValue, renderWeightRule, writeWeightRule } from '../../../src/canary/fabio-weights.ts';
import { parseRouteCommand, parseRouteConfig } from '../../../src/canary/route-grammar.ts';

describe('renderWeightRule', () => {
  it('renders the route weight command of fabio.md §4 exactly', () => {
    expect(renderWeightRule({ service: 'api', routeSource: '/api', weight: 0.05 })).toBe('route weight api /api weight 0.05 tags "canary"');
    expect(renderWeightRule({ service: 'shop', routeSource: 'shop.example.com/', weight: 0.25, tag: 'blue' })).toBe('route weight shop shop.example.com/ weight 0.25 tags "blue"');
    expect(renderWeightRule({ service: 'db', routeSource: ':3306', weight: 1 })).toBe('route weight db :3306 weight 1 tags "canary"');
  });

  it.each([
    [0.05, '0.05'],
    [0.5, '0.5'],
    [0.1 + 0.2, '0.3'],
    [0.33333, '0.3333'],
    [0.00005, '0.0001'],
    [1, '1'],
    [0.000001, '0'],
  ])('formats weight %d as %s (≤ 4 decimals, no trailing zeros, no exponent)', (weight, text) => {
    expect(formatWeight(weight)).toBe(text);
  });

  it.each([
    [{ weight: 0 }, 'no fixed weight'],
    [{ weight: 0.00001 }, 'rounds to 0'],
    [{ weight: 1.5 }, 'between 0 and 1'],
    [{ weight: Number.NaN }, 'between 0 and 1'],
    [{ service: 'my api' }, 'one word'],
    [{ routeSource: 'api' }, '/path, host/path or :port'],
    [{ tag: 'a,b' }, 'commas'],
  ])('refuses %j', (change, message) => {
    expect(() => renderWeightRule({ service: 'api', routeSource: '/api', weight: 0.05, ...change })).toThrow(message);
  });

  it('emits lines that parse back to the same command for every default step', () => {
    for (const weight of [0.05, 0.25, 0.5]) {
      const parsed = parseRouteCommand(renderWeightRule({ service: 'api', routeSource: 'shop.example.com/api', weight }));
      expect(parsed).toEqual({ ok: true, command: { cmd: 'route weight', service: 'api', src: 'shop.example.com/api', weight, tags: ['canary'] } });
    }
  });
});

describe('canary rule key and value', () => {
  it('lives under Fabio kvpath prefix fabio/config, one key per env and job', () => {
    expect(canaryRuleKey({ env: 'prod', job: 'api' })).toBe('fabio/config/drover-canary-prod-api');
    expect(() => canaryRuleKey({ env: 'prod', job: 'a/b' })).toThrow('cannot be part of a Consul key');
  });

  it('holds a comment and the rule, both valid route config', () => {
    const value = renderRuleValue({ env: 'prod', job: 'api' }, 'route weight api /api weight 0.25 tags "canary"');
    expect(value).toBe('# drover canary of job api in prod; removed when the canary ends\nroute weight api /api weight 0.25 tags "canary"\n');
    expect(parseRouteConfig(value)).toEqual({ commands: [{ cmd: 'route weight', service: 'api', src: '/api', weight: 0.25, tags: ['canary'] }], errors: [] });
  });

  it('writes with the caller signal and deletes without one, bounded by a timeout', async () => {
    const calls: unknown[][] = [];
    const kv = {
      set: async (...args: unknown[]) => (calls.push(['set', ...args]), true),
      delete: async (...args: unknown[]) => (calls.push(['delete', ...args]), true),
    } as unknown as ConsulClient['kv'];
    const signal = new AbortController().signal;
    await writeWeightRule({ kv }, { env: 'qa', job: 'web' }, 'route weight web /web weight 0.5 tags "canary"', { signal });
    await removeWeightRule({ kv }, { env: 'qa', job: 'web' });
    expect(calls[0]).toEqual(['set', 'fabio/config/drover-canary-qa-web', expect.stringContaining('\nroute weight web /web weight 0.5 tags "canary"\n'), { signal }]);
    expect(calls[1]).toEqual(['delete', 'fabio/config/drover-canary-qa-web', { timeoutMs: 5000 }]);
  });
});

describe('parseRouteCommand (fabio.md §4 subset)', () => {
  it.each([
    ['route add api /api http://10.0.0.1:8080/', { cmd: 'route add', service: 'api', src: '/api', dst: 'http://10.0.0.1:8080/' }],
    [
      'route add api shop.com/api 10.0.0.1:8080 weight 0.1 tags "a,b" opts "strip=/api proto=https"',
      { cmd: 'route add', service: 'api', src: 'shop.com/api', dst: '10.0.0.1:8080', weight: 0.1, tags: ['a', 'b'], opts: { strip: '/api', proto: 'https' } },
    ],
    ['route add db :3306 tcp://10.0.0.2:3306', { cmd: 'route add', service: 'db', src: ':3306', dst: 'tcp://10.0.0.2:3306' }],
    ['route del api', { cmd: 'route del', service: 'api' }],
    ['route del api /api', { cmd: 'route del', service: 'api', src: '/api' }],
    ['route del api /api http://10.0.0.1:8080/', { cmd: 'route del', service: 'api', src: '/api', dst: 'http://10.0.0.1:8080/' }],
    ['route del api tags "canary"', { cmd: 'route del', service: 'api', tags: ['canary'] }],
    ['route del tags "old,stale"', { cmd: 'route del', tags: ['old', 'stale'] }],
    ['route weight api /api weight 0.05 tags "canary"', { cmd: 'route weight', service: 'api', src: '/api', weight: 0.05, tags: ['canary'] }],
    ['route weight /api weight 0.05 tags "canary"', { cmd: 'route weight', src: '/api', weight: 0.05, tags: ['canary'] }],
    ['route weight api /api weight 0.5', { cmd: 'route weight', service: 'api', src: '/api', weight: 0.5 }],
  ])('accepts %s', (line, command) => {
    expect(parseRouteCommand(line)).toEqual({ ok: true, command });
  });

  it.each(['', '   ', '# comment', '// comment'])('reads %j as nothing', (line) => {
    expect(parseRouteCommand(line)).toEqual({ ok: true, command: null });
  });

  it.each([
    ['route weight api /api weight 0.05 tags canary', 'double-quoted'],
    ['route weight api /api 0.05', 'unexpected "0.05"'],
    ['route weight api /api weight five tags "canary"', 'is not a number'],
    ['route weight api api weight 0.05 tags "canary"', 'src "api"'],
    ['route weight /api weight 0.05', 'missing "tags'],
    ['route add api /api', 'missing dst'],
    ['route add api /api http://x:1/ tags "a" weight 0.1', 'unexpected "weight"'],
    ['route add api /api http://x:1/ opts "strip"', 'not k=v'],
    ['route del api /api http://x:1/ extra', 'too many'],
    ['route weight api /api weight 0.05 tags "canary,"', 'empty tag'],
    ['route move api', 'unknown command'],
    ['routes add api /api http://x:1/', 'not a route command'],
  ])('refuses %s', (line, error) => {
    const result = parseRouteCommand(line);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain(error);
  });

  it('reports bad lines of a config block with their line numbers', () => {
    expect(parseRouteConfig('# x\nroute del api\nroute nope\n').errors).toEqual(['line 3: unknown command "route nope" (expected add, del or weight)']);
  });
});
