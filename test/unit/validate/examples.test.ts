import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import prod from '../../../environments/prod.ts';
import qa from '../../../environments/qa.ts';
import type { JobDefinition } from '../../../src/model/define-job.ts';
import { validateEnvironment } from '../../../src/validate/rules/environment.ts';
import { validateJobs } from '../../../src/validate/validate.ts';

/** The example project must always validate cleanly; every job in jobs/ is picked up. */
const JOBS_DIR = fileURLToPath(new URL('../../../jobs/', import.meta.url));
const files = readdirSync(JOBS_DIR).filter((name) => name.endsWith('.ts') && name !== 'index.ts').sort();
const definitions = await Promise.all(
  files.map(async (name) => ({ file: `jobs/${name}`, definition: ((await import(pathToFileURL(`${JOBS_DIR}${name}`).href)) as { default: JobDefinition }).default })),
);

// A realistic deployer shell: the secret-leak rule must not fire on the examples.
const processEnv = { NOMAD_TOKEN: '3f1c9b2e-8d4a-4c6f-9e1b-5a7d2c8f0b13', VAULT_TOKEN: `hvs.${'T'.repeat(30)}`, HOME: '/home/deployer' };

describe('example project', () => {
  it('has example jobs', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each([qa, prod])('produces no errors in $name', (env) => {
    const jobs = definitions.map(({ file, definition }) => ({ file, spec: definition.build(env) }));
    const errors = validateJobs({ env, jobs, processEnv }).filter((d) => d.severity === 'error');
    expect(errors).toEqual([]);
  });

  it.each([qa, prod])('environment $name is valid', (env) => {
    expect(validateEnvironment(env, `environments/${env.name}.ts`, [qa.name, prod.name])).toEqual([]);
  });
});
