import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeployEvent } from '../../../src/report/events.ts';
import { ttyReporter } from '../../../src/report/reporters/tty.ts';
import { createStyle } from '../../../src/report/style.ts';
import { Terminal } from '../../support/terminal.ts';

const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
const style = createStyle(true); // colour on: escape codes must not confuse the redraw either

function live(columns = 200, now = () => 0) {
  const terminal = new Terminal(columns);
  const reporter = ttyReporter((t) => terminal.write(t), style, { now, columns: () => columns });
  return { terminal, reporter, spinnerLines: () => terminal.screen().filter((l) => SPINNER.test(l)) };
}

const registered = (job: string, version = 3): DeployEvent => ({ type: 'job-registered', job, version, evalId: 'eval-123456789' });
const progress = (job: string, message: string): DeployEvent => ({ type: 'job-progress', job, message });
const succeeded = (job: string, version = 3): DeployEvent => ({ type: 'job-finished', job, outcome: { status: 'succeeded', version } });

describe('the tty live view', () => {
  afterEach(() => vi.useRealTimers());

  it('shows one line per job in flight, naming the job once', () => {
    const { reporter, spinnerLines } = live();
    reporter(registered('www'));
    reporter(progress('www', 'deployment running: 0/1 healthy'));
    reporter(registered('api'));
    expect(spinnerLines()).toEqual([`${spinnerLines()[0]!.slice(0, 1)} www              deployment running: 0/1 healthy`, `${spinnerLines()[0]!.slice(0, 1)} api              registered version 3 (evaluation eval-123)`]);
    expect(spinnerLines().join('\n')).not.toContain('[www]');
    reporter.stop();
  });

  it('leaves no spinner line once the deploy finished, even for a job that never reported its end', () => {
    const { reporter, terminal, spinnerLines } = live();
    reporter(registered('api'));
    reporter(registered('www'));
    reporter(succeeded('api'));
    reporter({ type: 'deploy-finished', env: 'qa', exitCode: 1, results: [] });
    terminal.write('JOB  RESULT\n'); // the summary table, written by the command after the events
    expect(spinnerLines()).toEqual([]);
    expect(terminal.screen()).toContain('JOB  RESULT');
    reporter.stop();
  });

  it('erases its block on stop (an error or Ctrl-C), before the error is printed', () => {
    vi.useFakeTimers();
    const { reporter, terminal, spinnerLines } = live();
    reporter(registered('api'));
    reporter(progress('api', 'waiting for canaries to become healthy'));
    vi.advanceTimersByTime(1000); // the spinner turns a few times
    expect(spinnerLines()).toHaveLength(1);
    reporter.stop();
    terminal.write('✖ Interrupted\n');
    expect(spinnerLines()).toEqual([]);
    expect(terminal.screen().at(-1)).toBe('✖ Interrupted');
    vi.advanceTimersByTime(1000);
    expect(spinnerLines()).toEqual([]);
  });

  it('prints other text above the block, never under stale lines', () => {
    const { reporter, terminal, spinnerLines } = live();
    reporter(registered('api'));
    reporter(registered('www'));
    reporter.print('⚠ a warning from the secrets preflight');
    reporter(progress('api', 'deployment running: 1/2 healthy'));
    expect(terminal.screen().filter((l) => l.includes('a warning'))).toHaveLength(1);
    expect(spinnerLines()).toHaveLength(2);
    expect(terminal.screen().slice(-2)).toEqual(spinnerLines());
    reporter.stop();
    expect(spinnerLines()).toEqual([]);
  });

  it('cuts status lines to the terminal width, so a redraw never leaves a wrapped row behind', () => {
    const { reporter, spinnerLines, terminal } = live(40);
    reporter(registered('api'));
    reporter(progress('api', 'deployment running: web 0/12 healthy, api 0/4 healthy, worker 0/3 healthy'));
    expect(spinnerLines()).toHaveLength(1);
    expect(spinnerLines()[0]!.length).toBeLessThan(40);
    reporter(succeeded('api'));
    expect(spinnerLines()).toEqual([]);
    expect(terminal.screen().some((l) => l.includes('healthy'))).toBe(false);
    reporter.stop();
  });

  it('counts down the soak in place', () => {
    vi.useFakeTimers();
    let now = 1_000_000;
    const { reporter, terminal, spinnerLines } = live(200, () => now);
    reporter({ type: 'soak-started', release: 'r-1', env: 'qa', durationMs: 120_000, jobs: ['api'] });
    expect(spinnerLines()).toEqual([expect.stringMatching(/^. soak {13}2m00s left \(release r-1\)$/)]);
    now += 40_000;
    vi.advanceTimersByTime(120);
    expect(spinnerLines()).toEqual([expect.stringMatching(/soak {13}1m20s left/)]);
    expect(terminal.screen().filter((l) => l.includes('left'))).toHaveLength(1);
    reporter({ type: 'soak-finished', release: 'r-1', problems: [] });
    expect(spinnerLines()).toEqual([]);
    reporter.stop();
  });

  it('counts the soak on the clock its wait runs on (the demo\'s sandbox time), canary steps on the wall clock', () => {
    vi.useFakeTimers();
    let wall = 0;
    const terminal = new Terminal(200);
    const reporter = ttyReporter((t) => terminal.write(t), style, { now: () => wall, soakNow: () => wall * 10 });
    reporter({ type: 'soak-started', release: 'r-1', env: 'qa', durationMs: 120_000, jobs: ['api'] });
    reporter({ type: 'job-resumed', job: 'api', version: 4, deploymentId: 'dep-1' });
    reporter({ type: 'canary-weight-set', job: 'api', step: 1, of: 3, weight: 0.05, key: 'k', rule: 'r', intervalMs: 2_000, count: 3 });
    wall = 6_000; // 6 s on the wall = 60 s of sandbox time
    vi.advanceTimersByTime(120);
    const screen = terminal.screen().join('\n');
    expect(screen).toMatch(/soak {13}1m00s left/);
    expect(screen).toMatch(/step ends in 0s/);
    reporter.stop();
  });

  it('shows a canary step with the next measurement and the end of the step on the job line', () => {
    vi.useFakeTimers();
    let now = 0;
    const { reporter, spinnerLines } = live(200, () => now);
    reporter({ type: 'job-resumed', job: 'api', version: 4, deploymentId: 'dep-1' });
    reporter({ type: 'canary-weight-set', job: 'api', step: 2, of: 3, weight: 0.25, key: 'k', rule: 'r', intervalMs: 30_000, count: 4 });
    now = 18_000;
    vi.advanceTimersByTime(120);
    expect(spinnerLines()).toEqual([expect.stringMatching(/api {14}canary step 2\/3 25 % — next measurement in 12s, step ends in 1m42s$/)]);
    now = 30_000;
    reporter({ type: 'canary-measured', job: 'api', step: 2, metric: 'error-ratio', scope: 'canary-vs-stable', windowSeconds: 30, value: 0, thresholdMax: 0.05, verdict: 'ok', detail: 'd' });
    expect(spinnerLines()).toEqual([expect.stringMatching(/next measurement in 30s, step ends in 1m30s$/)]);
    reporter({ type: 'canary-step-passed', job: 'api', step: 2, weight: 0.25 });
    expect(spinnerLines()).toEqual([expect.stringMatching(/api {14}resuming the watch/)]);
    reporter.stop();
  });
});
