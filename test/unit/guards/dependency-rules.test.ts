import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot, runTool } from './run-tool.ts';

// The real dependency-cruiser with the repository's own rules, run in each fixture tree the way
// `npm run deps` runs in the repository (the rules' paths are relative to the working directory).
const depcruise = join(repoRoot, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const config = join(repoRoot, '.dependency-cruiser.cjs');
const fixtures = join(repoRoot, 'test/fixtures/deps');

const cruise = (tree: string, outputType: 'err' | 'json') =>
  runTool(depcruise, ['src', '--config', config, '--output-type', outputType], join(fixtures, tree));

// The 'err' report as one line per violation: Node 20's util.styleText, which depcruise uses,
// styles even when NO_COLOR is set, and a cycle is printed over several lines.
const plain = (report: string) => stripVTControlCharacters(report).replace(/ →\s+/g, ' → ');

function sourceFiles(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name), root) : [relative(root, join(dir, entry.name))],
  );
}

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
}

describe('the dependency rules (.dependency-cruiser.cjs)', () => {
  it('pass a tree that uses every import the rules allow, having cruised all of its files', async () => {
    const run = await cruise('clean', 'json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { modules: { source: string }[]; summary: { violations: Violation[] } };
    expect(result.summary.violations).toEqual([]);
    const cruised = result.modules.map((m) => m.source).filter((s) => s.startsWith('src/'));
    const files = sourceFiles(join(fixtures, 'clean')).filter((f) => f.startsWith('src/'));
    expect(cruised.sort()).toEqual(files.sort());
  });

  it.each([
    ['cycle', 'no-circular', 'src/model/group.ts', 'src/model/job.ts → src/model/group.ts'],
    ['render-imports-clients', 'pure-not-to-clients-or-cli', 'src/render/job.ts', 'src/clients/nomad.ts'],
    ['model-imports-fs', 'pure-not-to-io', 'src/model/job.ts', 'fs'],
    ['library-imports-cli', 'only-entry-points-to-cli', 'src/deploy/deploy.ts', 'src/cli/io.ts'],
    ['sandbox-imports-product', 'sandbox-only-to-wire', 'src/sandbox/scheduler.ts', 'src/deploy/order.ts'],
    ['product-imports-sandbox', 'product-not-to-sandbox', 'src/deploy/deploy.ts', 'src/sandbox/clock.ts'],
  ])('fail %s, naming rule %s and the import %s → %s', async (tree, rule, from, to) => {
    const run = await cruise(tree, 'err');
    // depcruise exits with the number of errors it found.
    expect(run.code).toBe(1);
    expect(plain(run.stdout)).toContain(`error ${rule}: ${from} → ${to}\n`);
    expect(plain(run.stdout)).toContain('1 dependency violations (1 errors, 0 warnings)');
  });

  it('count a cycle whose way back is a type-only import', async () => {
    const run = await cruise('cycle', 'json');
    const result = JSON.parse(run.stdout) as { summary: { violations: (Violation & { cycle: { name: string }[] })[] } };
    const [violation] = result.summary.violations;
    expect(violation?.rule.name).toBe('no-circular');
    expect(violation?.cycle.map((step) => step.name)).toEqual(['src/model/job.ts', 'src/model/group.ts']);
  });
});
