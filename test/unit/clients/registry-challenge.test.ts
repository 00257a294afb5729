import { describe, expect, it } from 'vitest';
import { parseChallenge, tokenUrl } from '../../../src/clients/registry/challenge.ts';

describe('registry auth challenges', () => {
  it("parses Docker Hub's Bearer challenge, quoted commas and escapes included", () => {
    const challenge = parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/postgres:pull"');
    expect(challenge).toEqual({ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/postgres:pull' } });
    expect(parseChallenge('Bearer realm="https://t/x",scope="repository:a/b:pull,push"')?.params.scope).toBe('repository:a/b:pull,push');
    expect(parseChallenge('Bearer realm="say \\"hi\\""')?.params.realm).toBe('say "hi"');
    expect(parseChallenge('Basic realm=basic-realm')).toEqual({ scheme: 'basic', params: { realm: 'basic-realm' } });
  });

  it('returns undefined for what is not a challenge', () => {
    expect(parseChallenge(undefined)).toBeUndefined();
    expect(parseChallenge('')).toBeUndefined();
    expect(parseChallenge('=oops')).toBeUndefined();
  });

  it('builds the token URL with service and scope, defaulting the scope to pull on the repository', () => {
    const withScope = tokenUrl(parseChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/api:pull"')!, 'acme/api')!;
    expect(withScope.toString()).toBe('https://ghcr.io/token?service=ghcr.io&scope=repository%3Aacme%2Fapi%3Apull');
    const without = tokenUrl(parseChallenge('Bearer realm="https://reg.internal/auth?x=1"')!, 'team/app')!;
    expect(without.searchParams.get('x')).toBe('1');
    expect(without.searchParams.get('scope')).toBe('repository:team/app:pull');
  });

  it('refuses realms that are not http(s) URLs, and Basic challenges', () => {
    expect(tokenUrl(parseChallenge('Bearer realm="file:///etc/passwd"')!, 'a')).toBeUndefined();
    expect(tokenUrl(parseChallenge('Bearer realm="not a url"')!, 'a')).toBeUndefined();
    expect(tokenUrl(parseChallenge('Bearer service="x"')!, 'a')).toBeUndefined();
    expect(tokenUrl(parseChallenge('Basic realm="https://x"')!, 'a')).toBeUndefined();
  });
});
