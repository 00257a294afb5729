import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/clients/api-error.ts';
import { DroverError, ExitCode } from '../../../src/errors.ts';
import { pinImage } from '../../../src/render/image.ts';
import { resolveDigestPins, type DigestLookup } from '../../../src/release/digests.ts';
import { registryImage, withDigest } from '../../../src/release/image-registry.ts';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

describe('registryImage', () => {
  it('reads the registry host the way Docker does', () => {
    expect(registryImage('ghcr.io/acme/api:1.4.2')).toMatchObject({ host: 'ghcr.io', name: 'acme/api', repository: 'ghcr.io/acme/api', tag: '1.4.2' });
    expect(registryImage('registry.internal:5000/team/app:2@' + D1)).toMatchObject({ host: 'registry.internal:5000', name: 'team/app', tag: '2', digest: D1 });
    expect(registryImage('localhost/app:1')).toMatchObject({ host: 'localhost', name: 'app' });
    expect(registryImage('127.0.0.1:5000/app:1')).toMatchObject({ host: '127.0.0.1:5000', name: 'app' });
  });

  it('puts unqualified names on Docker Hub, one-component names under library/', () => {
    expect(registryImage('busybox:1.36')).toMatchObject({ host: 'docker.io', name: 'library/busybox', repository: 'busybox' });
    expect(registryImage('fabiolb/fabio:1.6.3')).toMatchObject({ host: 'docker.io', name: 'fabiolb/fabio' });
    expect(registryImage('docker.io/postgres:16')).toMatchObject({ host: 'docker.io', name: 'library/postgres' });
    expect(registryImage('index.docker.io/library/postgres:16')).toMatchObject({ host: 'docker.io', name: 'library/postgres' });
  });

  it('adds a digest and keeps the tag for readers', () => {
    expect(withDigest(registryImage('ghcr.io/acme/api:1.4.2'), D1)).toBe(`ghcr.io/acme/api:1.4.2@${D1}`);
  });
});

describe('pinImage', () => {
  it("prefers the reference's own pin over its repository's", () => {
    const pins = { 'ghcr.io/acme/api:1.4.2': `ghcr.io/acme/api:1.4.2@${D1}`, 'ghcr.io/acme/api': `ghcr.io/acme/api:1.3.0@${D2}` };
    expect(pinImage('ghcr.io/acme/api:1.4.2', pins)).toBe(`ghcr.io/acme/api:1.4.2@${D1}`);
    expect(pinImage('ghcr.io/acme/api:1.0.0', pins)).toBe(`ghcr.io/acme/api:1.3.0@${D2}`);
    expect(pinImage('ghcr.io/acme/www:1', pins)).toBe('ghcr.io/acme/www:1');
    expect(pinImage('toString', {})).toBe('toString');
  });
});

describe('resolveDigestPins', () => {
  const registries = [{ host: 'ghcr.io' }, { host: 'docker.io' }];
  /** A registry as a table: `host name:tag` → digest. */
  const table = (entries: Record<string, string>): DigestLookup => async (host, image) => {
    const digest = entries[`${host} ${image.name}:${image.tag}`];
    if (!digest) throw new ApiError({ service: 'registry', method: 'HEAD', path: `/v2/${image.name}/manifests/${image.tag}`, status: 404 });
    return digest;
  };

  it('pins each distinct tag on a listed registry, once, and says why the others run as written', async () => {
    const asked: string[] = [];
    const lookup = table({ 'ghcr.io acme/api:1.4.2': D1, 'docker.io library/busybox:1.36': D2 });
    const result = await resolveDigestPins(
      { env: 'qa', registries, images: ['ghcr.io/acme/api:1.4.2', 'busybox:1.36', 'ghcr.io/acme/api:1.4.2', 'quay.io/x/y:1', `ghcr.io/acme/www:1@${D1}`] },
      { lookup: (host, image) => (asked.push(image.reference), lookup(host, image)) },
    );
    expect(asked.sort()).toEqual(['busybox:1.36', 'ghcr.io/acme/api:1.4.2']);
    expect(result.pins).toEqual({ 'busybox:1.36': `busybox:1.36@${D2}`, 'ghcr.io/acme/api:1.4.2': `ghcr.io/acme/api:1.4.2@${D1}` });
    expect(result.pinned).toEqual([{ reference: 'busybox:1.36', digest: D2 }, { reference: 'ghcr.io/acme/api:1.4.2', digest: D1 }]);
    expect(result.asWritten).toEqual([
      { reference: `ghcr.io/acme/www:1@${D1}`, why: 'already pinned by digest' },
      { reference: 'quay.io/x/y:1', why: "its registry is not in the environment's registries" },
    ]);
  });

  it('reports every failed lookup in one refusal (exit 4) naming each image', async () => {
    const error = await resolveDigestPins({ env: 'qa', registries, images: ['ghcr.io/acme/api:9', 'ghcr.io/acme/www:9', 'busybox:1.36'] }, { lookup: table({ 'docker.io library/busybox:1.36': D2 }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DroverError);
    expect(error).toMatchObject({ exitCode: ExitCode.refused, message: 'Could not pin 2 images to their digests for qa; nothing was deployed' });
    expect((error as DroverError).context).toEqual({ 'ghcr.io/acme/api:9': 'no such tag in the registry (HTTP 404)', 'ghcr.io/acme/www:9': 'no such tag in the registry (HTTP 404)' });
  });

  it('exits 69 when a registry did not answer', async () => {
    const unreachable: DigestLookup = async (_host, image) => {
      throw new ApiError({ service: 'registry', method: 'HEAD', path: `/v2/${image.name}/manifests/${image.tag}`, status: undefined, code: 'ECONNREFUSED' });
    };
    await expect(resolveDigestPins({ env: 'qa', registries, images: ['ghcr.io/acme/api:1'] }, { lookup: unreachable })).rejects.toMatchObject({ exitCode: ExitCode.unreachable });
  });

  it('exits 77 when a registry refuses the credentials, even next to an unreachable one', async () => {
    const lookup: DigestLookup = async (_host, image) => {
      const path = `/v2/${image.name}/manifests/${image.tag}`;
      throw image.name.endsWith('api') ? new ApiError({ service: 'registry', method: 'HEAD', path, status: 401 }) : new ApiError({ service: 'registry', method: 'HEAD', path, status: undefined, code: 'ECONNREFUSED' });
    };
    await expect(resolveDigestPins({ env: 'qa', registries, images: ['ghcr.io/acme/api:1', 'ghcr.io/acme/www:1'] }, { lookup })).rejects.toMatchObject({ exitCode: ExitCode.noPermission });
  });

  it('looks nothing up without listed registries', async () => {
    const result = await resolveDigestPins({ env: 'qa', registries: [], images: ['ghcr.io/acme/api:1'] }, { lookup: () => Promise.reject(new Error('must not be called')) });
    expect(result).toEqual({ pins: {}, pinned: [], asWritten: [{ reference: 'ghcr.io/acme/api:1', why: "its registry is not in the environment's registries" }] });
  });
});
