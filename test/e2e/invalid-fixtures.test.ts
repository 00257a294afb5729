import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../support/run-cli.ts';
import { readTree } from '../support/temp-project.ts';

interface Expected {
  readonly rule: string;
  readonly file: string;
  readonly path: string;
}

const fixturesDir = join(repoRoot, 'test/fixtures/invalid');
const cases = existsSync(fixturesDir) ? readdirSync(fixturesDir).filter((name) => existsSync(join(fixturesDir, name, 'expected.json'))).sort() : [];

describe('invalid definitions are rejected with a located diagnostic, exit 65, and nothing written', () => {
  it('has at least 30 invalid fixtures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('%s', async (name) => {
    const dir = join(fixturesDir, name);
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
    const ownEnvironments = existsSync(join(dir, 'environments'));
    const out = await mkdtemp(join(tmpdir(), 'drover-invalid-'));
    try {
      const environments = ownEnvironments ? join(dir, 'environments') : join(repoRoot, 'environments');
      const result = await runCli(['render', 'qa', '--project', dir, '--environments', environments, '--out', out]);
      expect(result.code, result.stderr).toBe(65);
      const where = expected.path ? `${expected.file} › ${expected.path}` : expected.file;
      expect(result.stderr).toContain(`${where}  [${expected.rule}]`);
      expect(result.stderr).toContain('nothing was written');
      expect((await readTree(out)).size).toBe(0);
      expect(existsSync(join(dir, 'fabio'))).toBe(false);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
