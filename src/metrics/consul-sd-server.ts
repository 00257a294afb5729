/**
 * Prometheus HTTP service discovery (`http_sd_configs`) backed by Consul's catalog: every GET
 * answers the catalog's instances as target groups labelled as consul_sd labels them. For a
 * Prometheus built without consul_sd (Debian's package), which then scrapes the applications
 * drover deploys with the same relabeling as production. Consul is read through drover's client
 * on each request (Prometheus refreshes every few seconds); when it cannot be read the answer is
 * a 503 naming why, and Prometheus keeps the targets it had.
 */
import { createServer, type Server } from 'node:http';
import type { ConsulClient } from '../clients/consul/index.ts';
import { consulSdTargetGroups, type TargetGroup } from './consul-sd.ts';

export interface ConsulSdServer {
  /** `http://127.0.0.1:<port>` */
  readonly address: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Every instance in the catalog, as target groups. */
export async function readTargetGroups(consul: Pick<ConsulClient, 'catalog'>, signal?: AbortSignal): Promise<TargetGroup[]> {
  const services = Object.keys((await consul.catalog.services({ ...(signal ? { signal } : {}) })).value).sort();
  const entries = await Promise.all(services.map(async (name) => (await consul.catalog.service(name, { ...(signal ? { signal } : {}) })).value));
  return consulSdTargetGroups(entries.flat());
}

/** Listens on `host:port` (port 0: a free one) and answers GET / (any path) with the target groups. */
export async function startConsulSdServer(consul: Pick<ConsulClient, 'catalog'>, listen: { readonly host: string; readonly port: number }): Promise<ConsulSdServer> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET') {
      response.writeHead(405, { allow: 'GET', 'content-type': 'text/plain' }).end('GET only\n');
      return;
    }
    readTargetGroups(consul, AbortSignal.timeout(10_000)).then(
      (groups) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(groups)),
      (error: Error) => response.writeHead(503, { 'content-type': 'text/plain' }).end(`Consul's catalog could not be read: ${error.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(listen.port, listen.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  return {
    address: `http://${listen.host}:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
