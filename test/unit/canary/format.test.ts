import { describe, expect, it } from 'vitest';
import type { CanaryEvent } from '../../../src/canary/events.ts';
import { formatCanaryEvent } from '../../../src/canary/format.ts';
import { formatEvent } from '../../../src/report/formatters.ts';
import { createStyle } from '../../../src/report/style.ts';

const plain = createStyle(false);
const timings = { thresholdCrossedAtMs: 1_000, failRequestedAtMs: 1_014, crossingToFailRequestMs: 14 };

describe('canary event lines', () => {
  it.each<[CanaryEvent, string | undefined]>([
    [{ type: 'canary-started', env: 'prod', job: 'api', deploymentId: '0123456789', steps: [0.05, 0.25, 0.5], key: 'fabio/config/drover-canary-prod-api' }, '[api] progressive canary of deployment 01234567: traffic 5 % → 25 % → 50 % (rule fabio/config/drover-canary-prod-api)'],
    [{ type: 'canary-weight-set', job: 'api', step: 2, of: 3, weight: 0.25, key: 'k', rule: 'route weight api /api weight 0.25 tags "canary"', intervalMs: 30_000, count: 4 }, "[api] step 2/3: 25 % of the route's traffic to the canaries"],
    [{ type: 'canary-measured', job: 'api', step: 1, metric: 'error-ratio', scope: 'canary-vs-stable', windowSeconds: 30, value: 0, thresholdMax: 0.05, verdict: 'ok', detail: 'canary 0 % (0 of 80) vs stable 0 % (0 of 900); bound 5 %' }, '[api] step 1 error-ratio over 30s (canary-vs-stable): canary 0 % (0 of 80) vs stable 0 % (0 of 900); bound 5 %: ok'],
    [{ type: 'canary-measured', job: 'api', step: 1, metric: 'orders', scope: 'custom', windowSeconds: 4, value: null, thresholdMax: 2, verdict: 'inconclusive', detail: 'no series matched; max 2' }, '[api] step 1 orders over 4s (custom): no series matched; max 2: inconclusive'],
    [{ type: 'canary-analysis-failed', job: 'api', step: 2, weight: 0.25, metric: 'error-ratio', query: 'q', value: 0.2, thresholdMax: 0.05, reason: 'error-ratio = 0.2 > max 0.05' }, '[api] canary analysis failed at step 2 (25 %): error-ratio = 0.2 > max 0.05; query: q'],
    [{ type: 'canary-deployment-failed', job: 'api', deploymentId: 'abcdef0123', revertedToVersion: 3, timings }, '[api] failed deployment abcdef01; Nomad reverts to version 3 (14 ms after the threshold was first crossed)'],
    [{ type: 'canary-deployment-failed', job: 'api', deploymentId: 'abcdef0123', revertedToVersion: null, timings }, '[api] failed deployment abcdef01 (no auto_revert: nothing rolled back) (14 ms after the threshold was first crossed)'],
    [{ type: 'canary-rule-left', job: 'api', key: 'k', reason: 'timeout', hint: 'Run `consul kv delete k`.' }, '[api] could NOT remove the canary weight rule k: timeout. Run `consul kv delete k`.'],
  ])('prints %j', (event, line) => {
    expect(formatCanaryEvent(event, plain)).toBe(line);
    // The deploy reporters print canary events through the same table.
    expect(formatEvent(event, plain)).toBe(line);
  });
});
