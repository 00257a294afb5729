import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/clients/api-error.ts';
import { createNomadClient } from '../../src/clients/nomad/index.ts';

/**
 * What a Nomad server answers when it forwards a log stream for a token without read-logs:
 * nomad/client_fs_endpoint.go passes ErrPermissionDenied without a code, so the agent writes a 500
 * with the text. A stand-in server on 127.0.0.1 answers that; the client must see a refusal (403).
 */
describe('allocations.logs against a server that forwards the refusal as a 500', () => {
  let server: Server;
  let address = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/v1/client/fs/logs/denied')) return void res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Permission denied');
      if (req.url?.startsWith('/v1/client/fs/logs/broken')) return void res.writeHead(500, { 'Content-Type': 'text/plain' }).end('rpc error: node down');
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(`{}{"Data":"${Buffer.from('a\n').toString('base64')}","File":"alloc/logs/t.stdout.0","Offset":2}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const open = (id: string) => {
    const nomad = createNomadClient({ address, token: 'secret-token-value', retry: { retries: 0 } });
    return nomad.allocations.logs(id, { task: 't', type: 'stdout' }).finally(() => nomad.close());
  };

  it('maps 500 "Permission denied" to a 403 refusal (exit 77), without the token', async () => {
    const error = await open('denied').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 403, exitCode: 77, body: 'Permission denied' });
    expect(JSON.stringify(error)).not.toContain('secret-token-value');
  });

  it('leaves other 500s as server errors', async () => {
    expect(await open('broken').catch((e: unknown) => e)).toMatchObject({ status: 500, body: 'rpc error: node down' });
  });

  it('yields heartbeats and data frames of a 200', async () => {
    const frames = [];
    for await (const frame of await open('fine')) frames.push(frame);
    expect(frames.map((f) => f.kind)).toEqual(['heartbeat', 'data']);
  });
});
