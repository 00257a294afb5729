import { describe, expect, it } from 'vitest';
import { defaultConnections, isLoopbackHost, LOADTEST_LIMITS, resolveLoadtestSettings } from '../../../src/loadtest/settings.ts';

const FABIO = 'http://127.0.0.1:9999';

function settled(flags: Parameters<typeof resolveLoadtestSettings>[1], address = FABIO) {
  const result = resolveLoadtestSettings(address, flags);
  if (!result.ok) throw new Error(`unexpected problems: ${result.problems.join('; ')}`);
  return result.settings;
}

function problems(flags: Parameters<typeof resolveLoadtestSettings>[1], address = FABIO): readonly string[] {
  const result = resolveLoadtestSettings(address, flags);
  return result.ok ? [] : result.problems;
}

describe('resolveLoadtestSettings', () => {
  it('applies the defaults: / at 100 req/s for 10 s over 10 connections, capped at a million requests', () => {
    expect(settled({})).toEqual({ url: 'http://127.0.0.1:9999/', route: '/', rps: 100, durationSeconds: 10, connections: 10, maxRequests: 1_000_000, remote: false });
  });

  it('reads the route, rate, duration, host and split header', () => {
    const settings = settled({ route: '/api/products?limit=5', rps: '1000', duration: '1m30s', host: 'www.example.com', splitHeader: 'X-Version' });
    expect(settings).toMatchObject({ url: 'http://127.0.0.1:9999/api/products?limit=5', rps: 1000, durationSeconds: 90, connections: 50, host: 'www.example.com', splitHeader: 'x-version' });
  });

  it('keeps a path prefix of the Fabio address out of the way of the route', () => {
    expect(settled({ route: '/api' }, 'http://localhost:9999/').url).toBe('http://localhost:9999/api');
  });

  it('takes --rps max as unthrottled with 50 connections', () => {
    expect(settled({ rps: 'max' })).toMatchObject({ rps: undefined, connections: 50 });
  });

  it('takes an explicit connection count and request cap', () => {
    expect(settled({ rps: '500', connections: '7', requests: '1200' })).toMatchObject({ connections: 7, maxRequests: 1200 });
  });

  it('refuses bounds beyond the hard limits, every problem at once', () => {
    expect(problems({ rps: '20001', duration: '11m', connections: '1001', requests: '1000001', route: 'api' })).toEqual([
      '--route api must start with "/" (a path on Fabio, e.g. /api/products)',
      '--rps 20001 must be a whole number from 1 to 20000, or "max"',
      '--duration 11m must be a duration from 1s to 10m (e.g. 30s, 2m)',
      '--connections 1001 must be a whole number from 1 to 1000',
      '--requests 1000001 must be a whole number from 1 to 1000000',
    ]);
  });

  it('accepts exactly the limits', () => {
    expect(settled({ rps: String(LOADTEST_LIMITS.maxRps), duration: '10m', connections: '1000', requests: '1000000' })).toMatchObject({ rps: 20_000, durationSeconds: 600, connections: 1000 });
  });

  it('refuses durations under a second, zero rates and fractions', () => {
    expect(problems({ duration: '500ms', rps: '0', connections: '2.5' })).toHaveLength(3);
    expect(problems({ duration: 'soon' })).toEqual(['--duration soon must be a duration from 1s to 10m (e.g. 30s, 2m)']);
  });

  it('refuses more connections than requests a second or requests in all', () => {
    expect(problems({ rps: '5', connections: '6' })).toEqual(['--connections 6 exceeds --rps 5: each connection sends at least one request a second']);
    expect(problems({ rps: 'max', connections: '20', requests: '10' })).toEqual(['--connections 20 exceeds --requests 10: each connection sends at least one request']);
  });

  it('refuses a target off this machine unless --allow-remote is given', () => {
    expect(problems({}, 'https://fabio.qa.example.internal:9999')).toEqual([
      'https://fabio.qa.example.internal:9999 is not on this machine; load on a shared environment needs --allow-remote (and the owners\' consent)',
    ]);
    expect(settled({ allowRemote: true }, 'https://fabio.qa.example.internal:9999')).toMatchObject({ url: 'https://fabio.qa.example.internal:9999/', remote: true });
  });

  it('refuses an address that is not an http(s) URL', () => {
    expect(problems({}, 'fabio:9999')).toEqual(['Fabio address fabio:9999 is not http(s)']);
    expect(problems({}, '127.0.0.1:9999')).toEqual(['Fabio address "127.0.0.1:9999" is not a URL (expected e.g. http://127.0.0.1:9999)']);
    expect(problems({}, 'not a url')).toEqual(['Fabio address "not a url" is not a URL (expected e.g. http://127.0.0.1:9999)']);
  });
});

describe('isLoopbackHost', () => {
  it('knows 127.0.0.0/8, ::1 and localhost', () => {
    expect(['127.0.0.1', '127.3.2.1', 'localhost', 'LOCALHOST', '::1', '[::1]'].map(isLoopbackHost)).toEqual([true, true, true, true, true, true]);
  });

  it('treats every other name and address as remote', () => {
    expect(['10.0.0.1', '128.0.0.1', '0.0.0.0', 'fabio.internal', '127.0.0.1.nip.io', '::2'].map(isLoopbackHost)).toEqual([false, false, false, false, false, false]);
  });
});

describe('defaultConnections', () => {
  it('gives ~20 req/s per connection, between 10 and 100, never more than the rate', () => {
    expect([1, 5, 100, 200, 1000, 2000, 20000].map(defaultConnections)).toEqual([1, 5, 10, 10, 50, 100, 100]);
    expect(defaultConnections(undefined)).toBe(50);
  });
});
