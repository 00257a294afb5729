/**
 * The JSON documents `--output json` prints: one per run, alone on stdout, each naming its schema
 * (`drover.<command>/v<major>`). A field is only ever added within a major version; renaming or
 * removing one, or changing its type, makes v2. docs/output.md describes every field and
 * docs/schemas/ holds the JSON Schema the tests check real output against.
 */
import type { JobStop } from '../deploy/prune.ts';
import type { LoadSummary } from '../loadtest/summary.ts';
import { PLAN_FILE_SCHEMA, type PlannedJob } from '../plan/document.ts';
import type { Release } from '../release/record.ts';
import type { Diagnostic } from '../validate/diagnostic.ts';

/** Schema id of each command's document. */
export const OUTPUT_SCHEMAS = {
  /** The plan file's own schema: `--output json` prints the plan file (plus `planFile`). */
  plan: PLAN_FILE_SCHEMA,
  status: 'drover.status/v1',
  history: 'drover.history/v1',
  releases: 'drover.releases/v1',
  release: 'drover.release/v1',
  jobs: 'drover.jobs/v1',
  validate: 'drover.validate/v1',
  loadtest: 'drover.loadtest/v1',
  'cluster-check': 'drover.cluster-check/v1',
} as const;

/** `drover plan --output json`: the plan file's content, plus where it was written. */
export interface PlanOutput {
  readonly schema: typeof OUTPUT_SCHEMAS.plan;
  readonly env: string;
  readonly namespace: string;
  readonly project: string;
  readonly release: string;
  readonly gitSha: string;
  readonly prune: boolean;
  readonly changes: boolean;
  readonly jobs: readonly PlannedJob[];
  readonly stops: readonly JobStop[];
  /** The plan file, relative to the working directory. */
  readonly planFile: string;
}

/** One job of `drover status --output json`. Display fields are the table's cells. */
export interface StatusJob {
  readonly id: string;
  /** Nomad's job status, `stopped`, or `not deployed` for a job only in jobs/. */
  readonly state: string;
  readonly version: number | null;
  readonly release: string | null;
  readonly deployment: string;
  readonly allocations: string;
  readonly canaries: string;
  readonly lastFailure: string;
}

export interface StatusOutput {
  readonly schema: typeof OUTPUT_SCHEMAS.status;
  readonly env: string;
  readonly namespace: string;
  /** Sorted by id. */
  readonly jobs: readonly StatusJob[];
  /** Sentences about IDs taken by jobs this project does not own. */
  readonly notes: readonly string[];
}

export interface HistoryVersion {
  readonly version: number;
  readonly current: boolean;
  readonly stable: boolean;
  readonly stopped: boolean;
  readonly submitted: string;
  readonly release: string;
  readonly gitSha: string;
  readonly specHash: string;
  readonly deployment: string;
}

export interface HistoryOutput {
  readonly schema: typeof OUTPUT_SCHEMAS.history;
  readonly env: string;
  readonly job: string;
  /** Newest first. */
  readonly versions: readonly HistoryVersion[];
}

export interface ReleasesOutput {
  readonly schema: typeof OUTPUT_SCHEMAS.releases;
  /** The environment whose Consul holds the records. */
  readonly source: string;
  /** Environments that take releases from it. */
  readonly targets: readonly string[];
  /** Newest first, at most --limit. */
  readonly releases: readonly Release[];
}

export interface ReleaseOutput {
  readonly schema: typeof OUTPUT_SCHEMAS.release;
  readonly source: string;
  readonly release: Release;
}

export interface JobsEntry {
  /** 1-based deploy wave; null for a job in a dependency cycle. */
  readonly wave: number | null;
  readonly id: string;
  readonly kind: string;
  readonly groups: number;
  readonly owner: string | null;
  readonly dependsOn: readonly string[];
  readonly file: string;
}

export interface JobsOutput {
  readonly schema: typeof OUTPUT_SCHEMAS.jobs;
  readonly env: string;
  /** False when a definition has errors (the exit code is then 65). */
  readonly ok: boolean;
  /** In deploy order. */
  readonly jobs: readonly JobsEntry[];
  readonly excluded: readonly { readonly name: string; readonly file: string; readonly reason: string }[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface ValidateEnvironment {
  readonly env: string;
  readonly ok: boolean;
  readonly jobs: number;
  /** Jobs not deployed to this environment. */
  readonly excluded: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface ValidateOutput {
  readonly schema: typeof OUTPUT_SCHEMAS.validate;
  readonly ok: boolean;
  readonly environments: readonly ValidateEnvironment[];
}

/** `drover loadtest --output json`: the run's summary and the environment it went to. */
export type LoadtestOutput = { readonly schema: typeof OUTPUT_SCHEMAS.loadtest; readonly env: string } & LoadSummary;

export type OutputDocument = PlanOutput | StatusOutput | HistoryOutput | ReleasesOutput | ReleaseOutput | JobsOutput | ValidateOutput | LoadtestOutput;

/** The document as printed: pretty, one trailing newline. */
export function jsonDocument(doc: OutputDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function releasesDocument(source: string, targets: readonly string[], releases: readonly Release[]): ReleasesOutput {
  return { schema: OUTPUT_SCHEMAS.releases, source, targets, releases };
}

export function releaseDocument(source: string, release: Release): ReleaseOutput {
  return { schema: OUTPUT_SCHEMAS.release, source, release };
}
