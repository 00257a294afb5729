import { describe, expect, it } from 'vitest';
import { formatReleaseEvent, type ReleaseEvent } from '../../../src/release/events.ts';
import { createStyle } from '../../../src/report/style.ts';

const plain = createStyle(false);
const failedSmoke = { job: 'www', check: 'home', via: 'fabio' as const, ok: false, attempts: 3, problems: ['status 502, expected 200'] };

describe('release event lines', () => {
  it.each<[ReleaseEvent, string]>([
    [
      { type: 'images-pinned', env: 'qa', pinned: [{ reference: 'ghcr.io/acme/api:1.4.2', digest: `sha256:${'ab'.repeat(32)}` }], asWritten: [{ reference: 'quay.io/x/y:1', why: "its registry is not in the environment's registries" }, { reference: `a/b:1@sha256:${'c'.repeat(64)}`, why: 'already pinned by digest' }] },
      "Pinned ghcr.io/acme/api:1.4.2 to sha256:abababababab… for qa\nquay.io/x/y:1 runs as written in qa: its registry is not in the environment's registries",
    ],
    [{ type: 'release-created', release: 'r-1', env: 'qa', gitSha: '0123456789abcdef', status: 'deployed' }, 'Recorded release r-1 (0123456789ab) in qa: deployed'],
    [{ type: 'smoke-retrying', job: 'www', check: 'home', attempt: 1, problem: 'status 404, expected 200', delayMs: 1000 }, '[www] smoke "home" attempt 1: status 404, expected 200; retrying in 1000 ms'],
    [{ type: 'smoke-finished', result: { ...failedSmoke, ok: true, problems: [], response: { status: 200, body: '', latencyMs: 12 } } }, '✔ [www] smoke "home" 200 in 12 ms'],
    [{ type: 'smoke-finished', result: failedSmoke }, '✖ [www] smoke "home": status 502, expected 200'],
    [{ type: 'soak-started', release: 'r-1', env: 'qa', durationMs: 120_000, jobs: ['api', 'www'] }, 'Soaking release r-1 in qa for 2 min: no allocation of api, www may fail or restart'],
    [{ type: 'soak-finished', release: 'r-1', problems: [{ job: 'api', allocId: 'a1', allocName: 'api.api[0]', kind: 'restarted', detail: 'task api restarted 1 time' }] }, '✖ soak failed for r-1: api.api[0] task api restarted 1 time'],
    [{ type: 'release-verified', release: 'r-1', env: 'qa' }, '✔ Release r-1 verified in qa'],
    [{ type: 'release-failed', release: 'r-1', env: 'qa', reason: 'smoke www/home' }, '✖ Release r-1 failed verification in qa: smoke www/home'],
    [{ type: 'release-accepted', release: 'r-1', env: 'prod', forced: { reason: 'hotfix', overrode: ['not verified'] } }, 'Release r-1 goes to prod by force (hotfix), overriding: not verified'],
    [{ type: 'release-outcome-recorded', release: 'r-1', env: 'prod', status: 'succeeded' }, 'Recorded the prod outcome of r-1: succeeded'],
    [
      { type: 'release-outcome-recorded', release: 'r-1', env: 'prod', status: 'awaiting-promotion' },
      'Recorded the prod outcome of r-1: waiting for promotion; `drover promote prod` completes it',
    ],
    [
      { type: 'release-created', release: 'r-1', env: 'qa', gitSha: '0123456789abcdef', status: 'awaiting-promotion' },
      'Recorded release r-1 (0123456789ab) in qa: waiting for promotion; `drover promote qa` completes and verifies it',
    ],
    [{ type: 'release-promotion-recorded', release: 'r-1', env: 'qa', jobs: ['api'], status: 'deployed' }, 'Recorded the promotion of api on release r-1 in qa: deployed, not verified yet'],
    [{ type: 'release-promotion-recorded', release: 'r-1', env: 'prod', jobs: ['api', 'www'], status: 'succeeded' }, 'Recorded the promotion of api, www on release r-1 in prod: succeeded'],
  ])('prints %j', (event, line) => {
    expect(formatReleaseEvent(event, plain)).toBe(line);
  });

  it('prints nothing for an images-pinned event with nothing to say', () => {
    expect(formatReleaseEvent({ type: 'images-pinned', env: 'qa', pinned: [], asWritten: [{ reference: `a/b:1@sha256:${'c'.repeat(64)}`, why: 'already pinned by digest' }] }, plain)).toBeUndefined();
  });
});
