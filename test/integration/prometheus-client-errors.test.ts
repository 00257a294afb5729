/**
 * The Prometheus client's failure handling against small node:http stand-ins on 127.0.0.1 (a
 * real Prometheus cannot be made to answer 503 or echo a token): retries, redaction, abort. Runs
 * without the prometheus binary.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/clients/api-error.ts';
import { createPrometheusClient } from '../../src/clients/prometheus/index.ts';
import type { RetryEvent } from '../../src/clients/retry.ts';

const TOKEN = 'prom-secret-7f3a9c';
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

async function stub(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const success = JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, '0.5'] } });

describe('prometheus client failures', () => {
  it('sends the token as a Bearer header and retries a 503 with backoff', async () => {
    const seen: (string | undefined)[] = [];
    let calls = 0;
    const address = await stub((req, res) => {
      seen.push(req.headers.authorization);
      calls += 1;
      if (calls < 3) return void res.writeHead(503, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'error', errorType: 'unavailable', error: 'TSDB not ready' }));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(success);
    });
    const retries: RetryEvent[] = [];
    const client = createPrometheusClient({ address, token: TOKEN, retry: { baseDelayMs: 5 }, onRetry: (e) => retries.push(e) });
    expect(await client.query('up')).toMatchObject({ kind: 'scalar', point: { value: 0.5 } });
    expect(seen).toEqual(Array(3).fill(`Bearer ${TOKEN}`));
    expect(retries.map((r) => [r.service, r.attempt, r.delayMs, r.error.status, r.error.body])).toEqual([
      ['prometheus', 2, 5, 503, 'unavailable: TSDB not ready'],
      ['prometheus', 3, 10, 503, 'unavailable: TSDB not ready'],
    ]);
    client.close();
  });

  it('never carries the token in an error, even when the server echoes it', async () => {
    const address = await stub((req, res) => res.writeHead(401).end(`denied: Authorization: ${req.headers.authorization}; token ${TOKEN}`));
    const client = createPrometheusClient({ address, token: TOKEN });
    const error = await client.query('up').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, hint: expect.stringContaining('token') });
    const printed = `${inspect(error, { depth: 10 })} ${JSON.stringify(error)} ${(error as Error).message}`;
    expect(printed).not.toContain(TOKEN);
    client.close();
  });

  it('keeps the token out of network errors too', async () => {
    const address = await stub(() => undefined);
    servers[0]!.close();
    servers[0]!.closeAllConnections();
    const client = createPrometheusClient({ address, token: TOKEN, retry: { retries: 0 } });
    const error = await client.query('up').catch((e: unknown) => e);
    expect(error).toMatchObject({ service: 'prometheus', status: undefined, code: 'ECONNREFUSED' });
    expect(inspect(error, { depth: 10 })).not.toContain(TOKEN);
    client.close();
  });

  it('turns a 200 that is not a Prometheus answer into an ApiError with a hint', async () => {
    const address = await stub((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>login</html>'));
    const client = createPrometheusClient({ address });
    await expect(client.query('up')).rejects.toMatchObject({ status: 200, hint: expect.stringContaining('not JSON') });
    client.close();
  });

  it('rejects with the signal reason when aborted, without retrying', async () => {
    const address = await stub(() => undefined);
    const retries: RetryEvent[] = [];
    const client = createPrometheusClient({ address, onRetry: (e) => retries.push(e) });
    const controller = new AbortController();
    const pending = client.query('up', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await expect(pending).rejects.toThrow('stop');
    expect(retries).toEqual([]);
    client.close();
  });

  it('maps an execution error (422) and keeps its status for branching', async () => {
    const address = await stub((_req, res) =>
      res.writeHead(422, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'error', errorType: 'execution', error: 'query processing would load too many samples into memory' })),
    );
    const client = createPrometheusClient({ address });
    await expect(client.query('up')).rejects.toMatchObject({ status: 422, body: 'execution: query processing would load too many samples into memory' });
    client.close();
  });
});
