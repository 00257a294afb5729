/** The CLI side of `drover deploy <env> --plan FILE`: read the file, replay its flags, check the render. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Environment } from '../config/environment.ts';
import type { PreparedRollout } from '../deploy/pipeline.ts';
import { findSpecDrift, parseSavedPlan, specDriftRefused, type SavedPlanCheck } from '../deploy/saved-plan.ts';
import { UsageError } from '../errors.ts';
import type { PlanDocument } from '../plan/document.ts';
import { META } from '../render/context.ts';
import type { CliIo } from './io.ts';

export interface SavedPlan {
  /** As the user wrote it, for messages and hints. */
  readonly file: string;
  readonly doc: PlanDocument;
}

/** Flags a saved plan decides; deploy refuses them next to `--plan`. */
const DECIDED_BY_PLAN = ['job', 'release', 'git-sha', 'adopt'] as const;

/** Reads and checks the format of `--plan FILE`, or `undefined` without `--plan`. */
export async function readSavedPlan(io: CliIo, values: { readonly plan?: string | undefined } & Partial<Record<(typeof DECIDED_BY_PLAN)[number], unknown>>): Promise<SavedPlan | undefined> {
  const file = values.plan;
  if (file === undefined) return undefined;
  const given = DECIDED_BY_PLAN.filter((flag) => values[flag] !== undefined);
  if (given.length) {
    throw new UsageError(`--plan decides ${given.map((f) => `--${f}`).join(', ')}: the deploy replays the flags the plan was made with`, {
      hint: `Leave ${given.map((f) => `--${f}`).join(', ')} out, or plan with them: \`drover plan <env> ${given.map((f) => `--${f}${f === 'adopt' ? '' : ' …'}`).join(' ')} --out ${file}\`.`,
    });
  }
  const text = await readFile(resolve(io.cwd, file), 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`Cannot read the plan file ${file}: ${error.code === 'ENOENT' ? 'it does not exist' : error.message}`, { hint: 'Write one with `drover plan <env> --out FILE`.' });
  });
  return { file, doc: parseSavedPlan(text, file) };
}

/**
 * The flags the plan was computed with, as deploy flags: its commit, `--job`, `--adopt`, and
 * `--release` — in an environment that takes releases, the release the plan rendered even when
 * it was "the latest verified" then, so a newer verified release does not slip in.
 */
export function replayedFlags(doc: PlanDocument, env: Environment): { 'git-sha': string; job?: string; release?: string; adopt: boolean } {
  const release = doc.flags.release ?? (env.promotion.releasesFrom ? doc.release : undefined);
  return { 'git-sha': doc.gitSha, adopt: doc.flags.adopt, ...(doc.flags.job ? { job: doc.flags.job } : {}), ...(release ? { release } : {}) };
}

/** Refuses (exit 4) when the jobs rendered for this deploy are not the ones planned (spec hash, set). */
export function assertRenderedAsPlanned(saved: SavedPlan, rollout: PreparedRollout): void {
  const hashes = new Map(rollout.specs.map((spec) => [spec.id, rollout.rendered.get(spec.id)?.Meta?.[META.specHash] ?? '']));
  const drift = findSpecDrift(saved.doc, hashes);
  if (drift.length) throw specDriftRefused(drift, saved.doc.env, saved.file);
}

/** What deploy() checks the cluster against. */
export function savedPlanCheck(saved: SavedPlan): SavedPlanCheck {
  return { file: saved.file, indexes: new Map(saved.doc.jobs.map((j) => [j.id, j.jobModifyIndex])), stops: saved.doc.stops };
}
