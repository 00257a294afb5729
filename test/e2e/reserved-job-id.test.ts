import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { tempProject } from '../support/temp-project.ts';

it('drover validate refuses a job named plan, whose build/qa/plan.json is the saved plan, at the job file with a hint (exit 65)', { timeout: 60_000 }, async () => {
  const project = await tempProject();
  try {
    const source = await readFile(join(project.dir, 'jobs/db-backup.ts'), 'utf8');
    expect(source, 'jobs/db-backup.ts no longer has its id line; update this test').toContain("id: 'db-backup',");
    await rm(join(project.dir, 'jobs/db-backup.ts'));
    await writeFile(join(project.dir, 'jobs/plan.ts'), source.replace("id: 'db-backup',", "id: 'plan',"));
    const result = await runCli(['validate', 'qa', '--project', project.dir, '--no-typecheck']);
    expect(result.code, result.stderr).toBe(65);
    expect(result.stderr).toMatch(/✖ jobs\/plan\.ts(:\d+:\d+)? › id {2}\[job\/reserved-id\]/);
    expect(result.stderr).toContain('Job ID "plan" would render to build/qa/plan.json, the file `drover plan qa` writes there');
    expect(result.stderr).toContain('Give the job another ID');
  } finally {
    await project.cleanup();
  }
});
