/**
 * `npm start` is the README's first command: render, validate, deploy qa (record and verify a
 * release), deploy prod (exactly that release, with a progressive canary when Prometheus is
 * installed). Run here as the CLI runs it, in a throwaway copy of the project.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../src/report/events.ts';
import { binaryAvailability } from '../support/prometheus-server.ts';
import { runCli } from '../support/run-cli.ts';
import { tempProject } from '../support/temp-project.ts';

const prometheus = binaryAvailability('prometheus');
if (!prometheus.available) console.warn(`\n!!!!!!!!!! test/e2e/demo.test.ts: ${prometheus.reason}; the demo's progressive canary is NOT checked !!!!!!!!!!\n`);

describe('drover demo (npm start)', { timeout: 150_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    project = await tempProject();
  });
  afterAll(async () => {
    await project.cleanup();
  });

  it('deploys qa, verifies the release, and deploys exactly that release to prod', async () => {
    const result = await runCli(['demo', '--speed', '20', '--output', 'ndjson', '--git-sha', '7'.repeat(40)], { cwd: project.dir, env: { NO_COLOR: '1', CI: 'true', PATH: process.env['PATH'] ?? '' } });
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const events = result.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as DeployEvent);
    const created = events.find((e): e is Extract<DeployEvent, { type: 'release-created' }> => e.type === 'release-created')!;
    expect(created).toMatchObject({ env: 'qa', status: 'deployed' });
    expect(events.filter((e) => e.type === 'smoke-finished').every((e) => e.type === 'smoke-finished' && e.result.ok)).toBe(true);
    expect(events.find((e) => e.type === 'release-verified')).toMatchObject({ release: created.release, env: 'qa' });
    expect(events.find((e) => e.type === 'release-accepted')).toMatchObject({ release: created.release, env: 'prod' });
    expect(events.find((e) => e.type === 'release-outcome-recorded')).toMatchObject({ release: created.release, env: 'prod', status: 'succeeded' });
    const finished = events.filter((e): e is Extract<DeployEvent, { type: 'deploy-finished' }> => e.type === 'deploy-finished');
    expect(finished.map((e) => [e.env, e.exitCode])).toEqual([['qa', 0], ['prod', 0]]);
    if (prometheus.available) {
      expect(events.filter((e) => e.type === 'canary-weight-set').map((e) => e.type === 'canary-weight-set' && e.weight)).toEqual([0.05, 0.25, 0.5]);
      expect(events.find((e) => e.type === 'canary-promoted')).toMatchObject({ job: 'api' });
      expect(events.find((e) => e.type === 'canary-rule-removed')).toMatchObject({ job: 'api' });
    } else {
      expect(result.stderr).toContain('No Prometheus');
    }
    // After qa's deploy, drover logs shows what its first service's allocations wrote.
    expect(result.stderr).toContain('▶ drover logs qa api --tail 5');
    expect(result.stderr).toMatch(/^api\[0\] v0 \| (starting api|ready|GET \/health 200)/m);
    expect(result.stderr).toMatch(/^api\[1\] v0 \| (starting api|ready|GET \/health 200)/m);
    expect(result.stderr).toContain('Demo finished');
  });
});
