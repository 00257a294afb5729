/**
 * One of the two places that read Nomad error text (the other is forwarded-denial.ts): check-and-set
 * rejections. Nomad reports a failed `EnforceIndex` register as **HTTP 500** (never 409) with a
 * plain-text body starting `Enforcing job modify index`, exactly as the official CLI detects it; a
 * revert with `EnforcePriorVersion` fails the same way with `Current job has version A; enforcing
 * version B`.
 * Everything else, but a forwarded `Permission denied`, is branched on by status.
 * @see https://developer.hashicorp.com/nomad/api-docs/jobs#enforceindex
 */
import { ConflictError, type ApiErrorInit } from '../api-error.ts';

/** Why a check-and-set write was refused. */
export type CheckIndexReason =
  /** `enforceIndex: 0` (must not exist) but the job exists. */
  | 'exists'
  /** `enforceIndex: n > 0` but the job does not exist. */
  | 'missing'
  /** The job's JobModifyIndex moved since it was read: someone else registered. */
  | 'modified'
  /** Revert with `enforcePriorVersion`: the job's current version differs. */
  | 'version';

/** A check-and-set write lost the race; re-read (or re-plan) and decide again. */
export class NomadCheckIndexConflict extends ConflictError {
  /** The index (or, for `reason: 'version'`, the version) drover sent. */
  readonly expected: number;
  /** What Nomad has: the current JobModifyIndex or version, `0` for a missing job, `undefined` when Nomad does not say. */
  readonly actual: number | undefined;
  readonly reason: CheckIndexReason;

  constructor(init: ApiErrorInit, parsed: ParsedConflict) {
    super({ ...init, hint: init.hint ?? hintFor(parsed) });
    this.expected = parsed.expected;
    this.actual = parsed.actual;
    this.reason = parsed.reason;
  }
}

/** What `parseCheckIndexRejection` reads out of the text. */
export interface ParsedConflict {
  readonly reason: CheckIndexReason;
  readonly expected: number;
  readonly actual: number | undefined;
}

const ENFORCE_PREFIX = /^Enforcing job modify index (\d+)(?::\s*(.*))?/s;
const CONFLICTING = /job exists with conflicting job modify index:\s*(\d+)/;
const PRIOR_VERSION = /^Current job has version (\d+); enforcing version (\d+)/;

/**
 * Reads a Nomad 500 body; `undefined` when it is not a check-and-set rejection.
 * @example parseCheckIndexRejection('Enforcing job modify index 12: job exists with conflicting job modify index: 15')
 *   // → { reason: 'modified', expected: 12, actual: 15 }
 */
export function parseCheckIndexRejection(body: string): ParsedConflict | undefined {
  const text = body.trim();
  const enforce = ENFORCE_PREFIX.exec(text);
  if (enforce) {
    const expected = Number(enforce[1]);
    const detail = enforce[2] ?? '';
    const conflicting = CONFLICTING.exec(detail);
    if (conflicting) return { reason: 'modified', expected, actual: Number(conflicting[1]) };
    if (detail.startsWith('job already exists')) return { reason: 'exists', expected, actual: undefined };
    if (detail.startsWith('job does not exist')) return { reason: 'missing', expected, actual: 0 };
    return { reason: 'modified', expected, actual: undefined };
  }
  const prior = PRIOR_VERSION.exec(text);
  if (prior) return { reason: 'version', expected: Number(prior[2]), actual: Number(prior[1]) };
  return undefined;
}

/** The ConflictError for a rejected write, or `undefined` when `status`/`body` are anything else. */
export function checkIndexConflict(init: ApiErrorInit & { readonly body: string }): NomadCheckIndexConflict | undefined {
  if (init.status !== 500 || init.method === 'GET') return undefined;
  const parsed = parseCheckIndexRejection(init.body);
  return parsed ? new NomadCheckIndexConflict(init, parsed) : undefined;
}

function hintFor(parsed: ParsedConflict): string {
  switch (parsed.reason) {
    case 'exists':
      return 'The job already exists although drover expected a new one. Run `drover plan` again and retry.';
    case 'missing':
      return 'The job no longer exists (it was purged since the plan). Run `drover plan` again and retry.';
    case 'modified':
      return `Someone registered the job since your plan (JobModifyIndex ${parsed.actual ?? 'changed'}, planned ${parsed.expected}). Run \`drover plan\` again and retry.`;
    case 'version':
      return `The job is at version ${parsed.actual} now, not ${parsed.expected}. Check \`drover status\` before reverting again.`;
  }
}
