/**
 * The registry client against a real registry (Debian's docker-registry, the CNCF distribution
 * registry): anonymous, and behind token auth with Basic credentials sent to the token service,
 * the way Docker Hub, GHCR and Harbor work. Every digest is checked against the one the registry
 * itself answered when the test pushed the image. Skipped loudly without the binary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/clients/api-error.ts';
import { createRegistryClient } from '../../src/clients/registry/index.ts';
import { warnSkipped } from '../support/prometheus-server.ts';
import { pushImage, registryAvailability, startRegistry, type RegistryServer } from '../support/registry-server.ts';

const availability = registryAvailability();
warnSkipped('test/integration/registry-client.test.ts', availability);

describe.skipIf(!availability.available)('registry client against a real docker-registry', { timeout: 30_000 }, () => {
  describe('anonymous', () => {
    let registry: RegistryServer;
    beforeAll(async () => {
      registry = await startRegistry();
    });
    afterAll(() => registry?.stop());

    it('answers the digest the registry stored a tag under; a pushed-again tag answers the new one', async () => {
      const client = createRegistryClient({ address: registry.address });
      try {
        const first = await pushImage(registry, 'example-shop/api', '1.8.2', { salt: 'a' });
        expect(await client.manifestDigest('example-shop/api', '1.8.2')).toBe(first.digest);
        const again = await pushImage(registry, 'example-shop/api', '1.8.2', { salt: 'b' });
        expect(again.digest).not.toBe(first.digest);
        expect(await client.manifestDigest('example-shop/api', '1.8.2')).toBe(again.digest);
      } finally {
        client.close();
      }
    });

    it("answers a multi-platform tag's index digest, not a platform manifest's", async () => {
      const client = createRegistryClient({ address: registry.address });
      try {
        const index = await pushImage(registry, 'library/postgres', '16.4', { index: true });
        expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
        expect(await client.manifestDigest('library/postgres', '16.4')).toBe(index.digest);
      } finally {
        client.close();
      }
    });

    it('maps an unknown tag to ApiError 404 with a hint naming the image', async () => {
      const client = createRegistryClient({ address: registry.address, retry: { retries: 0 } });
      try {
        const error = await client.manifestDigest('example-shop/api', 'no-such-tag').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toMatchObject({ service: 'registry', method: 'HEAD', status: 404, path: '/v2/example-shop/api/manifests/no-such-tag' });
        expect((error as ApiError).hint).toContain('example-shop/api:no-such-tag');
      } finally {
        client.close();
      }
    });
  });

  describe('behind token auth', () => {
    const auth = { username: 'deployer', password: 'pw-sentinel-7d1c9a' };
    let registry: RegistryServer;
    beforeAll(async () => {
      registry = await startRegistry({ auth });
    });
    afterAll(() => registry?.stop());

    it('follows the Bearer challenge: Basic credentials to the token service, the token to the registry', async () => {
      const pushed = await pushImage(registry, 'example-shop/worker', '1.8.2');
      const client = createRegistryClient({ address: registry.address, credentials: auth });
      try {
        expect(await client.manifestDigest('example-shop/worker', '1.8.2')).toBe(pushed.digest);
        const asked = registry.tokenRequests.at(-1)!;
        expect(new URL(asked.url).searchParams.get('scope')).toBe('repository:example-shop/worker:pull');
        expect(new URL(asked.url).searchParams.get('service')).toBe('drover-test-registry');
        expect(asked.authorization).toBe(`Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`);
        // The token is reused for the same repository: no second trip to the token service.
        const trips = registry.tokenRequests.length;
        expect(await client.manifestDigest('example-shop/worker', '1.8.2')).toBe(pushed.digest);
        expect(registry.tokenRequests.length).toBe(trips);
      } finally {
        client.close();
      }
    });

    it('refuses wrong credentials with a 401 that names config.json and never the password', async () => {
      await pushImage(registry, 'example-shop/www', '3.2.0');
      const client = createRegistryClient({ address: registry.address, credentials: { username: 'deployer', password: 'wrong-pw-sentinel-55' }, retry: { retries: 0 } });
      try {
        const error = (await client.manifestDigest('example-shop/www', '3.2.0').catch((e: unknown) => e)) as ApiError;
        expect(error).toBeInstanceOf(ApiError);
        expect(error.status).toBe(401);
        expect(error.hint).toContain('config.json');
        expect(JSON.stringify({ message: error.message, context: error.context, hint: error.hint, cause: String(error.cause) })).not.toMatch(/wrong-pw-sentinel-55|d3Jvbmct/);
      } finally {
        client.close();
      }
    });

    it('without credentials, says none were found', async () => {
      const client = createRegistryClient({ address: registry.address, retry: { retries: 0 } });
      try {
        const error = (await client.manifestDigest('example-shop/www', '3.2.0').catch((e: unknown) => e)) as ApiError;
        expect(error.status).toBe(401);
        expect(error.hint).toContain('No credentials');
      } finally {
        client.close();
      }
    });
  });
});
