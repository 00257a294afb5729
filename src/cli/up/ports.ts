/**
 * Ports for `drover up`, all on 127.0.0.1: HashiCorp's defaults for the three addresses people
 * type (Nomad 4646, Consul 8500, Vault 8200) when they are free, so that an environment whose file
 * names them (environments/dev.ts) works as is; otherwise, and for every other listener, ports the
 * kernel hands out — never one a sandbox or another agent already holds.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { DevPorts } from '../../render/cluster/dev-profile.ts';

/** `defaults: false` (`--random-ports`): free ports only, for a machine where other agents may expect the defaults. */
export async function pickDevPorts(options: { readonly defaults: boolean } = { defaults: true }): Promise<DevPorts> {
  const preferred = async (port: number) => (options.defaults && (await tcpFree(port)) ? port : undefined);
  const wanted = { nomad: await preferred(4646), consul: await preferred(8500), vault: await preferred(8200) };
  const taken = new Set(Object.values(wanted).filter((p): p is number => p !== undefined));
  const free = await freePorts(14, taken);
  const next = (): number => free.shift() as number;
  return {
    nomad: { http: wanted.nomad ?? next(), rpc: next(), serf: next() },
    consul: { http: wanted.consul ?? next(), serfLan: next(), server: next() },
    vault: { api: wanted.vault ?? next(), cluster: next() },
    fabio: { proxy: next(), ui: next(), metrics: next() },
    prometheus: next(),
    consulSd: next(),
  };
}

/**
 * Distinct ports free on 127.0.0.1 for TCP and UDP (Serf gossips over both), not in `avoid`. All
 * are held open together so that the kernel does not hand out one twice.
 */
export async function freePorts(count: number, avoid: ReadonlySet<number> = new Set()): Promise<number[]> {
  const held: Array<() => Promise<void>> = [];
  const ports: number[] = [];
  try {
    while (ports.length < count) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      held.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      if (port > 0 && !avoid.has(port) && (await udpFree(port))) ports.push(port);
    }
    return ports;
  } finally {
    await Promise.all(held.map((close) => close()));
  }
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}
