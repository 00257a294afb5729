/**
 * What one Fabio route sustains on this machine, measured with `drover loadtest` (the numbers in
 * the README's "Load testing" section):
 *
 *   npx tsx bench/loadtest-fabio.ts [--fabio sandbox,real,direct] [--rps 1000,max] [--duration 30s]
 *
 * The same upstream for every Fabio: the example api (examples/apps/api, its own Node process on
 * 127.0.0.1) registered in Consul with `urlprefix-/api strip=/api`, loaded at /api/products.
 * - `sandbox`: the simulated Fabio of `drover sandbox --bare` (its own process), routing from the
 *   sandbox's Consul;
 * - `real`: Fabio 1.7.3 (`fabio` on PATH, e.g. PATH=/dir/with/fabio:$PATH) with drover's rendered qa
 *   properties, routing from a real `consul agent -dev` (.tools/consul, `npm run consul:install`);
 * - `direct`: the api itself, no proxy (the upstream's own ceiling, for comparison).
 * Everything listens on 127.0.0.1 and stops when the script ends. A script, not a test: the load
 * generator, the proxy and the app share the machine's cores, so read one run as one measurement.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import qa from '../environments/qa.ts';
import type { LoadtestOutput } from '../src/report/documents.ts';
import { consulAvailability, startRealConsul, startRealFabio } from '../test/support/real-cluster.ts';
import { findOnPath } from '../test/support/real-process.ts';

const ROUTE_TAG = 'urlprefix-/api strip=/api';
const repoRoot = new URL('../', import.meta.url).pathname;
const { values } = parseArgs({ options: { fabio: { type: 'string', default: 'sandbox,real,direct' }, rps: { type: 'string', default: '1000,max' }, duration: { type: 'string', default: '30s' } } });
const cleanups: (() => Promise<unknown> | unknown)[] = [];

/** A free port on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

function spawnNode(args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => child.kill('SIGTERM'));
  return child;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The example api on its own port, as its job runs it (placeholder database settings). */
async function startApi(): Promise<string> {
  const port = await freePort();
  spawnNode(['--import', 'tsx', 'examples/apps/api/main.ts'], { PORT: String(port), HOST: '127.0.0.1', DATABASE_HOST: 'localhost', DATABASE_NAME: 'shop', DATABASE_USER: 'shop', DATABASE_PASSWORD: 'bench', LOG_LEVEL: 'error' });
  const url = `http://127.0.0.1:${port}`;
  await until('the example api', async () => ((await fetch(`${url}/ready`)).ok ? true : undefined));
  return url;
}

/** Registers the api in a Consul (sandbox or real) under the route tag. */
async function registerApi(consul: string, api: string): Promise<void> {
  const { port } = new URL(api);
  const body = { Name: 'api', ID: 'api-bench', Address: '127.0.0.1', Port: Number(port), Tags: [ROUTE_TAG], Check: { Name: 'api-ready', HTTP: `${api}/ready`, Interval: '2s', Status: 'passing' } };
  const answer = await fetch(`${consul}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify(body) });
  if (!answer.ok) throw new Error(`register api in ${consul}: ${answer.status} ${await answer.text()}`);
}

/** `drover sandbox --bare` in its own process; resolves with its Fabio and Consul addresses. */
async function startSandboxFabio(): Promise<{ fabio: string; consul: string }> {
  const child = spawnNode(['bin/drover.mjs', 'sandbox', '--bare', '--nomad-port', '0', '--consul-port', '0', '--vault-port', '0']);
  let exports = '';
  child.stdout?.on('data', (chunk: Buffer) => (exports += chunk.toString('utf8')));
  const read = (name: string) => new RegExp(`export ${name}=(\\S+)`).exec(exports)?.[1];
  return until('the sandbox exports', async () => {
    const fabio = read('DROVER_FABIO_ADDR');
    const consul = read('CONSUL_HTTP_ADDR');
    return fabio && consul ? { fabio, consul } : undefined;
  });
}

async function startRealFabioRoute(api: string): Promise<string> {
  const consul = await startRealConsul();
  cleanups.push(() => consul.stop());
  const fabio = await startRealFabio({ env: qa, consul: consul.address });
  cleanups.push(() => fabio.stop());
  await registerApi(consul.address, api);
  return fabio.proxy;
}

/** Runs `drover loadtest qa` as its own process against `address`. */
function loadtest(address: string, route: string, rps: string, duration: string): Promise<LoadtestOutput> {
  const args = ['bin/drover.mjs', 'loadtest', 'qa', '--route', route, '--rps', rps, '--duration', duration, '--output', 'json'];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: repoRoot, env: { ...process.env, DROVER_FABIO_ADDR: address, NO_COLOR: '1' }, timeout: 15 * 60_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`drover loadtest against ${address} failed: ${stderr}`));
      resolve(JSON.parse(stdout) as LoadtestOutput);
    });
  });
}

function row(name: string, rps: string, doc: LoadtestOutput): string {
  const s = doc.statusClasses;
  const l = doc.latencyMs;
  return [name.padEnd(8), rps.padStart(5), String(doc.rps).padStart(8), `${l.p50}/${l.p90}/${l.p99}/${l.max}`.padStart(16), String(s['2xx']).padStart(8), String(s['5xx'] + s['4xx'] + doc.errors).padStart(6)].join('  ');
}

/** Why the real Fabio cannot run here, or undefined when it can. */
function realMissing(): string | undefined {
  if (!findOnPath('fabio')) return 'no fabio on PATH (Fabio 1.7.3; e.g. PATH=/path/to/fabio-dir:$PATH)';
  const consul = consulAvailability();
  return consul.available ? undefined : consul.reason;
}

async function main(): Promise<void> {
  const api = await startApi();
  const targets: [string, () => Promise<string>][] = [
    ['sandbox', async () => {
      const sandbox = await startSandboxFabio();
      await registerApi(sandbox.consul, api);
      return sandbox.fabio;
    }],
    ['real', () => startRealFabioRoute(api)],
    ['direct', async () => api],
  ];
  const wanted = values.fabio.split(',');
  console.log(`${new Date().toISOString()}  ${cpus().length} cores, load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}`);
  console.log('fabio     rps  achieved  p50/p90/p99/max ms       2xx  failed');
  for (const [name, start] of targets.filter(([n]) => wanted.includes(n))) {
    const missing = name === 'real' ? realMissing() : undefined;
    if (missing) {
      console.log(`${name.padEnd(8)}  NOT MEASURED: ${missing}`);
      continue;
    }
    const address = await start();
    // Without Fabio nothing strips /api: the api itself serves /products.
    const route = name === 'direct' ? '/products' : '/api/products';
    await until(`GET ${address}${route}`, async () => ((await fetch(`${address}${route}`)).ok ? true : undefined));
    for (const rps of values.rps.split(',')) console.log(row(name, rps, await loadtest(address, route, rps, values.duration)));
  }
}

try {
  await main();
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}
