import type { LoadedJob } from '../model/loaded-job.ts';
import type { Diagnostic } from './diagnostic.ts';

/** Rule id of the diagnostics this looks at (src/validate/rules/job-depends-on.ts). */
const DEPENDS_ON = 'job/depends-on';

/**
 * Drops `job/depends-on` errors that name a job whose file did not load or build (`jobs/<name>.ts`,
 * the job's ID being unknown then): that file's own error is the cause, and "not a job in jobs/"
 * would send the reader after the wrong file. Pure.
 */
export function withoutUnloadedDependencies(diagnostics: readonly Diagnostic[], jobs: readonly LoadedJob[], unbuiltJobFiles: readonly string[]): Diagnostic[] {
  if (unbuiltJobFiles.length === 0) return [...diagnostics];
  const unbuilt = new Set(unbuiltJobFiles);
  return diagnostics.filter((d) => {
    const index = d.rule === DEPENDS_ON ? /^dependsOn\[(\d+)\]$/.exec(d.location.path)?.[1] : undefined;
    if (index === undefined) return true;
    const dependsOn: unknown = jobs.find((j) => j.file === d.location.file)?.spec.dependsOn;
    const named = Array.isArray(dependsOn) ? dependsOn[Number(index)] : undefined;
    return !(typeof named === 'string' && unbuilt.has(`jobs/${named}.ts`));
  });
}
