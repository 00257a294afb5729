import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import qa from '../../../environments/qa.ts';
import type { Environment } from '../../../src/config/environment.ts';
import type { JobDefinition } from '../../../src/model/define-job.ts';
import type { Diagnostic } from '../../../src/validate/diagnostic.ts';
import { validateEnvironment } from '../../../src/validate/rules/environment.ts';
import { validateJobs } from '../../../src/validate/validate.ts';

/**
 * Every folder under test/fixtures/invalid is one broken project: jobs/*.ts (built for
 * environments/qa.ts) or environments/*.ts, plus expected.json naming the diagnostic it must
 * produce. The CLI harness runs the same folders through `drover render qa --project`.
 */
const ROOT = fileURLToPath(new URL('../../fixtures/invalid/', import.meta.url));

interface Expected {
  readonly rule: string;
  readonly file: string;
  readonly path: string;
}

const modules = (dir: string): string[] => {
  try {
    return readdirSync(dir).filter((name) => name.endsWith('.ts')).sort();
  } catch {
    return [];
  }
};

async function load<T>(caseDir: string, folder: 'jobs' | 'environments'): Promise<{ file: string; value: T }[]> {
  const files = modules(join(caseDir, folder));
  return Promise.all(
    files.map(async (name) => ({ file: `${folder}/${name}`, value: ((await import(pathToFileURL(join(caseDir, folder, name)).href)) as { default: T }).default })),
  );
}

async function diagnose(caseDir: string): Promise<Diagnostic[]> {
  const environments = await load<Environment>(caseDir, 'environments');
  if (environments.length > 0) {
    const names = environments.map(({ value }) => value.name);
    return environments.flatMap(({ file, value }) => validateEnvironment(value, file, names));
  }
  const definitions = await load<JobDefinition>(caseDir, 'jobs');
  const jobs = definitions.map(({ file, value }) => ({ file, spec: value.build(qa) }));
  return validateJobs({ env: qa, jobs, processEnv: {} });
}

const cases = readdirSync(ROOT, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();

describe('invalid fixtures', () => {
  it('has at least 36 cases, about 6 of them environments, all kebab-case', () => {
    expect(cases.length).toBeGreaterThanOrEqual(36);
    expect(cases.filter((name) => modules(join(ROOT, name, 'environments')).length > 0).length).toBeGreaterThanOrEqual(6);
    for (const name of cases) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it.each(cases)('%s produces its expected error and no unrelated errors', async (name) => {
    const caseDir = join(ROOT, name);
    const expected = JSON.parse(readFileSync(join(caseDir, 'expected.json'), 'utf8')) as Expected;
    const diagnostics = await diagnose(caseDir);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => ({ rule: d.rule, file: d.location.file, path: d.location.path }))).toContainEqual(expected);
    // Each fixture breaks one thing, so that it keeps testing that one rule.
    expect(errors.filter((d) => d.rule !== expected.rule)).toEqual([]);
  });
});
