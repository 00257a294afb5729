/**
 * Serves one SandboxService on a random 127.0.0.1 port with node:http, for tests that must not
 * depend on the full sandbox server: the body is read completely, then `handle` answers. A handler
 * that throws gets a 500, so a bug shows up as a failed assertion rather than a hung request.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SandboxService } from '../../src/sandbox/types.ts';

/** A listening service. */
export interface ServedService {
  /** e.g. `http://127.0.0.1:40123` */
  readonly address: string;
  /** Closes the service, then the listener (dropping kept-alive connections). */
  close(): Promise<void>;
}

/** Starts listening; resolves once the port is bound. */
export async function serve(service: SandboxService): Promise<ServedService> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
      Promise.resolve()
        .then(() => service.handle(req, res, url, Buffer.concat(chunks)))
        .catch((error: unknown) => {
          if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end(`sandbox handler failed: ${String(error)}`);
        });
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `http://127.0.0.1:${port}`,
    close: async () => {
      service.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A response read completely, for assertions. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  readonly json: unknown;
}

/** Sends one request and reads the whole answer. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { readonly body?: string | Uint8Array; readonly headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: options.headers ?? {},
    ...(options.body !== undefined ? { body: typeof options.body === 'string' ? options.body : new Uint8Array(options.body) } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}
