/**
 * `drover deploy --metrics-file` against the sandbox: the file node-exporter's textfile collector
 * would read, checked by promtool's own linter (`promtool check metrics`), for a deploy that
 * succeeds and for one refused before it started. promtool comes with Debian's prometheus package
 * (scripts/install-prometheus.sh); without it the lint is skipped loudly, the content still checked.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryAvailability, warnSkipped } from '../support/prometheus-server.ts';
import { runAgainst, sandboxFor, type SeededSandbox } from '../support/sandbox.ts';
import { tempProject } from '../support/temp-project.ts';

const promtool = binaryAvailability('promtool');
warnSkipped('test/e2e/deploy-metrics-file.test.ts (promtool check metrics)', promtool);

/** promtool's lint problems (empty = clean); it exits non-zero only on parse errors, so both are returned. */
function lint(text: string): string {
  if (!promtool.available) return '';
  try {
    return execFileSync(promtool.binary, ['check', 'metrics'], { input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return `${failed.stdout ?? ''}${failed.stderr ?? ''}` || 'promtool failed';
  }
}

const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('deploy --metrics-file', { timeout: 60_000 }, () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let sandbox: SeededSandbox;
  let dir: string;
  beforeAll(async () => {
    project = await tempProject({ environments: 'standalone' });
    sandbox = await sandboxFor('qa');
    dir = await mkdtemp(join(tmpdir(), 'drover-textfile-'));
  });
  afterAll(async () => {
    await sandbox?.close();
    await project?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes what a successful deploy did, in a form promtool accepts without a lint warning', async () => {
    const file = join(dir, 'drover-qa.prom');
    const run = await runAgainst(sandbox, ['deploy', 'qa', '--git-sha', '8'.repeat(40), '--metrics-file', file], { cwd: project.dir, env: { VAULT_TOKEN: sandbox.deployerToken } });
    expect(run.code, run.stderr).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(lint(text)).toBe('');
    expect(sample(text, 'drover_deploy_last_exit_code{env="qa"}')).toBe(0);
    expect(sample(text, 'drover_deploy_last_jobs{env="qa",outcome="succeeded"}')).toBe(8); // every job qa deploys, log-shipper included
    expect(sample(text, 'drover_deploy_last_jobs{env="qa",outcome="failed"}')).toBe(0);
    expect(sample(text, 'drover_deploy_last_job_version{env="qa",job="api"}')).toBe(0);
    expect(sample(text, 'drover_deploy_last_release_info{env="qa",release="888888888888"}')).toBe(1);
    expect(sample(text, 'drover_deploy_last_duration_seconds{env="qa"}')).toBeGreaterThan(0);
    expect(await readdir(dir)).toEqual(['drover-qa.prom']); // no temporary file left behind
  });

  it('records the exit code of a deploy refused before it started', async () => {
    const file = join(dir, 'drover-refused.prom');
    const run = await runAgainst(sandbox, ['deploy', 'qa', '--job', 'no-such-job', '--metrics-file', file], { cwd: project.dir });
    expect(run.code).toBe(64);
    const text = await readFile(file, 'utf8');
    expect(lint(text)).toBe('');
    expect(sample(text, 'drover_deploy_last_exit_code{env="qa"}')).toBe(64);
    expect(sample(text, 'drover_deploy_last_jobs{env="qa",outcome="succeeded"}')).toBe(0);
  });

  it('warns, and keeps the exit code, when the file cannot be written', async () => {
    const run = await runAgainst(sandbox, ['deploy', 'qa', '--job', 'no-such-job', '--metrics-file', join(dir, 'missing-dir', 'x.prom')], { cwd: project.dir });
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('Could not write the deploy metrics to');
  });
});
