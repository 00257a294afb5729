import { describe, expect, it } from 'vitest';
import { deployExitCode } from '../../../src/deploy/exit-code.ts';
import type { JobOutcome } from '../../../src/deploy/outcome.ts';
import { ExitCode } from '../../../src/errors.ts';
import { aResult } from './builders.ts';

type Status = JobOutcome['status'];

const results = (...statuses: Status[]) => statuses.map((status, i) => aResult(`job-${i}`, status));

/** The code each outcome asks for on its own (README's exit-code table). */
const alone: Readonly<Record<Status, ExitCode>> = {
  succeeded: ExitCode.ok,
  unchanged: ExitCode.ok,
  'awaiting-promotion': ExitCode.awaitingPromotion,
  'placement-failed': ExitCode.placementFailed,
  failed: ExitCode.deploymentFailed,
  skipped: ExitCode.deploymentFailed,
};

/** Worst first: the order in which one outcome's code outranks another's. */
const severity: readonly ExitCode[] = [ExitCode.deploymentFailed, ExitCode.placementFailed, ExitCode.awaitingPromotion, ExitCode.ok];

describe('deployExitCode', () => {
  it('is 0 for a deploy with no jobs', () => {
    expect(deployExitCode([])).toBe(ExitCode.ok);
  });

  it.each(Object.entries(alone) as [Status, ExitCode][])('gives %s on its own exit %i', (status, code) => {
    expect(deployExitCode(results(status))).toBe(code);
  });

  it('is 0 when every job succeeded or was already running', () => {
    expect(deployExitCode(results('succeeded', 'unchanged', 'succeeded'))).toBe(ExitCode.ok);
  });

  it('says 3 when canaries wait for promotion and nothing failed', () => {
    expect(deployExitCode(results('succeeded', 'awaiting-promotion', 'unchanged'))).toBe(ExitCode.awaitingPromotion);
  });

  it('lets a placement failure outrank canaries waiting for promotion', () => {
    expect(deployExitCode(results('awaiting-promotion', 'placement-failed'))).toBe(ExitCode.placementFailed);
  });

  it('lets a failed job outrank a placement failure', () => {
    expect(deployExitCode(results('placement-failed', 'failed', 'succeeded'))).toBe(ExitCode.deploymentFailed);
  });

  it('counts a job skipped because its dependency did not deploy as a failed deploy', () => {
    expect(deployExitCode(results('succeeded', 'skipped'))).toBe(ExitCode.deploymentFailed);
    expect(deployExitCode(results('awaiting-promotion', 'skipped'))).toBe(ExitCode.deploymentFailed);
  });

  it('does not depend on the order of the results', () => {
    expect(deployExitCode(results('failed', 'awaiting-promotion', 'placement-failed'))).toBe(ExitCode.deploymentFailed);
    expect(deployExitCode(results('placement-failed', 'awaiting-promotion', 'failed'))).toBe(ExitCode.deploymentFailed);
  });

  it('tells the worst outcome for every mix of outcomes', () => {
    const statuses = Object.keys(alone) as Status[];
    for (let mask = 1; mask < 1 << statuses.length; mask++) {
      const mix = statuses.filter((_, bit) => mask & (1 << bit));
      const worst = severity.find((code) => mix.some((s) => alone[s] === code));
      expect(deployExitCode(results(...mix)), mix.join(' + ')).toBe(worst);
    }
  });
});
