import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/clients/api-error.ts';
import { createNomadTransport, type NomadCall } from '../../src/clients/nomad/transport.ts';
import type { RetryEvent } from '../../src/clients/retry.ts';

const TOKEN = 'forwarded-denial-secret-token';

/**
 * A Nomad 2.0.5 server forwarding a client-node request refuses a token without the capability
 * with 500 `Permission denied` on its streaming endpoints (measured: `/v1/client/fs/logs` and
 * `/v1/client/fs/stream` through a server-only agent; the client agent answers both 403). The
 * sandbox is a combined agent (like `nomad agent -dev`) and answers 403, so a stand-in server on
 * 127.0.0.1 plays the forwarding server here. Paths ending in `/denied` refuse that way, `/denied-nl`
 * with a trailing newline, `/other` with another 500, anything else answers `{}`.
 */
describe('the Nomad transport against a server that forwards a refusal as a 500', () => {
  let server: Server;
  let address = '';
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url?.split('?')[0]}`);
      const path = req.url?.split('?')[0] ?? '';
      if (path.endsWith('/denied')) return void res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Permission denied');
      if (path.endsWith('/denied-nl')) return void res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Permission denied\n');
      if (path.endsWith('/other')) return void res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Permission denied: rpc error: node down');
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => void seen.splice(0));

  const withTransport = async (use: (t: ReturnType<typeof createNomadTransport>) => Promise<unknown>, retries: RetryEvent[] = []) => {
    const transport = createNomadTransport({ address, token: TOKEN, timeoutMs: 5_000, retry: { retries: 3, baseDelayMs: 1 }, onRetry: (e) => retries.push(e) });
    try {
      return await use(transport).catch((e: unknown) => e);
    } finally {
      transport.close();
    }
  };
  const get = (path: string): NomadCall => ({ method: 'GET', path });

  it('turns a streaming endpoint other than logs (fs/stream) into a 403 refusal (exit 77), without the token', async () => {
    const error = await withTransport((t) => t.stream(get('/v1/client/fs/stream/denied')));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ service: 'nomad', method: 'GET', status: 403, exitCode: 77, body: 'Permission denied' });
    expect((error as ApiError).path).toMatch(/^\/v1\/client\/fs\/stream\/denied/);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(String((error as ApiError).stack)).not.toContain(TOKEN);
  });

  it('does not retry a read refused that way, as it retries other 500s', async () => {
    const retries: RetryEvent[] = [];
    expect(await withTransport((t) => t.call(get('/v1/client/allocation/a1/denied')), retries)).toMatchObject({ status: 403 });
    expect(seen).toEqual(['GET /v1/client/allocation/a1/denied']);
    expect(retries).toEqual([]);
    seen.splice(0);
    expect(await withTransport((t) => t.call(get('/v1/client/allocation/a1/other')), retries)).toMatchObject({ status: 500, body: 'Permission denied: rpc error: node down' });
    expect(seen).toHaveLength(4);
    expect(retries.map((r) => r.error.status)).toEqual([500, 500, 500]);
  });

  it('maps a write too, and a body with a trailing newline', async () => {
    const error = await withTransport((t) => t.call({ method: 'POST', path: '/v1/client/allocation/a1/denied-nl', body: {} }));
    expect(error).toMatchObject({ method: 'POST', status: 403, exitCode: 77 });
    expect(seen).toEqual(['POST /v1/client/allocation/a1/denied-nl']);
  });

  it('leaves a 500 with any other text a server error, on a stream as on a call', async () => {
    expect(await withTransport((t) => t.stream(get('/v1/client/fs/stream/other')))).toMatchObject({ status: 500, body: 'Permission denied: rpc error: node down' });
    expect(await withTransport((t) => t.call(get('/v1/client/fs/stat/fine')))).toMatchObject({ status: 200, body: {} });
  });
});
