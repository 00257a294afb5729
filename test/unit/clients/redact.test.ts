import { describe, expect, it } from 'vitest';
import { REDACTED, redactText, redactValue } from '../../../src/clients/redact.ts';

describe('redactText', () => {
  it('removes every occurrence of a given secret', () => {
    expect(redactText('token s3cr3t-value and again s3cr3t-value', ['s3cr3t-value'])).toBe(`token ${REDACTED} and again ${REDACTED}`);
  });

  it('blanks token header values whatever their spelling', () => {
    const text = 'X-Consul-Token: abc123\n"x-vault-token":"hvs.xyz" authorization=Bearer eyJhbGc x-nomad-token=n0mad';
    const out = redactText(text);
    for (const secret of ['abc123', 'hvs.xyz', 'eyJhbGc', 'n0mad']) expect(out).not.toContain(secret);
    expect(out).toContain('X-Consul-Token: [redacted]');
  });

  it('blanks a token query parameter', () => {
    expect(redactText('/v1/kv/a?token=abcd&index=3')).toBe(`/v1/kv/a?token=${REDACTED}&index=3`);
  });

  it('leaves text alone when there is nothing to hide, ignoring secrets too short to be real', () => {
    expect(redactText('Consul request failed: HTTP 403', ['', 'a', undefined])).toBe('Consul request failed: HTTP 403');
  });
});

describe('redactValue', () => {
  it('copies deeply, blanking token headers by key and secrets in strings, without touching the input', () => {
    const input = { headers: { 'X-Consul-Token': 'tok-1234', accept: 'json' }, list: ['see tok-1234'], n: 1, fn: () => 1 };
    const out = redactValue(input, ['tok-1234']);
    expect(out).toEqual({ headers: { 'X-Consul-Token': REDACTED, accept: 'json' }, list: [`see ${REDACTED}`], n: 1, fn: undefined });
    expect(input.headers['X-Consul-Token']).toBe('tok-1234');
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a['self'] = a;
    expect(redactValue(a)).toEqual({ name: 'a', self: '[circular]' });
  });
});
