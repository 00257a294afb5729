import { describe, expect, it } from 'vitest';
import { ApiError, ConflictError, type ServiceName, type ServiceOrigin } from '../../../src/clients/api-error.ts';
import { withErrorOrigin } from '../../../src/cli/origin.ts';
import { ExitCode } from '../../../src/errors.ts';

const NOMAD: ServiceOrigin = { name: 'Nomad', address: 'http://127.0.0.1:1', addressFrom: 'NOMAD_ADDR', tokenVariable: 'NOMAD_TOKEN', tokenSet: true };

describe('ApiError exit codes and origins', () => {
  it.each(['nomad', 'consul', 'vault', 'prometheus', 'registry'] as ServiceName[])('exits 77 for a 401 or 403 from %s', (service) => {
    for (const status of [401, 403]) expect(new ApiError({ service, method: 'GET', path: '/x', status }).exitCode).toBe(ExitCode.noPermission);
    expect(new ApiError({ service, method: 'GET', path: '/x', status: 404 }).exitCode).toBe(ExitCode.deploymentFailed);
    expect(new ApiError({ service, method: 'GET', path: '/x', status: undefined, code: 'ECONNREFUSED' }).exitCode).toBe(ExitCode.unreachable);
  });

  it('names server, address and variable for a refused connection, a wrong token and a missing one', () => {
    expect(new ApiError({ service: 'nomad', method: 'get', path: '/v1/jobs', status: undefined, code: 'ECONNREFUSED', origin: NOMAD })).toMatchObject({
      message: 'Nomad at http://127.0.0.1:1 (from NOMAD_ADDR) refused the connection',
      hint: 'Check NOMAD_ADDR (is Nomad running at http://127.0.0.1:1?) and retry.',
      exitCode: 69,
    });
    expect(new ApiError({ service: 'nomad', method: 'GET', path: '/v1/jobs', status: 403, body: 'ACL token not found', origin: NOMAD }).message).toBe(
      'Nomad at http://127.0.0.1:1 (from NOMAD_ADDR) refused the token in NOMAD_TOKEN for GET /v1/jobs (HTTP 403)',
    );
    const releases: ServiceOrigin = { name: "Consul holding qa's releases", address: 'http://c:8500', addressFrom: 'DROVER_RELEASES_CONSUL_HTTP_ADDR', tokenVariable: 'DROVER_RELEASES_CONSUL_HTTP_TOKEN', tokenSet: false };
    expect(new ApiError({ service: 'consul', method: 'GET', path: '/v1/kv/drover/releases/', status: 403, origin: releases }).message).toBe(
      "Consul holding qa's releases at http://c:8500 (from DROVER_RELEASES_CONSUL_HTTP_ADDR) denied GET /v1/kv/drover/releases/: DROVER_RELEASES_CONSUL_HTTP_TOKEN is not set",
    );
  });

  it('says the overriding variable is unset when the address came from the environment file', () => {
    const releases: ServiceOrigin = { name: "Consul holding qa's releases", address: 'https://consul.qa.internal:8501', addressFrom: 'environments/qa.ts', addressVariable: 'DROVER_RELEASES_CONSUL_HTTP_ADDR' };
    expect(new ApiError({ service: 'consul', method: 'GET', path: '/v1/kv/drover/releases/', status: undefined, code: 'ENOTFOUND', origin: releases })).toMatchObject({
      message: "Consul holding qa's releases at https://consul.qa.internal:8501 (from environments/qa.ts; DROVER_RELEASES_CONSUL_HTTP_ADDR is not set) has a host name that does not resolve",
      hint: "Export DROVER_RELEASES_CONSUL_HTTP_ADDR with the address that reaches Consul holding qa's releases from here, or fix environments/qa.ts, and retry.",
    });
    // Set, it is the origin and nothing is said to be unset.
    expect(new ApiError({ service: 'consul', method: 'GET', path: '/x', status: undefined, code: 'ECONNREFUSED', origin: { ...releases, addressFrom: 'DROVER_RELEASES_CONSUL_HTTP_ADDR' } }).message).toBe(
      "Consul holding qa's releases at https://consul.qa.internal:8501 (from DROVER_RELEASES_CONSUL_HTTP_ADDR) refused the connection",
    );
  });

  it('withErrorOrigin locates network and auth errors of nested client methods and passes the others unchanged', async () => {
    const notFound = new ApiError({ service: 'nomad', method: 'GET', path: '/v1/job/x', status: 404 });
    const conflict = new ConflictError({ service: 'nomad', method: 'POST', path: '/v1/jobs', status: 400 });
    const client = withErrorOrigin(
      {
        jobs: {
          refused: async () => Promise.reject(new ApiError({ service: 'nomad', method: 'GET', path: '/v1/jobs', status: undefined, code: 'ECONNREFUSED' })),
          denied: () => {
            throw new ApiError({ service: 'nomad', method: 'GET', path: '/v1/jobs', status: 401 });
          },
          missing: async () => Promise.reject(notFound),
          conflict: async () => Promise.reject(conflict),
          ok: async () => 42,
        },
        close: () => 'closed',
      },
      NOMAD,
    );
    await expect(client.jobs.refused()).rejects.toMatchObject({ message: 'Nomad at http://127.0.0.1:1 (from NOMAD_ADDR) refused the connection', code: 'ECONNREFUSED', status: undefined });
    expect(() => client.jobs.denied()).toThrow(expect.objectContaining({ status: 401, exitCode: 77, origin: NOMAD }));
    await expect(client.jobs.missing()).rejects.toBe(notFound);
    await expect(client.jobs.conflict()).rejects.toBe(conflict);
    await expect(client.jobs.ok()).resolves.toBe(42);
    expect(client.close()).toBe('closed');
  });
});

describe('withOrigin keeps a client’s own hint', () => {
  it('keeps a specific hint (a registry’s login advice) and replaces the generic one', async () => {
    const registry: ServiceOrigin = { name: 'Registry ghcr.io', address: 'https://ghcr.io', addressFrom: 'registries in environments/qa.ts' };
    const login = 'Run `docker login ghcr.io` (drover reads Docker’s config.json) and retry.';
    const client = withErrorOrigin({ head: async (hint?: string) => Promise.reject(new ApiError({ service: 'registry', method: 'HEAD', path: '/v2/acme/api/manifests/1', status: 401, ...(hint ? { hint } : {}) })) }, registry);
    await expect(client.head(login)).rejects.toMatchObject({
      message: 'Registry ghcr.io at https://ghcr.io (from registries in environments/qa.ts) denied HEAD /v2/acme/api/manifests/1 (HTTP 401)',
      hint: login,
      exitCode: 77,
    });
    await expect(client.head()).rejects.toMatchObject({ hint: 'Check the credentials drover uses for Registry ghcr.io.' });
  });
});
