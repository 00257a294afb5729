import { describe, expect, it } from 'vitest';
import { formatImageReference, parseImageReference, splitImageReference, type ImageReference, type ImageReferenceProblemKind } from '../../../src/model/image-reference.ts';

const SHA256 = `sha256:${'a'.repeat(64)}`;
const SHA512 = `sha512:${'0123456789abcdef'.repeat(8)}`;

/** The parsed image, failing the test with the reason when the reference is invalid. */
function image(reference: string): ImageReference {
  const parsed = parseImageReference(reference);
  if (!parsed.valid) throw new Error(`${reference}: ${parsed.problem.reason}`);
  return parsed.image;
}

/** The kind of problem, or 'valid'. */
function kindOf(reference: string): ImageReferenceProblemKind | 'valid' {
  const parsed = parseImageReference(reference);
  return parsed.valid ? 'valid' : parsed.problem.kind;
}

describe('parseImageReference', () => {
  it.each<[string, ImageReference]>([
    ['ghcr.io/example-shop/api:1.9.0', { registry: 'ghcr.io', path: 'example-shop/api', tag: '1.9.0' }],
    ['nginx', { registry: 'docker.io', path: 'library/nginx' }],
    ['nginx:1.27-alpine', { registry: 'docker.io', path: 'library/nginx', tag: '1.27-alpine' }],
    ['fabiolb/fabio:1.6.3', { registry: 'docker.io', path: 'fabiolb/fabio', tag: '1.6.3' }],
    ['docker.io/postgres:16', { registry: 'docker.io', path: 'library/postgres', tag: '16' }],
    ['index.docker.io/library/postgres:16', { registry: 'docker.io', path: 'library/postgres', tag: '16' }],
    [`docker.io/library/redis@${SHA256}`, { registry: 'docker.io', path: 'library/redis', digest: SHA256 }],
    [`localhost:5000/a/b:tag@${SHA256}`, { registry: 'localhost:5000', path: 'a/b', tag: 'tag', digest: SHA256 }],
    ['localhost/app:1', { registry: 'localhost', path: 'app', tag: '1' }],
    ['registry:5000/team/app', { registry: 'registry:5000', path: 'team/app' }],
    ['127.0.0.1:5000/app:1', { registry: '127.0.0.1:5000', path: 'app', tag: '1' }],
    ['[::1]:5000/app:1', { registry: '[::1]:5000', path: 'app', tag: '1' }],
    ['Registry.Example.com/app:V1_2', { registry: 'Registry.Example.com', path: 'app', tag: 'V1_2' }],
    ['quay.io/a/b/c/d:x', { registry: 'quay.io', path: 'a/b/c/d', tag: 'x' }],
    ['acme/my_app__x.y--z:1', { registry: 'docker.io', path: 'acme/my_app__x.y--z', tag: '1' }],
    [`app@${SHA512}`, { registry: 'docker.io', path: 'library/app', digest: SHA512 }],
  ])('reads %s as Docker does', (reference, expected) => {
    expect(image(reference)).toEqual(expected);
  });

  it('takes a first segment as a host only when it has "." or ":" or is localhost', () => {
    expect(image('acme/api:1').registry).toBe('docker.io');
    expect(image('acme.io/api:1').registry).toBe('acme.io');
    expect(image('acme:80/api:1').registry).toBe('acme:80');
    expect(image('localhost/api:1').registry).toBe('localhost');
    expect(image('localhostx/api:1')).toEqual({ registry: 'docker.io', path: 'localhostx/api', tag: '1' });
  });

  it('reads a bare name:number as a tag, not a host and port', () => {
    expect(image('localhost:5000')).toEqual({ registry: 'docker.io', path: 'library/localhost', tag: '5000' });
  });

  it('puts library/ only before one-segment names on Docker Hub', () => {
    expect(image('ghcr.io/api:1').path).toBe('api');
    expect(image('docker.io/acme/api:1').path).toBe('acme/api');
    expect(image('busybox:1.36').path).toBe('library/busybox');
  });

  it('keeps a tag together with a digest', () => {
    expect(image(`ghcr.io/acme/api:1.4.2@${SHA256}`)).toEqual({ registry: 'ghcr.io', path: 'acme/api', tag: '1.4.2', digest: SHA256 });
  });

  it.each<[string, ImageReferenceProblemKind]>([
    ['', 'empty'],
    ['ghcr.io/acme/api :1', 'whitespace'],
    ['api:1\n', 'whitespace'],
    ['a'.repeat(64), 'identifier'],
    ['api@sha256:abc', 'digest'],
    [`api@${SHA256.toUpperCase()}`, 'digest'],
    [`api@sha256:${'A'.repeat(64)}`, 'digest'],
    [`api@md5:${'a'.repeat(32)}`, 'digest'],
    [`api@sha256:${'a'.repeat(63)}`, 'digest'],
    [`api@x@${SHA256}`, 'digest'],
    ['api@', 'digest'],
    ['api:', 'tag'],
    ['api:-1', 'tag'],
    ['api:1+build', 'tag'],
    [`api:${'t'.repeat(129)}`, 'tag'],
    [':1', 'name'],
    ['ghcr.io/Acme/api:1', 'uppercase'],
    ['Nginx:1', 'uppercase'],
    ['Acme/api:1', 'uppercase'],
    ['ghcr.io/acme/API_:1', 'name'],
    ['ghcr.io/acme//api:1', 'name'],
    ['ghcr.io/acme/api/:1', 'name'],
    ['ghcr.io/-acme/api:1', 'name'],
    ['acme/a...b:1', 'name'],
    ['acme/a___b:1', 'name'],
    ['ghcr.io/', 'name'],
    ['ghcr.io:port/api:1', 'registry'],
    ['-ghcr.io/api:1', 'registry'],
    ['gh_cr.io/api:1', 'registry'],
    ['[::1/api:1', 'registry'],
  ])('rejects %j (%s)', (reference, kind) => {
    expect(kindOf(reference)).toBe(kind);
  });

  it('rejects a repository path over 255 characters, library/ included', () => {
    expect(kindOf(`acme/${'a'.repeat(251)}:1`)).toBe('too-long');
    expect(kindOf(`${'a'.repeat(248)}:1`)).toBe('too-long');
  });

  it('accepts a repository path of exactly 255 characters and a tag of 128', () => {
    expect(kindOf(`${'a'.repeat(247)}:1`)).toBe('valid');
    expect(kindOf(`ghcr.io/acme/${'a'.repeat(250)}:1`)).toBe('valid');
    expect(kindOf(`api:${'t'.repeat(128)}`)).toBe('valid');
  });

  it('gives a reason a diagnostic can show', () => {
    expect(parseImageReference('ghcr.io/Acme/api:1')).toEqual({ valid: false, problem: { kind: 'uppercase', reason: 'the repository name "Acme/api" must be lower-case' } });
    expect(parseImageReference(`api@md5:${'a'.repeat(32)}`)).toEqual({ valid: false, problem: { kind: 'digest', reason: 'the digest algorithm "md5" is not one Docker resolves (sha256, sha384, sha512)' } });
    expect(parseImageReference('ghcr.io/acme//api')).toMatchObject({ valid: false, problem: { kind: 'name', reason: expect.stringContaining('has an empty path segment') } });
  });
});

