import type { JobSpec } from './job.ts';

/**
 * A job as loaded from `jobs/`: the spec built for one environment and the file it came from.
 * It lives with the model because every layer passes it around (validation, rendering, release
 * fingerprints, deploy), and none of them should import another's home to name it.
 */
export interface LoadedJob {
  readonly file: string;
  readonly spec: JobSpec;
}
