/**
 * Helpers for the example apps' tests: an app served on 127.0.0.1 with a random port and its log
 * lines kept, plain HTTP requests, and reading one series from a `/metrics` answer.
 */
import { request as httpRequest } from 'node:http';
import type { ExampleApp } from '../../examples/apps/shared/http-app.ts';
import { createLogger, type Logger } from '../../examples/apps/shared/log.ts';
import { serve, type RunningServer } from '../../examples/apps/shared/serve.ts';

/** A served app, its base URL and what it logged. */
export interface ServedApp {
  readonly app: ExampleApp;
  readonly server: RunningServer;
  readonly url: string;
  readonly lines: string[];
}

/** A debug-level logger whose lines land in `lines`. */
export function captureLog(app: string, lines: string[]): Logger {
  return createLogger({ app, level: 'debug', write: (line) => void lines.push(line) });
}

/** Serves `build(log)` on 127.0.0.1:<random>. */
export async function serveApp(build: (log: Logger) => ExampleApp, shutdownTimeoutMs = 5_000): Promise<ServedApp> {
  const lines: string[] = [];
  const log = captureLog('test', lines);
  const app = build(log);
  const server = await serve({ app, port: 0, host: '127.0.0.1', shutdownTimeoutMs, log });
  return { app, server, url: `http://127.0.0.1:${server.port}`, lines };
}

export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** One request on a fresh connection; rejects on connection errors. */
export function request(url: string, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The value of `series` (name and labels exactly as exposed) in a text exposition; undefined when absent. */
export function sample(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** `sample` of the app's current `/metrics`. */
export async function metric(url: string, series: string): Promise<number | undefined> {
  return sample((await request(`${url}/metrics`)).body, series);
}

/** Retries `check` every 20 ms until it stops throwing; rethrows its last error at the deadline. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 3_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
