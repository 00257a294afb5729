import type { SmokeCheck } from '../../model/smoke.ts';
import { at } from '../diagnostic.ts';
import type { LoadedJob } from '../../model/loaded-job.ts';
import { itemsOf } from './lib/index.ts';
import { jobsOf, type JobVisit } from './lib/visit.ts';

/** A smoke check of a job; `path` is `smoke[i]`. Helper of the `smoke/*` rules, not a rule. */
export interface SmokeVisit extends JobVisit {
  readonly check: SmokeCheck;
  readonly path: string;
}

/** Every smoke check (object items only) of every job, with its location. */
export function smokeChecksOf(jobs: readonly LoadedJob[]): SmokeVisit[] {
  return jobsOf(jobs).flatMap((visit) =>
    itemsOf<SmokeCheck>((visit.job as { smoke?: unknown }).smoke, 'smoke').map(([check, path]) => ({ ...visit, check, path })),
  );
}

/** A field of a smoke check as the file wrote it (rules must not trust the type). */
export function smokeField(visit: SmokeVisit, key: keyof SmokeCheck): unknown {
  return (visit.check as unknown as Record<string, unknown>)[key];
}

/** `smoke[i].key`. */
export function smokeAt(visit: SmokeVisit, key: keyof SmokeCheck): { file: string; path: string } {
  return { file: visit.file, path: at(visit.path, key) };
}
