import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runTool } from './run-tool.ts';

// The real Biome with the repository's rules. biome.json keeps test/fixtures/lint out of
// `npm run lint`, so the planted files are linted in a temp dir whose biome.json extends the
// repository's and only lifts that exclusion: the rules are the repository's own.
const biome = join(repoRoot, 'node_modules/@biomejs/biome/bin/biome');
const fixtures = join(repoRoot, 'test/fixtures/lint');
const planted = ['unused-import.ts', 'floating-promise.ts', 'clean.ts'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drover-lint-'));
  const config = { root: true, extends: [join(repoRoot, 'biome.json')], vcs: { enabled: false }, files: { includes: ['**'] } };
  await writeFile(join(dir, 'biome.json'), JSON.stringify(config));
  for (const file of planted) await copyFile(join(fixtures, file), join(dir, file));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lint = async (file: string) => {
  const run = await runTool(biome, ['lint', '--colors=off', file], dir);
  return { code: run.code, output: stripVTControlCharacters(run.stdout + run.stderr) };
};

describe('the lint rules (biome.json)', () => {
  it('report an unused import, naming the rule and the place', async () => {
    const run = await lint('unused-import.ts');
    expect(run.code).toBe(1);
    expect(run.output).toContain('unused-import.ts:3:20 lint/correctness/noUnusedImports');
    expect(run.output).toContain('Found 1 error.');
  });

  it('report a promise neither awaited nor voided', async () => {
    const run = await lint('floating-promise.ts');
    expect(run.code).toBe(1);
    expect(run.output).toContain('floating-promise.ts:6:29 lint/nursery/noFloatingPromises');
    expect(run.output).toContain('Found 1 error.');
  });

  it('pass the same code with both mistakes fixed', async () => {
    const run = await lint('clean.ts');
    expect(run.output).toContain('Checked 1 file');
    expect(run.code).toBe(0);
  });

  it('leave the planted files out of the repository-wide run', async () => {
    const run = await runTool(biome, ['lint', '--colors=off', 'test/fixtures/lint'], repoRoot);
    expect(run.code).toBe(1);
    expect(stripVTControlCharacters(run.stderr + run.stdout)).toContain('These paths were provided but ignored');
  });
});
