/**
 * Starts a real `consul agent -dev` for integration tests: bound to 127.0.0.1, on free ports of its
 * own, with DNS, gRPC and WAN gossip disabled and its own temp data dir, so tests can run in
 * parallel. Install the binary with `npm run consul:install` (.tools/consul/usr/bin/consul) or put
 * `consul` on PATH.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { accessSync, constants, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChild } from '../../src/sandbox/local-process.ts';

/** A running dev agent. */
export interface ConsulAgent {
  /** e.g. `http://127.0.0.1:40123` */
  readonly address: string;
  /** The agent's node name (`drover-test-<pid>-<http port>`). */
  readonly node: string;
  /** Stops the agent and removes its data dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** Whether a consul binary can be used, and if not, why. */
export type ConsulAvailability = { readonly available: true; readonly binary: string } | { readonly available: false; readonly reason: string };

export interface StartOptions {
  /** Enables ACLs with this default policy; with `allow`, anonymous requests work and unknown tokens get 403. */
  readonly aclDefaultPolicy?: 'allow' | 'deny';
  /** How long to wait for a leader. @default 30000 */
  readonly readyTimeoutMs?: number;
  /** More configuration, one `-hcl` fragment each (Consul merges them), e.g. `encrypt = "…"`. @default none */
  readonly hcl?: readonly string[];
}

const LOCAL_BINARY = fileURLToPath(new URL('../../.tools/consul/usr/bin/consul', import.meta.url));

/** Finds consul in .tools/ (preferred: the pinned 1.8.7) or on PATH. */
export function consulAvailability(): ConsulAvailability {
  const candidates = [LOCAL_BINARY, ...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'consul'))];
  const binary = candidates.find(isExecutable);
  if (binary) return { available: true, binary };
  return { available: false, reason: `no consul binary at ${LOCAL_BINARY} or on PATH; run \`npm run consul:install\`` };
}

/** Prints a loud warning that a suite is skipped; call it when `consulAvailability()` says no. */
export function warnConsulSkipped(suite: string, availability: ConsulAvailability): void {
  if (availability.available) return;
  console.warn(`\n!!!!!!!!!! SKIPPED: ${suite} — ${availability.reason} !!!!!!!!!!\n`);
}

/** Starts a dev agent and resolves once it has a leader. Retries with new ports if one was taken meanwhile. */
export async function startConsulAgent(options: StartOptions = {}): Promise<ConsulAgent> {
  const availability = consulAvailability();
  if (!availability.available) throw new Error(availability.reason);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(availability.binary, options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce(binary: string, options: StartOptions): Promise<ConsulAgent> {
  const [http, serfLan, server] = await freePorts(3);
  const dataDir = mkdtempSync(join(tmpdir(), 'drover-consul-'));
  const args = [
    'agent', '-dev', '-bind=127.0.0.1', '-client=127.0.0.1', `-data-dir=${dataDir}`,
    `-node=drover-test-${process.pid}-${http}`, '-disable-host-node-id', '-log-level=warn',
    `-http-port=${http}`, `-serf-lan-port=${serfLan}`, `-server-port=${server}`,
    '-dns-port=-1', '-grpc-port=-1', '-serf-wan-port=-1',
    ...(options.aclDefaultPolicy ? ['-hcl', `acl { enabled = true\n default_policy = "${options.aclDefaultPolicy}" }`] : []),
    ...(options.hcl ?? []).flatMap((fragment) => ['-hcl', fragment]),
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer): void => void output.push(chunk.toString());
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (error) => output.push(`spawn failed: ${error.message}`));
  const address = `http://127.0.0.1:${http}`;
  const agent: ConsulAgent = { address, node: `drover-test-${process.pid}-${http}`, stop: () => stopChild(child, dataDir) };
  try {
    await waitForLeader(address, child, options.readyTimeoutMs ?? 30_000);
    return agent;
  } catch (error) {
    await agent.stop();
    const log = output.join('').slice(-2000);
    throw new Error(`consul agent did not become ready: ${(error as Error).message}\n${log}`);
  }
}

async function waitForLeader(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited with ${child.exitCode ?? child.signalCode}`);
    try {
      const response = await fetch(`${address}/v1/status/leader`, { signal: AbortSignal.timeout(1000) });
      // The answer is a JSON string: "127.0.0.1:8300" once elected, "" before.
      if (response.ok && ((await response.json()) as unknown) !== '') return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no leader after ${timeoutMs}ms`);
}

/**
 * Distinct ports that are free on 127.0.0.1 for TCP and UDP (Serf gossips over both on one port).
 * All are held open together so the kernel does not hand out the same one twice.
 */
export async function freePorts(count: number): Promise<number[]> {
  const held: Array<() => Promise<void>> = [];
  const ports: number[] = [];
  try {
    while (ports.length < count) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      held.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      if (port > 0 && (await udpFree(port))) ports.push(port);
    }
    return ports;
  } finally {
    await Promise.all(held.map((close) => close()));
  }
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

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
