import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTscOutput, typecheckConfig, typecheckProject, type RunProgram } from '../../../src/project/typecheck.ts';

const root = '/p';
const dirs = ['/p/jobs', '/p/environments'];

describe('parseTscOutput', () => {
  it('turns each located error under jobs/ or environments/ into a types/tsc error at file:line:col, with its elaboration', () => {
    const out = [
      "jobs/api.ts(16,62): error TS2322: Type 'string' is not assignable to type 'never'.",
      "  The types of 'update.minHealthyTim' are incompatible between these types.",
      "/p/environments/qa.ts(3,1): error TS2345: Argument of type 'number' is not assignable.",
      "src/index.ts(1,1): error TS1005: ';' expected.",
      "node_modules/x/index.d.ts(2,3): error TS2300: Duplicate identifier 'x'.",
      '',
    ].join('\n');
    expect(parseTscOutput(out, root, dirs)).toEqual([
      {
        rule: 'types/tsc',
        severity: 'error',
        message: "TS2322: Type 'string' is not assignable to type 'never'.\n    The types of 'update.minHealthyTim' are incompatible between these types.",
        location: { file: 'jobs/api.ts', path: '', line: 16, column: 62 },
        hint: expect.stringContaining('npx tsc --noEmit'),
      },
      expect.objectContaining({ message: "TS2345: Argument of type 'number' is not assignable.", location: { file: 'environments/qa.ts', path: '', line: 3, column: 1 } }),
    ]);
  });

  it('does not take a sibling directory with the same prefix (jobs-old/) for jobs/', () => {
    expect(parseTscOutput("jobs-old/a.ts(1,1): error TS1: x", root, dirs)).toEqual([]);
  });
});

describe('typecheckConfig', () => {
  it("extends the project's tsconfig when it has one, else uses drover's defaults; includes only the given dirs", () => {
    const withBase = typecheckConfig({ root, dirs, buildInfo: '/p/node_modules/.cache/drover/t.tsbuildinfo', extendsConfig: '/p/tsconfig.json' });
    expect(withBase).toEqual({
      extends: '/p/tsconfig.json',
      compilerOptions: { noEmit: true, incremental: true, tsBuildInfoFile: '/p/node_modules/.cache/drover/t.tsbuildinfo' },
      include: ['/p/jobs/**/*.ts', '/p/environments/**/*.ts'],
      exclude: [],
    });
    const bare = typecheckConfig({ root, dirs, buildInfo: 'b' });
    expect(bare.extends).toBeUndefined();
    expect(bare.compilerOptions).toMatchObject({ strict: true, module: 'NodeNext', allowImportingTsExtensions: true, noEmit: true });
  });
});

describe('typecheckProject', () => {
  it('warns, instead of staying silent, when the project has no TypeScript', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drover-typecheck-'));
    try {
      const ran: string[] = [];
      const run: RunProgram = async (file) => (ran.push(file), { code: 0, stdout: '', stderr: '' });
      const found = await typecheckProject({ root: dir, dirs: [join(dir, 'jobs')], run });
      expect(found).toEqual([expect.objectContaining({ rule: 'types/tsc', severity: 'warning', message: expect.stringContaining('no TypeScript') })]);
      expect(ran).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
