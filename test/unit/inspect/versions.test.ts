import { describe, expect, it } from 'vitest';
import { chooseRollbackTarget, historyRows, unixNanosToIso } from '../../../src/inspect/versions.ts';
import { aDeployment } from '../watch/builders.ts';
import { aJobRead } from '../plan/builders.ts';

const version = (n: number, stable: boolean, hash = `hash-${n}`, extra: Parameters<typeof aJobRead>[0] = {}) =>
  aJobRead({ Version: n, Stable: stable, Meta: { 'drover.project': 'shop', 'drover.env': 'qa', 'drover.release': `r${n}`, 'drover.spec_hash': hash }, ...extra });

describe('unixNanosToIso', () => {
  it('keeps every nanosecond of a timestamp beyond Number.MAX_SAFE_INTEGER', () => {
    expect(unixNanosToIso('1700000000123456789')).toBe('2023-11-14T22:13:20.123456789Z');
    // Through a Number the last digits would be lost.
    expect(String(Number('1700000000123456789'))).not.toBe('1700000000123456789');
  });

  it('pads the fraction and handles the epoch', () => {
    expect(unixNanosToIso('0')).toBe('1970-01-01T00:00:00.000000000Z');
    expect(unixNanosToIso('1700000000000000007')).toBe('2023-11-14T22:13:20.000000007Z');
  });
});

describe('historyRows', () => {
  it('lists versions newest first with drover meta and the latest deployment of each version', () => {
    const versions = [version(1, true), version(3, false, 'hash-3', { Meta: {} }), version(2, true, 'hash-2', { Meta: { 'drover.git_sha': 'abcdef1234567890-dirty', 'drover.release': 'r2', 'drover.spec_hash': 'hash-2' } })];
    const deployments = [
      aDeployment({ ID: 'd1', JobVersion: 1, Status: 'successful', CreateIndex: 5 }),
      aDeployment({ ID: 'd3a', JobVersion: 3, Status: 'cancelled', StatusDescription: 'Cancelled due to newer version of job', CreateIndex: 20 }),
      aDeployment({ ID: 'd3b', JobVersion: 3, Status: 'failed', StatusDescription: 'Failed due to unhealthy allocations', CreateIndex: 30 }),
    ];
    const rows = historyRows(versions, deployments, 3);
    expect(rows.map((r) => r.version)).toEqual([3, 2, 1]);
    expect(rows[0]).toMatchObject({ current: true, stable: false, release: '-', gitSha: '-', specHash: '-', deployment: 'failed: Failed due to unhealthy allocations' });
    expect(rows[1]).toMatchObject({ current: false, stable: true, release: 'r2', gitSha: 'abcdef1-dirty', specHash: 'hash-2', deployment: '-' });
    expect(rows[2]).toMatchObject({ deployment: 'successful', submitted: '2023-11-14T22:13:20.123456789Z' });
  });
});

describe('chooseRollbackTarget', () => {
  it('picks the newest stable version older than the current one', () => {
    const versions = [version(4, false), version(3, true), version(2, false), version(1, true)];
    expect(chooseRollbackTarget(versions, versions[0]!)).toMatchObject({ ok: true, target: { Version: 3 }, stable: true });
  });

  it('skips stable versions that run the current spec (the current version is an auto-revert copy)', () => {
    const versions = [version(5, true, 'hash-a'), version(4, false, 'hash-b'), version(3, true, 'hash-a'), version(2, true, 'hash-c')];
    expect(chooseRollbackTarget(versions, versions[0]!)).toMatchObject({ ok: true, target: { Version: 2 } });
  });

  it('refuses when no stable earlier version exists, and says why', () => {
    const versions = [version(2, true, 'hash-a'), version(1, false), version(0, true, 'hash-a')];
    const choice = chooseRollbackTarget(versions, versions[0]!);
    expect(choice).toEqual({ ok: false, reason: 'no stable version older than version 2; stable version 0 runs the same spec as the current one' });
    expect(chooseRollbackTarget([version(0, true)], version(0, true))).toEqual({ ok: false, reason: 'no stable version older than version 0' });
  });

  it('never rolls back to a stopped version', () => {
    const versions = [version(3, true), version(2, true, 'hash-2', { Stop: true })];
    expect(chooseRollbackTarget(versions, versions[0]!).ok).toBe(false);
  });

  it('takes a requested version even when it was never stable, but not the current or an unknown one', () => {
    const versions = [version(3, true), version(2, false), version(1, true)];
    expect(chooseRollbackTarget(versions, versions[0]!, 2)).toMatchObject({ ok: true, target: { Version: 2 }, stable: false });
    expect(chooseRollbackTarget(versions, versions[0]!, 3)).toEqual({ ok: false, reason: 'version 3 is the current version' });
    expect(chooseRollbackTarget(versions, versions[0]!, 9)).toEqual({ ok: false, reason: "version 9 is not in Nomad's history of the job (it keeps versions 3, 2, 1)" });
  });
});
