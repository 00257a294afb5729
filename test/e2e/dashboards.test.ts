/**
 * `drover dashboards <env>` as users run it: static pages for every dashboard plus an index,
 * usage errors for conflicting or malformed flags, and an unreachable Prometheus reported as such.
 * Values from a real Prometheus are covered by test/integration/dashboards.test.ts.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('drover dashboards', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'drover-dashboards-'));
  });
  afterAll(async () => rm(out, { recursive: true, force: true }));

  it('writes a static page per dashboard and an index, queries shown, without a Prometheus', async () => {
    const result = await runCli(['dashboards', 'qa', '--out', out, '--no-typecheck']);
    expect(result.code, result.stderr).toBe(0);
    const files = ['drover-qa-cluster.html', 'drover-qa-jobs.html', 'drover-qa-routes.html', 'drover-qa-deploys.html', 'index.html'];
    expect((await readdir(join(out, 'qa'))).sort()).toEqual([...files].sort());
    expect(result.stdout.trim().split('\n')).toEqual(files.map((f) => join(out, 'qa', f)));
    const jobs = await readFile(join(out, 'qa', 'drover-qa-jobs.html'), 'utf8');
    expect(jobs).toContain('<h3>api: api CPU vs reserved</h3>');
    expect(jobs).toContain('<code>vector(300)</code>');
    expect(jobs).toContain('No Prometheus was given');
    expect(await readFile(join(out, 'qa', 'index.html'), 'utf8')).toContain('<a href="drover-qa-routes.html">drover qa · Fabio routes</a>');
  });

  it('refuses two Prometheus sources and a malformed range before reading the project', async () => {
    const both = await runCli(['dashboards', 'qa', '--prometheus', 'http://127.0.0.1:1', '--live']);
    expect(both.code).toBe(64);
    expect(both.stderr).toContain('--prometheus and --live');
    const range = await runCli(['dashboards', 'qa', '--range', 'an hour']);
    expect(range.code).toBe(64);
    expect(range.stderr).toContain('--range an hour is not a duration');
  });

  it('fails as unreachable, naming Prometheus, when nothing answers at --prometheus', async () => {
    const address = `http://127.0.0.1:${await closedPort()}`;
    const result = await runCli(['dashboards', 'qa', '--prometheus', address, '--out', out, '--no-typecheck']);
    expect(result.code, result.stderr).toBe(69);
    expect(result.stderr).toContain('127.0.0.1');
    expect(result.stderr.toLowerCase()).toContain('prometheus');
  });
});
