/**
 * The event stream over real sockets on 127.0.0.1, against servers that behave as Nomad 2.0
 * does (frames a real one sent: test/fixtures/recorded/nomad/get_v1_event_stream.json): NDJSON, `{}` heartbeats (the first right
 * away), a close-delimited body on a hijacked connection, and an empty stream on refusal.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/clients/api-error.ts';
import { createNomadClient, resumableEventStream, type EventStreamReconnect, type NomadClient, type NomadEventStream, type NomadEventStreamItem } from '../../src/clients/nomad/index.ts';
import { SENTINELS } from '../support/sentinels.ts';

const TOKEN = SENTINELS.NOMAD_TOKEN;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One batch line; `ModifyTime` is written as the raw literal Nomad sends (JSON.stringify would round it). */
const batch = (index: number, id = `d${index}`): string =>
  JSON.stringify({ Index: index, Events: [{ Topic: 'Deployment', Type: 'DeploymentStatusUpdate', Key: id, Namespace: 'qa', FilterKeys: ['api'], Index: index, Payload: { Deployment: { ID: id, JobID: 'api', Status: 'running', ModifyTime: 'NANOS' } } }] }).replace(
    '"NANOS"',
    '1717171717123456789',
  );

/** An HTTP server whose handler gets each connection's request (URL and headers) and the raw response. */
async function streamServer(handle: (req: IncomingMessage, res: ServerResponse, connection: number) => void): Promise<{ address: string; urls: URL[]; closed: () => number }> {
  const urls: URL[] = [];
  let closed = 0;
  const server = createHttpServer((req, res) => {
    urls.push(new URL(req.url ?? '/', 'http://x'));
    res.on('close', () => closed++);
    handle(req, res, urls.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return { address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, urls, closed: () => closed };
}

function startStream(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
}

function client(address: string): NomadClient {
  const nomad = createNomadClient({ address, token: TOKEN, namespace: 'qa', timeoutMs: 1000 });
  cleanups.push(() => nomad.close());
  return nomad;
}

async function collect(stream: NomadEventStream): Promise<{ items: NomadEventStreamItem[]; error: unknown }> {
  const items: NomadEventStreamItem[] = [];
  try {
    for await (const item of stream) items.push(item);
    return { items, error: undefined };
  } catch (error) {
    return { items, error };
  }
}

const kinds = (items: readonly NomadEventStreamItem[]) => items.map((i) => (i.type === 'heartbeat' ? 'hb' : i.index));

describe('events.stream', () => {
  it('frames NDJSON split at odd places, yields heartbeats, and ends cleanly when the server closes', async () => {
    const body = `{}\n${batch(5)}\n{}\n${batch(6)}\n`;
    const server = await streamServer((_req, res) => {
      startStream(res);
      const cuts = [1, 4, 30, 31, 150, body.length - 3, body.length];
      let from = 0;
      const next = (): void => {
        const cut = cuts.shift();
        if (cut === undefined) return void res.end();
        res.write(body.slice(from, cut));
        from = cut;
        setTimeout(next, 5);
      };
      next();
    });
    const { items, error } = await collect(client(server.address).events.stream({ topics: [{ topic: 'Deployment', key: 'd5' }, { topic: 'Allocation' }], index: 3 }));
    expect(error).toBeUndefined();
    expect(kinds(items)).toEqual(['hb', 5, 'hb', 6]);
    const [, first] = items;
    expect(first?.type === 'events' && first.events[0]?.Payload.Deployment?.ModifyTime).toBe('1717171717123456789');
    const url = server.urls[0];
    expect(url?.pathname).toBe('/v1/event/stream');
    expect(url?.searchParams.getAll('topic')).toEqual(['Deployment:d5', 'Allocation']);
    expect(url?.searchParams.get('index')).toBe('3');
    expect(url?.searchParams.get('namespace')).toBe('qa');
  });

  it('reads a close-delimited body on a hijacked connection (Nomad 2.0: no length, not chunked)', async () => {
    const raw = createNetServer((socket: Socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n');
        socket.write(`{}\n${batch(9).slice(0, 20)}`);
        setTimeout(() => socket.end(`${batch(9).slice(20)}\n{}`), 20); // the last line has no newline
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => raw.close(() => resolve())));
    const { items, error } = await collect(client(`http://127.0.0.1:${(raw.address() as AddressInfo).port}`).events.stream({ topics: [{ topic: 'Deployment' }], namespace: '*' }));
    expect(error).toBeUndefined();
    expect(kinds(items)).toEqual(['hb', 9, 'hb']);
  });

  it('reports a stream closed before its first heartbeat (how Nomad 2.0 refuses a token) as EEMPTYSTREAM', async () => {
    const server = await streamServer((_req, res) => (startStream(res), res.end()));
    const { error } = await collect(client(server.address).events.stream({ topics: [{ topic: 'Job' }] }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 200, code: 'EEMPTYSTREAM' });
    expect((error as ApiError).hint).toContain('read-job');
  });

  it('maps a 400 for a bad topic to ApiError with the text body', async () => {
    const server = await streamServer((_req, res) => (res.writeHead(400, { 'Content-Type': 'text/plain' }), res.end('Invalid topic query: a:b:c')));
    const { error } = await collect(client(server.address).events.stream({ topics: [{ topic: 'a', key: 'b:c' }] }));
    expect(error).toMatchObject({ status: 400, body: 'Invalid topic query: a:b:c' });
    expect(inspect(error, { depth: 20 })).not.toContain(TOKEN);
  });

  it('outlives the request timeout once the stream is open (only the heartbeat timeout applies)', async () => {
    const server = await streamServer((_req, res) => {
      startStream(res);
      res.write('{}\n');
      setTimeout(() => res.end(`${batch(4)}\n`), 400);
    });
    const nomad = createNomadClient({ address: server.address, token: TOKEN, timeoutMs: 100 });
    cleanups.push(() => nomad.close());
    const { items, error } = await collect(nomad.events.stream({ topics: [{ topic: 'Job' }] }));
    expect(error).toBeUndefined();
    expect(kinds(items)).toEqual(['hb', 4]);
  });

  it('fails with ETIMEDOUT when heartbeats stop arriving', async () => {
    const server = await streamServer((_req, res) => (startStream(res), res.write('{}\n')));
    const { items, error } = await collect(client(server.address).events.stream({ topics: [{ topic: 'Job' }], heartbeatTimeoutMs: 100 }));
    expect(kinds(items)).toEqual(['hb']);
    expect(error).toMatchObject({ status: undefined, code: 'ETIMEDOUT' });
    await expect.poll(() => server.closed()).toBe(1);
  });

  it('maps a connection reset mid-stream to ECONNRESET without the token', async () => {
    const server = await streamServer((req, res) => {
      startStream(res);
      res.write(`{}\n${batch(2)}\n`);
      setTimeout(() => req.socket.destroy(), 20);
    });
    const { items, error } = await collect(client(server.address).events.stream({ topics: [{ topic: 'Job' }] }));
    expect(kinds(items)).toEqual(['hb', 2]);
    expect(error).toMatchObject({ status: undefined, code: 'ECONNRESET' });
    const e = error as Error;
    for (const text of [e.message, JSON.stringify(e), String(e.stack), inspect(e, { depth: 20, showHidden: true })]) expect(text).not.toContain(TOKEN);
  });

  it('closes the connection when the consumer breaks out, and rejects with the reason on abort', async () => {
    const server = await streamServer((_req, res) => (startStream(res), res.write(`{}\n${batch(1)}\n`)));
    const nomad = client(server.address);
    for await (const item of nomad.events.stream({ topics: [{ topic: 'Job' }] })) if (item.type === 'events') break;
    await expect.poll(() => server.closed()).toBe(1);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop watching')), 30);
    const { error } = await collect(nomad.events.stream({ topics: [{ topic: 'Job' }], signal: controller.signal }));
    expect(error).toEqual(new Error('stop watching'));
    await expect.poll(() => server.closed()).toBe(2);
  });
});

describe('resumableEventStream', () => {
  it('reconnects after resets and clean closes from the index after the last batch, skipping replays, with capped backoff', async () => {
    const server = await streamServer((req, res, connection) => {
      startStream(res);
      if (connection === 1) return void (res.write(`{}\n${batch(7)}\n`), setTimeout(() => req.socket.destroy(), 10));
      // Resuming past the newest batch makes Nomad send that batch again (StartAtClosest).
      if (connection === 2) return void res.end(`{}\n${batch(7)}\n${batch(8)}\n${batch(9)}\n`);
      res.write(`{}\n${batch(12)}\n`);
    });
    const reconnects: EventStreamReconnect[] = [];
    const controller = new AbortController();
    const items: NomadEventStreamItem[] = [];
    const done = (async () => {
      for await (const item of resumableEventStream(client(server.address), {
        topics: [{ topic: 'Deployment' }], index: 1, signal: controller.signal, reconnect: { baseDelayMs: 5, maxDelayMs: 20 }, onReconnect: (e) => reconnects.push(e),
      })) {
        items.push(item);
        if (item.type === 'events' && item.index === 12) controller.abort(new Error('done'));
      }
    })();
    await expect(done).rejects.toThrow('done');
    expect(kinds(items)).toEqual(['hb', 7, 'hb', 8, 9, 'hb', 12]);
    expect(server.urls.map((u) => u.searchParams.get('index'))).toEqual(['1', '8', '10']);
    expect(reconnects.map((r) => [r.index, r.attempt, r.delayMs, r.error?.code])).toEqual([[8, 1, 5, 'ECONNRESET'], [10, 1, 5, undefined]]);
    expect(inspect(reconnects, { depth: 20 })).not.toContain(TOKEN);
  });

  it('backs off on refused connections, then gives up after `retries`', async () => {
    const server = await streamServer(() => undefined);
    const address = server.address;
    await cleanups.shift()?.();
    const reconnects: EventStreamReconnect[] = [];
    const { error } = await collect(resumableEventStream(client(address), { topics: [{ topic: 'Job' }], reconnect: { retries: 3, baseDelayMs: 1, maxDelayMs: 4 }, onReconnect: (e) => reconnects.push(e) }));
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(reconnects.map((r) => [r.attempt, r.delayMs])).toEqual([[1, 1], [2, 2], [3, 4]]);
  });

  it('does not retry refusals: a 403 or an empty stream is rethrown at once', async () => {
    const server = await streamServer((_req, res) => (res.writeHead(403, { 'Content-Type': 'text/plain' }), res.end('Permission denied')));
    const reconnects: EventStreamReconnect[] = [];
    const { error } = await collect(resumableEventStream(client(server.address), { topics: [{ topic: 'Job' }], onReconnect: (e) => reconnects.push(e) }));
    expect(error).toMatchObject({ status: 403, body: 'Permission denied' });
    const empty = await streamServer((_req, res) => (startStream(res), res.end()));
    const second = await collect(resumableEventStream(client(empty.address), { topics: [{ topic: 'Job' }], onReconnect: (e) => reconnects.push(e) }));
    expect(second.error).toMatchObject({ code: 'EEMPTYSTREAM' });
    expect(reconnects).toEqual([]);
  });
});
