/**
 * The api's entrypoint as Nomad's raw_exec driver would run it: `node --import tsx
 * examples/apps/api/main.ts` in a real process, configured only by environment variables.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apiEnv, DB_USER, PASSWORD } from './fixtures.ts';
import { request } from './harness.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Running {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly exit: Promise<number | null>;
}

function start(app: string, env: Record<string, string | undefined>): Running {
  // Only what the job would give the task, plus PATH: nothing inherited from the test runner.
  const child = spawn(process.execPath, ['--import', 'tsx', `examples/apps/${app}/main.ts`], { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** The port from the app's `listening` log line. */
async function listeningPort(running: Running, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = running.stdout().split('\n').find((l) => l.includes('"msg":"listening"'));
    if (line) return (JSON.parse(line) as { port: number }).port;
    if (running.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the app did not listen: stdout ${running.stdout()} stderr ${running.stderr()}`);
}

describe('the api entrypoint in its own process', { timeout: 30_000 }, () => {
  it('serves, then on SIGTERM finishes the request in flight and exits 0, never printing a secret', async () => {
    const running = start('api', { ...apiEnv({ HOST: '127.0.0.1', EXAMPLE_LATENCY_MS: '400', LOG_LEVEL: 'debug' }) });
    try {
      const url = `http://127.0.0.1:${await listeningPort(running)}`;
      const list = await request(`${url}/products?limit=1`);
      expect([list.status, JSON.parse(list.body)]).toEqual([200, [{ id: 1, name: 'Espresso beans, 1 kg', priceCents: 2490 }]]);
      const metrics = await request(`${url}/metrics`);
      expect(metrics.body).toContain('http_requests_total{code="200",route="products",method="GET"} 1');
      expect(metrics.body).toContain('process_cpu_seconds_total'); // default metrics in a real process
      const inFlight = request(`${url}/products?limit=2`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      running.child.kill('SIGTERM');
      expect((await inFlight).status).toBe(200);
      expect(await running.exit).toBe(0);
      const output = running.stdout() + running.stderr();
      expect(output).toContain('"msg":"stopped","outcome":"drained"');
      expect(output).not.toContain(PASSWORD);
      expect(output).not.toContain(DB_USER);
    } finally {
      running.child.kill('SIGKILL');
    }
  });

  it('exits 1 with the configuration problems on stderr when a secret is missing', async () => {
    const running = start('api', { ...apiEnv({ DATABASE_PASSWORD: undefined, DATABASE_USER: DB_USER }) });
    expect(await running.exit).toBe(1);
    expect(running.stderr()).toBe("api: cannot start, the configuration is invalid:\n  - DATABASE_PASSWORD is not set (written by the job's Vault template from shop/api/database)\n");
    expect(running.stdout() + running.stderr()).not.toContain(DB_USER);
  });
});
