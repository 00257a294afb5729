import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import dev from '../../../environments/dev.ts';
import prod from '../../../environments/prod.ts';
import qa from '../../../environments/qa.ts';
import { exclusionReason, type JobDefinition } from '../../../src/model/define-job.ts';
import { validateEnvironment } from '../../../src/validate/rules/environment.ts';
import { checkExclusions } from '../../../src/validate/rules/job-exclude-from.ts';
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

  it.each([dev, qa, prod])('produces no errors in $name', (env) => {
    const included = definitions.filter(({ definition }) => exclusionReason(definition, env.name) === undefined);
    const jobs = included.map(({ file, definition }) => ({ file, spec: definition.build(env) }));
    const excluded = definitions.flatMap(({ file, definition }) => {
      const reason = exclusionReason(definition, env.name);
      return reason === undefined ? [] : [{ name: file.replace(/^jobs\/|\.ts$/g, ''), reason }];
    });
    const errors = validateJobs({ env, jobs, excluded, processEnv }).filter((d) => d.severity === 'error');
    expect(errors).toEqual([]);
  });

  it.each([dev, qa, prod])('environment $name is valid', (env) => {
    expect(validateEnvironment(env, `environments/${env.name}.ts`, [dev.name, qa.name, prod.name])).toEqual([]);
  });

  it('leaves out of dev exactly the jobs a raw_exec dev agent cannot run, each with a reason', () => {
    expect(checkExclusions(definitions.map(({ file, definition }) => ({ file, value: definition })), [dev.name, qa.name, prod.name])).toEqual([]);
    const left = definitions.filter(({ definition }) => exclusionReason(definition, 'dev') !== undefined).map(({ file }) => file);
    expect(left).toEqual(['jobs/db-backup.ts', 'jobs/log-shipper.ts', 'jobs/node-exporter.ts', 'jobs/postgres.ts']);
    for (const { definition } of definitions) for (const env of [qa, prod]) expect(exclusionReason(definition, env.name)).toBeUndefined();
  });

  it('runs every dev task with raw_exec, and never a docker image there', () => {
    const tasks = definitions
      .filter(({ definition }) => exclusionReason(definition, 'dev') === undefined)
      .flatMap(({ definition }) => definition.build(dev).groups.flatMap((g) => g.tasks));
    expect(tasks.length).toBeGreaterThan(0);
    for (const task of tasks) expect(task, task.name).toMatchObject({ driver: 'raw_exec' });
    expect(definitions.flatMap(({ definition }) => (exclusionReason(definition, 'dev') === undefined ? definition.build(dev).groups.flatMap((g) => g.waitFor ?? []) : []))).toEqual([]);
  });
});
