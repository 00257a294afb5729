/**
 * What a progressive canary reports, and how it ends. Part of `DeployEvent` (report/events.ts),
 * printed through `CANARY_FORMATTERS` (format.ts). Numbers that may
 * be `NaN` (a measurement of 0/0) serialize as `null` in NDJSON.
 */
import type { Verdict } from './evidence.ts';
import type { GateScope } from './gates.ts';

/** Events of `runProgressiveCanary`, in the order they can happen. */
export type CanaryEvent =
  | { readonly type: 'canary-started'; readonly env: string; readonly job: string; readonly deploymentId: string; readonly steps: readonly number[]; readonly key: string }
  | {
      readonly type: 'canary-weight-set';
      readonly job: string;
      readonly step: number;
      readonly of: number;
      readonly weight: number;
      readonly key: string;
      readonly rule: string;
      /** Pause before each measurement of the step, and how many it takes at least: the step lasts `intervalMs × count` or longer (a countdown's inputs). */
      readonly intervalMs: number;
      readonly count: number;
    }
  | {
      readonly type: 'canary-measured';
      readonly job: string;
      readonly step: number;
      readonly metric: string;
      /** `canary-vs-stable`: the canary's own instances against the stable ones; `custom`: a job's query. */
      readonly scope: GateScope;
      /** Range of the queries: the time spent at the step so far. */
      readonly windowSeconds: number;
      readonly value: number | null;
      readonly thresholdMax: number;
      readonly verdict: Verdict;
      /** What was compared with what, e.g. `canary 12 % (6 of 50) vs stable 0 % (0 of 400); bound 5 %`. */
      readonly detail: string;
    }
  | { readonly type: 'canary-step-passed'; readonly job: string; readonly step: number; readonly weight: number }
  | {
      readonly type: 'canary-analysis-failed';
      readonly job: string;
      readonly step: number;
      readonly weight: number;
      readonly metric: string;
      readonly query: string;
      readonly value: number | null;
      readonly thresholdMax: number;
      readonly reason: string;
    }
  | {
      readonly type: 'canary-deployment-failed';
      readonly job: string;
      readonly deploymentId: string;
      readonly revertedToVersion: number | null;
      /** When the failing metric was first seen and when the revert was requested. */
      readonly timings: CanaryTimings;
    }
  | { readonly type: 'canary-promoted'; readonly job: string; readonly deploymentId: string }
  | { readonly type: 'canary-rule-removed'; readonly job: string; readonly key: string }
  /** The rule could not be deleted: traffic stays weighted until someone deletes the key (`hint`). */
  | { readonly type: 'canary-rule-left'; readonly job: string; readonly key: string; readonly reason: string; readonly hint: string };

/** The `type` of every canary event, for formatter tables. */
export type CanaryEventType = CanaryEvent['type'];

/** Receives canary events; reporters implement it, tests collect into an array. */
export type CanaryReport = (event: CanaryEvent) => void;

/** When a failing metric was seen and when the revert was asked for (unix ms). */
export interface CanaryTimings {
  /** The first measurement that counted against the limits: the threshold crossing as drover saw it. */
  readonly thresholdCrossedAtMs: number;
  /** Just before `POST /v1/deployment/fail` was sent. */
  readonly failRequestedAtMs: number;
  /** `failRequestedAtMs - thresholdCrossedAtMs`. */
  readonly crossingToFailRequestMs: number;
}

/** How a progressive canary ended (an abort rejects with the signal's reason instead). */
export type CanaryOutcome =
  | {
      readonly status: 'promoted';
      readonly deploymentId: string;
      readonly weights: readonly number[];
      /** False when the weight rule could not be deleted (a `canary-rule-left` event says how to). */
      readonly ruleRemoved: boolean;
    }
  | {
      readonly status: 'failed';
      readonly deploymentId: string;
      /** 1-based step and its weight when the analysis failed. */
      readonly step: number;
      readonly weight: number;
      readonly metric: string;
      readonly query: string;
      readonly value: number | null;
      readonly thresholdMax: number;
      readonly reason: string;
      /** The version Nomad rolls back to (auto_revert), `null` when it does not. */
      readonly revertedToVersion: number | null;
      readonly timings: CanaryTimings;
      readonly ruleRemoved: boolean;
    };
