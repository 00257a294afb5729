import { describe, expect, it } from 'vitest';
import { ReleaseVerificationError } from '../../../src/release/errors.ts';
import { aRelease, aVerification } from './builders.ts';

/** `<env>`, `<id>`…: a placeholder where a runnable command should be. */
const PLACEHOLDER = /<[a-z][a-z-]*>/;

describe('ReleaseVerificationError', () => {
  it('points a soak failure at `drover status` for the environment, naming the allocations', () => {
    const problems = [
      { job: 'api', allocId: 'a1b2c3d4-0000-0000-0000-000000000000', allocName: 'api.api[0]', kind: 'restarted' as const, detail: 'task api restarted 1 time' },
      { job: 'api', allocId: 'e5f6a7b8-0000-0000-0000-000000000000', allocName: 'api.api[1]', kind: 'failed' as const, detail: 'client status failed' },
    ];
    const error = new ReleaseVerificationError(aRelease(), aVerification({ ok: false, soak: { durationMs: 1000, problems } }));
    expect(error.hint).toBe('Run `drover status qa` to see why api.api[0], api.api[1] failed or restarted, fix the job and deploy qa again.');
    expect(error.hint).not.toMatch(PLACEHOLDER);
  });

  it('names the release to show when more smoke checks failed than the message lists', () => {
    const failed = (check: string) => ({ job: 'www', check, via: 'fabio' as const, ok: false, attempts: 1, problems: ['status 502, expected 200'] });
    const release = aRelease();
    const error = new ReleaseVerificationError(release, aVerification({ ok: false, smoke: ['a', 'b', 'c', 'd', 'e'].map(failed) }));
    expect(error.context?.['more']).toBe(`2 more failed smoke checks (see \`drover release show ${release.id} qa\`)`);
  });
});
