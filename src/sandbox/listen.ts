import type { Server } from 'node:http';

/** Every sandbox listener binds loopback only: it is a local simulator, never a network service. */
export const SANDBOX_HOST = '127.0.0.1';

/** Binds `server` to `SANDBOX_HOST:port` (0 = any free port); rejects when the bind fails. */
export async function listen(server: Server, port: number): Promise<Server> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, SANDBOX_HOST, () => (server.off('error', reject), resolve()));
  });
  return server;
}

/** Closes `server` now: open keep-alive and streaming connections are cut, not waited for. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
