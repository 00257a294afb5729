import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Environment } from '../../src/config/environment.ts';
import { exclusionReason, type JobDefinition } from '../../src/model/define-job.ts';
import type { LoadedJob } from '../../src/model/loaded-job.ts';

const jobsDir = fileURLToPath(new URL('../../jobs/', import.meta.url));

/** The example jobs shipped in jobs/, imported the way the CLI imports them. */
export async function loadExampleJobs(): Promise<{ file: string; definition: JobDefinition }[]> {
  const files = readdirSync(jobsDir).filter((f) => f.endsWith('.ts')).sort();
  return Promise.all(
    files.map(async (f) => ({ file: `jobs/${f}`, definition: ((await import(`${jobsDir}${f}`)) as { default: JobDefinition }).default })),
  );
}

/** The example jobs built for `env`, without those excluded from it (as `drover` builds them). */
export async function buildExampleJobs(env: Environment): Promise<LoadedJob[]> {
  return (await loadExampleJobs()).filter(({ definition }) => exclusionReason(definition, env.name) === undefined).map(({ file, definition }) => ({ file, spec: definition.build(env) }));
}
