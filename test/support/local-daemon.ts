/**
 * A real server binary started for a test (Alertmanager, node-exporter, Prometheus) on a free
 * loopback port, with its data directory; resolves once `readyPath` answers 200, and is stopped
 * (SIGTERM, then SIGKILL after 5 s) with its directory removed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from '../../src/sandbox/local-process.ts';

export interface LocalDaemon {
  /** `127.0.0.1:<port>` */
  readonly hostPort: string;
  /** `http://127.0.0.1:<port>` */
  readonly address: string;
  /** What it printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** A port nothing listens on right now (another process may take it before use: callers retry). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts `binary` with the arguments `args(port, dataDir)` gives; waits at most `timeoutMs` for
 * `GET readyPath` to answer 200.
 */
export async function startDaemon(name: string, binary: string, args: (port: number, dataDir: string) => string[], readyPath: string, timeoutMs = 20_000): Promise<LocalDaemon> {
  const dataDir = mkdtempSync(join(tmpdir(), `drover-${name}-`));
  const port = await freePort();
  const child = spawn(binary, args(port, dataDir), { stdio: ['ignore', 'pipe', 'pipe'] });
  const printed: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => void printed.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => void printed.push(chunk.toString()));
  child.on('error', (error) => void printed.push(`spawn failed: ${error.message}`));
  const address = `http://127.0.0.1:${port}`;
  const daemon: LocalDaemon = { hostPort: `127.0.0.1:${port}`, address, output: () => printed.join('').slice(-3000), stop: () => stopChild(child, dataDir) };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (await fetch(`${address}${readyPath}`).then((r) => r.ok, () => false)) return daemon;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await daemon.stop();
  throw new Error(`${name} did not become ready on ${address}${readyPath} within ${timeoutMs} ms (exit ${child.exitCode ?? child.signalCode ?? 'none'}):\n${daemon.output()}`);
}
