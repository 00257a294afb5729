import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTsc, parseTscOutput, splitListedFiles, typecheckConfig, typecheckProject, type RunProgram } from '../../../src/project/typecheck.ts';

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

describe('typecheckProject in a subfolder of a repository', () => {
  it("runs the nearest node_modules/.bin/tsc above the project when the project has none", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drover-typecheck-'));
    try {
      await mkdir(join(dir, 'node_modules/.bin'), { recursive: true });
      await writeFile(join(dir, 'node_modules/.bin/tsc'), '');
      const project = join(dir, 'examples/pipeline');
      await mkdir(join(project, 'jobs'), { recursive: true });
      const ran: string[] = [];
      const run: RunProgram = async (file) => (ran.push(file), { code: 0, stdout: '', stderr: '' });
      expect(await typecheckProject({ root: project, dirs: [join(project, 'jobs')], run })).toEqual([]);
      expect(ran).toEqual([join(dir, 'node_modules/.bin/tsc')]);
      expect(await findTsc(project)).toBe(join(dir, 'node_modules/.bin/tsc'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('splitListedFiles', () => {
  it("separates --listFiles' absolute paths from the diagnostics", () => {
    const out = ["jobs/api.ts(1,2): error TS1: x", '  more', '/p/node_modules/typescript/lib/lib.es5.d.ts', '/p/jobs/api.ts', ''].join('\n');
    expect(splitListedFiles(out)).toEqual({ listed: ['/p/node_modules/typescript/lib/lib.es5.d.ts', '/p/jobs/api.ts'], output: ["jobs/api.ts(1,2): error TS1: x", '  more', ''].join('\n') });
  });
});

describe('typecheckProject without starting tsc', () => {
  it('answers from the last clean check while nothing tsc read changed; an edit, a new file or an error runs tsc again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drover-typecheck-'));
    try {
      await mkdir(join(dir, 'node_modules/.bin'), { recursive: true });
      await mkdir(join(dir, 'jobs'), { recursive: true });
      await writeFile(join(dir, 'node_modules/.bin/tsc'), '');
      await writeFile(join(dir, 'jobs/a.ts'), 'export default 1;\n');
      await writeFile(join(dir, 'lib.d.ts'), 'declare const x: number;\n');
      let answer = { code: 0, stdout: `${join(dir, 'lib.d.ts')}\n${join(dir, 'jobs/a.ts')}\n`, stderr: '' };
      const runs: string[][] = [];
      const run: RunProgram = async (_file, args) => (runs.push([...args]), answer);
      const check = () => typecheckProject({ root: dir, dirs: [join(dir, 'jobs')], run });
      expect(await check()).toEqual([]);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toContain('--listFiles');
      expect(await check()).toEqual([]);
      expect(runs).toHaveLength(1);
      // A listed file outside jobs/ changes (say @types or drover's own types).
      await writeFile(join(dir, 'lib.d.ts'), 'declare const x: string;\n');
      expect(await check()).toEqual([]);
      expect(runs).toHaveLength(2);
      // A new file under jobs/ that tsc has not listed yet.
      await writeFile(join(dir, 'jobs/b.ts'), 'export default 2;\n');
      answer = { code: 2, stdout: `jobs/b.ts(1,1): error TS2322: bad.\n${join(dir, 'jobs/b.ts')}\n`, stderr: '' };
      expect(await check()).toEqual([expect.objectContaining({ message: 'TS2322: bad.', location: { file: 'jobs/b.ts', path: '', line: 1, column: 1 } })]);
      expect(runs).toHaveLength(3);
      // An answer with errors is not remembered: the next call asks tsc again.
      expect(await check()).toHaveLength(1);
      expect(runs).toHaveLength(4);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('typecheckProject on a copy of a project', () => {
  it('reuses the clean check of the same content at another root (tests copy the example project hundreds of times)', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'drover-typecheck-'));
    try {
      const shared = join(parent, 'shared-node_modules');
      await mkdir(join(shared, '.bin'), { recursive: true });
      await writeFile(join(shared, '.bin/tsc'), '');
      const runs: string[] = [];
      const makeCopy = async (name: string) => {
        const dir = join(parent, name);
        await mkdir(join(dir, 'jobs'), { recursive: true });
        await writeFile(join(dir, 'jobs/a.ts'), 'export default 1;\n');
        await symlink(shared, join(dir, 'node_modules'));
        return dir;
      };
      const check = (dir: string) =>
        typecheckProject({ root: dir, dirs: [join(dir, 'jobs')], run: async (_file, _args, cwd) => (runs.push(cwd), { code: 0, stdout: `${join(dir, 'jobs/a.ts')}\n`, stderr: '' }) });
      const first = await makeCopy('one');
      expect(await check(first)).toEqual([]);
      const second = await makeCopy('two');
      expect(await check(second)).toEqual([]);
      expect(runs).toEqual([first]);
      // A copy that differs in content is checked.
      const third = await makeCopy('three');
      await writeFile(join(third, 'jobs/a.ts'), 'export default 2;\n');
      await check(third);
      expect(runs).toEqual([first, third]);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