describe('formatImageReference', () => {
  it.each([
    'ghcr.io/example-shop/api:1.9.0',
    'nginx',
    'fabiolb/fabio:1.6.3',
    `localhost:5000/a/b:tag@${SHA256}`,
    `redis@${SHA256}`,
    `redis:7@${SHA256}`,
    '[::1]:5000/app:1',
    'library/a/b:1',
  ])('writes %s back as it was written', (reference) => {
    expect(formatImageReference(image(reference))).toBe(reference);
  });

  it.each([
    ['docker.io/library/redis:7', 'redis:7', 'docker.io/library/redis:7'],
    ['index.docker.io/postgres', 'postgres', 'docker.io/library/postgres'],
    ['docker.io/acme/api:1', 'acme/api:1', 'docker.io/acme/api:1'],
    ['ghcr.io/acme/api:1', 'ghcr.io/acme/api:1', 'ghcr.io/acme/api:1'],
  ])('writes %s in familiar form %s and canonical form %s', (reference, familiar, canonical) => {
    expect(formatImageReference(image(reference))).toBe(familiar);
    expect(formatImageReference(image(reference), 'canonical')).toBe(canonical);
  });

  it('parses either form back to the same image', () => {
    for (const reference of ['docker.io/library/redis:7', 'index.docker.io/acme/api', `localhost/a@${SHA256}`, 'busybox:1.36']) {
      const parsed = image(reference);
      expect(image(formatImageReference(parsed))).toEqual(parsed);
      expect(image(formatImageReference(parsed, 'canonical'))).toEqual(parsed);
    }
  });

  it('keeps docker.io when a Docker Hub path would otherwise read as a host', () => {
    const hubPath: ImageReference = { registry: 'docker.io', path: 'my.org/app', tag: '1' };
    expect(formatImageReference(hubPath)).toBe('docker.io/my.org/app:1');
    expect(image(formatImageReference(hubPath))).toEqual(hubPath);
  });
});

describe('splitImageReference', () => {
  it.each<[string, ReturnType<typeof splitImageReference>]>([
    ['ghcr.io/acme/api:1.4.2', { name: 'ghcr.io/acme/api', tag: '1.4.2' }],
    ['registry:5000/team/app', { name: 'registry:5000/team/app' }],
    [`registry:5000/team/app:2@${SHA256}`, { name: 'registry:5000/team/app', tag: '2', digest: SHA256 }],
    ['docker.io/postgres', { name: 'docker.io/postgres' }],
    ['api:', { name: 'api', tag: '' }],
    ['api@', { name: 'api', digest: '' }],
    ['Acme/API:x y', { name: 'Acme/API', tag: 'x y' }],
    ['a@b@c', { name: 'a', digest: 'b' }],
    ['', { name: '' }],
  ])('splits %j at its delimiters without checking the parts', (reference, parts) => {
    expect(splitImageReference(reference)).toEqual(parts);
  });
});
