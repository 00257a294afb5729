import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliProcess } from '../support/run-cli.ts';
import { tempProject } from '../support/temp-project.ts';

/**
 * Issue 12: a typo in a job or environment file used to pass `drover validate` (0 errors) and
 * render with Nomad's defaults. Each case copies the example project, makes one edit the way a
 * person would, and runs the CLI in-process on the copy (with its node_modules, so the project's
 * own tsc runs too).
 */
interface Edit {
  readonly file: string;
  readonly from: string;
  readonly to: string;
}

async function withEdit<T>(edit: Edit, run: (dir: string, source: string) => Promise<T>): Promise<T> {
  const project = await tempProject();
  try {
    const path = join(project.dir, edit.file);
    const text = await readFile(path, 'utf8');
    expect(text, `${edit.file} no longer contains ${edit.from}; update this test`).toContain(edit.from);
    const edited = text.replace(edit.from, edit.to);
    await writeFile(path, edited);
    return await run(project.dir, edited);
  } finally {
    await project.cleanup();
  }
}

/** `file:line:col` of the first occurrence of `needle` in `source` (1-based). */
function positionOf(file: string, source: string, needle: string): string {
  const offset = source.indexOf(needle);
  const before = source.slice(0, offset);
  return `${file}:${before.split('\n').length}:${offset - before.lastIndexOf('\n')}`;
}

describe('typos in definitions fail validation with their path, a did-you-mean and file:line:col (exit 65)', { timeout: 60_000 }, () => {
  it.each([
    { edit: { file: 'jobs/api.ts', from: "minHealthyTime: '15s'", to: "minHealthyTim: '15s'" }, rule: 'job/unknown-key', path: 'update.minHealthyTim', key: 'minHealthyTim', meant: 'minHealthyTime' },
    { edit: { file: 'jobs/api.ts', from: 'dependsOn:', to: 'dependsOnn:' }, rule: 'job/unknown-key', path: 'dependsOnn', key: 'dependsOnn', meant: 'dependsOn' },
    { edit: { file: 'jobs/api.ts', from: "interval: '5s'", to: "intervl: '5s'" }, rule: 'job/unknown-key', path: 'groups[0].services[0].checks[0].intervl', key: 'intervl', meant: 'interval' },
    { edit: { file: 'environments/qa.ts', from: "soak: '2m'", to: "sok: '2m'" }, rule: 'env/unknown-key', path: 'promotion.sok', key: 'sok', meant: 'soak' },
  ])('$path', async ({ edit, rule, path, key, meant }) => {
    await withEdit(edit, async (dir, source) => {
      const result = await runCli(['validate', 'qa', '--project', dir]);
      expect(result.code, result.stderr).toBe(65);
      const where = positionOf(edit.file, source, `${key}:`);
      expect(result.stderr).toContain(`✖ ${where} › ${path}  [${rule}]`);
      expect(result.stderr).toContain(`Unknown key "${key}": drover would ignore it. Did you mean "${meant}"?`);
      // tsc rejects the same key at the same place (the types are exact: test/types/typos.test-d.ts);
      // that error says less than drover's, so it is not printed a second time.
      expect(result.stderr).not.toContain('[types/tsc]');
    });
  });

  it.each([
    { name: 'env.pick without prod', edit: { file: 'jobs/api.ts', from: 'env.pick({ dev: 1, qa: 2, prod: 3 })', to: 'env.pick({ dev: 1, qa: 2 })' }, at: 'env.pick({ dev: 1, qa: 2 })' },
    { name: "env.is('production')", edit: { file: 'jobs/api.ts', from: "env.is('prod')", to: "env.is('production')" }, at: "'production'" },
  ])('$name is a types/tsc error at its place for validate and render; --no-typecheck skips the check', async ({ edit, at }) => {
    await withEdit(edit, async (dir, source) => {
      const validate = await runCli(['validate', 'qa', '--project', dir]);
      expect(validate.code, validate.stderr).toBe(65);
      const line = positionOf(edit.file, source, at).split(':')[1];
      expect(validate.stderr).toMatch(new RegExp(`✖ jobs/api\\.ts:${line}:\\d+  \\[types/tsc\\]`));
      const render = await runCli(['render', 'qa', '--project', dir, '--out', join(dir, 'out')]);
      expect(render.code, render.stderr).toBe(65);
      expect(render.stderr).toContain('[types/tsc]');
      // qa builds at runtime (it is in the pick; 'production' is just false): only the type check catches it.
      const skipped = await runCli(['validate', 'qa', '--project', dir, '--no-typecheck']);
      expect(skipped.code, skipped.stderr).toBe(0);
    });
  });

  // As a real process: job files are imported through tsx (esbuild), whose error this reads;
  // in-process under vitest they would go through vite's transformer instead.
  it('a syntax error shows file:line:col with a code frame, and does not call the policy files of the job that failed to load left over', async () => {
    const edit = { file: 'jobs/api.ts', from: "owner: 'team-shop',", to: "owner: 'team-shop',," };
    await withEdit(edit, async (dir, source) => {
      const result = await runCliProcess(['validate', 'qa', '--project', dir]);
      expect(result.code, result.stderr).toBe(65);
      const [file, line, column] = positionOf(edit.file, source, ",,").split(':');
      const at = `${file}:${line}:${Number(column) + 1}`;
      expect(result.stderr).toContain(`✖ ${at}  [load/module]`);
      expect(result.stderr).toContain('jobs/api.ts could not be loaded: Expected identifier but found ","');
      expect(result.stderr).toContain(`> ${line} |   owner: 'team-shop',,`);
      expect(result.stderr).toMatch(/\n {9}\| {22}\^\n/);
      expect(result.stderr).not.toContain('Transform failed');
      expect(result.stderr).not.toMatch(/✖ vault-policies\/[^\n]*\[vault\/policy-orphan\]/);
      expect(result.stderr).not.toContain('Delete it');
      expect(result.stderr).toContain('⚠ vault-policies/qa/  [vault/policy-orphan]');
      expect(result.stderr).toContain('jobs/api.ts did not load');
      // jobs/www.ts depends on api: the broken file is the cause, not a missing job.
      expect(result.stderr).not.toContain('[job/depends-on]');
    });
  });
});
