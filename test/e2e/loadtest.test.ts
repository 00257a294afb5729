/**
 * `drover loadtest` against the sandbox's simulated Fabio over real HTTP on 127.0.0.1: the example
 * api behind `/api` on two instances, short runs (2 s at most), the bounds and the refusals.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadtestCommand } from '../../src/cli/commands/loadtest.ts';
import { createStyle } from '../../src/report/style.ts';
import type { LoadtestOutput } from '../../src/report/documents.ts';
import { EXAMPLE_APPS } from '../../src/sandbox/example-apps.ts';
import { deploy, eventually, startTrafficSandbox, type TrafficSandbox } from '../sandbox/fabio-harness.ts';
import { loadSchema, schemaErrors } from '../support/json-schema.ts';
import { repoRoot, runCli } from '../support/run-cli.ts';

describe('drover loadtest against the sandbox', () => {
  let sim: TrafficSandbox;
  let fabio: string;
  const loadtest = (args: readonly string[], fabioAddress = fabio) => runCli(['loadtest', 'qa', ...args], { env: { NO_COLOR: '1', DROVER_FABIO_ADDR: fabioAddress } });

  beforeAll(async () => {
    sim = await startTrafficSandbox(7431);
    fabio = sim.sandbox.addresses.fabio;
    await deploy(sim.sandbox, { id: 'api', tags: ['urlprefix-/api strip=/api'], count: 2 });
    sim.sandbox.fabio.setApp('api', EXAMPLE_APPS.api!);
    await eventually(() => expect(sim.sandbox.fabio.routes().map((r) => r.path)).toEqual(['/api']));
  });
  afterAll(async () => {
    await sim?.sandbox.close();
  });

  // The first run also loads the project (jobs/, environments/), a few seconds on a busy machine.
  it('sends the asked rate for the asked time and reports percentiles, statuses and throughput', { timeout: 30_000 }, async () => {
    const result = await loadtest(['--route', '/api/products', '--rps', '200', '--duration', '2s', '--output', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as LoadtestOutput;
    expect(schemaErrors(doc, loadSchema('loadtest'))).toEqual([]);
    expect(doc.schema).toBe('drover.loadtest/v1');
    expect(doc.target).toBe(`${fabio}/api/products`);
    expect(doc.statusClasses['2xx']).toBe(doc.answered);
    expect(doc.statusCodes).toEqual({ 200: doc.answered });
    expect([doc.errors, doc.timeouts, doc.statusClasses['5xx']]).toEqual([0, 0, 0]);
    // 200/s, paced in one-second windows per connection: at most 200 in each window the run touched.
    expect(doc.answered).toBeGreaterThan(150);
    expect(doc.answered).toBeLessThanOrEqual(200 * Math.ceil(doc.durationSeconds + 1));
    // autocannon checks its stop flag once a second: a 2 s run ends within 3 s.
    expect(doc.durationSeconds).toBeGreaterThanOrEqual(1.9);
    expect(doc.durationSeconds).toBeLessThanOrEqual(3.1);
    expect(doc.latencyMs.p50).toBeGreaterThanOrEqual(0);
    expect(doc.latencyMs.p50).toBeLessThanOrEqual(doc.latencyMs.p90);
    expect(doc.latencyMs.p90).toBeLessThanOrEqual(doc.latencyMs.p99);
    expect(doc.latencyMs.p99).toBeLessThanOrEqual(doc.latencyMs.max);
    expect(doc.throughputBytesPerSecond).toBeGreaterThan(0);
    expect(doc.stoppedBy).toBe('duration');
  });

  it('stops at the request cap before the time is up', { timeout: 15_000 }, async () => {
    const started = Date.now();
    const result = await loadtest(['--route', '/api/products', '--rps', 'max', '--connections', '5', '--requests', '40', '--duration', '30s', '--output', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as LoadtestOutput;
    expect(doc.requests).toBe(40);
    expect(doc.stoppedBy).toBe('request-cap');
    expect((Date.now() - started) / 1000).toBeLessThan(10);
  });

  it('prints the summary for people, with the split by a response header', async () => {
    const result = await loadtest(['--route', '/api/products', '--rps', '100', '--duration', '1s', '--split-header', 'X-Drover-Sandbox-Instance']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/latency {4}p50 [\d.]+ ms {2}p90 [\d.]+ ms {2}p99 [\d.]+ ms {2}max [\d.]+ ms/);
    expect(result.stdout).toMatch(/status {5}2xx \d+ {2}3xx 0 {2}4xx 0 {2}5xx 0 {2}errors 0 {2}timeouts 0/);
    // Two instances behind the route, each named by the sandbox's instance header.
    const splitLines = result.stdout.split('\n').filter((l) => /^ {4}\S+ +\d+ +[\d.]+ %$/.test(l));
    expect(splitLines).toHaveLength(2);
    expect(result.stderr).toContain(`GET ${fabio}/api/products: 100 req/s for 1s over 10 connections`);
  });

  it('stops when interrupted, prints what it measured and exits 130', { timeout: 15_000 }, async () => {
    let stdout = '';
    const stop = new AbortController();
    const io = { cwd: repoRoot, env: { DROVER_FABIO_ADDR: fabio }, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true } };
    const started = Date.now();
    const running = loadtestCommand(['qa', '--route', '/api/products', '--rps', '100', '--duration', '60s'], io, createStyle(false), { stop: stop.signal });
    setTimeout(() => stop.abort(), 1_500);
    expect(await running).toBe(130);
    expect((Date.now() - started) / 1000).toBeLessThan(10);
    expect(stdout).toMatch(/achieved {3}[\d.]+ req\/s for [\d.]+s, \d+ requests, .* \(interrupted\)/);
  });

  it('refuses a route Fabio answers 404 for, after one probe request', async () => {
    const result = await loadtest(['--route', '/nowhere', '--duration', '1s']);
    expect(result.code).toBe(69);
    expect(result.stderr).toContain('Fabio answered 404 for /nowhere');
    expect(result.stdout).toBe('');
  });

  it('refuses an unreachable Fabio', async () => {
    const result = await loadtest(['--route', '/api/products', '--duration', '1s'], 'http://127.0.0.1:1');
    expect(result.code).toBe(69);
    expect(result.stderr).toContain('Cannot reach Fabio at http://127.0.0.1:1');
  });

  it('exits 69 when the target answers the probe and then nothing', { timeout: 15_000 }, async () => {
    // A one-shot "Fabio": answers the probe, then closes its listener, so the load meets refusals.
    const oneShot = createServer((_req, res) => {
      res.end('ok');
      oneShot.close();
      oneShot.closeAllConnections();
    });
    await new Promise<void>((resolve) => oneShot.listen(0, '127.0.0.1', resolve));
    const result = await loadtest(['--route', '/api/products', '--rps', '50', '--duration', '1s'], `http://127.0.0.1:${(oneShot.address() as AddressInfo).port}`);
    expect(result.code).toBe(69);
    expect(result.stdout).toMatch(/status {5}2xx 0 {2}3xx 0 {2}4xx 0 {2}5xx 0 {2}errors [1-9]\d* /);
    expect(result.stderr).toMatch(/No request was answered after the probe \(\d+ errors, 0 timeouts\): Fabio at http:\/\/127\.0\.0\.1:\d+ stopped answering/);
  });

  it('refuses a target off this machine without --allow-remote, before sending anything', async () => {
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never routed; the refusal comes before any request.
    const result = await loadtest(['--route', '/api/products'], 'http://192.0.2.10:9999');
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('http://192.0.2.10:9999 is not on this machine; load on a shared environment needs --allow-remote');
  });
});
