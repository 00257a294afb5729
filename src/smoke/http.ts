import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Bytes of a response body read; a smoke check judges the start of a page, not a download. */
export const MAX_BODY_BYTES = 64 * 1024;

/** A smoke request as the transport sends it. */
export interface SmokeHttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/**
 * The fetch-like function smoke checks call, injected so tests can answer without a network.
 * Resolves with the status and (the first 64 KiB of) the body whatever the status; rejects only
 * when there is no answer (refused, reset, timed out, aborted).
 */
export type SmokeHttp = (request: SmokeHttpRequest) => Promise<{ readonly status: number; readonly body: string }>;

/**
 * The default transport, on node:http(s) rather than `fetch`: `fetch` forbids setting `Host`,
 * which host-based Fabio routes need, and it reads whole bodies.
 */
export const nodeSmokeHttp: SmokeHttp = (req) =>
  new Promise((resolve, reject) => {
    const url = new URL(req.url);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(url, { method: req.method, headers: req.headers, timeout: req.timeoutMs, ...(req.signal ? { signal: req.signal } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size >= MAX_BODY_BYTES) return;
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8') }));
      res.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${req.timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end();
  });
