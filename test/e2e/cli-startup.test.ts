import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/run-cli.ts';

/**
 * Issue 15: bin/drover.mjs runs the cached JavaScript build of src/ (bin/compiled-cli.mjs), and
 * `--help`, `--version` and `completion` load no project, no client and no TypeScript loader.
 * Each case runs the real entry point with a module hook that lists every module it resolves,
 * then reads which sources the loaded chunks hold (esbuild marks each with `// src/…`).
 */
const HOOKS = `data:text/javascript,${encodeURIComponent(
  'export async function resolve(s,c,n){const r=await n(s,c);if(!r.url.startsWith("node:"))process.stderr.write("LOADED "+r.url+"\\n");return r}',
)}`;
const REGISTER = `data:text/javascript,${encodeURIComponent(`import{register}from'node:module';register(${JSON.stringify(HOOKS)});`)}`;

function loadedBy(args: readonly string[]): Promise<{ code: number; stdout: string; modules: string[] }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', REGISTER, `${repoRoot}bin/drover.mjs`, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 }, (error, stdout, stderr) => {
      const modules = [...new Set(stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice('LOADED '.length)))];
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, modules });
    });
  });
}

/** The source files compiled into the loaded chunks, e.g. `src/cli/main.ts`. */
async function sourcesIn(modules: readonly string[]): Promise<string[]> {
  const sources = new Set<string>();
  for (const url of modules.filter((m) => /\/\.cache\/drover\/cli-[0-9a-f]+\//.test(m))) {
    const text = await readFile(fileURLToPath(url), 'utf8');
    for (const [, source] of text.matchAll(/^\/\/ (src\/\S+\.ts)$/gm)) sources.add(source as string);
  }
  return [...sources].sort();
}

describe('drover starts from its compiled build', { timeout: 60_000 }, () => {
  // The first start after an edit of src/ compiles (and so loads esbuild); the cases are about the starts after it.
  beforeAll(async () => {
    expect((await loadedBy(['--version'])).code).toBe(0);
  });

  it.each([['--help'], ['--version'], ['completion', 'bash'], ['deploy', '--help']])('%s loads no project, client, sandbox or TypeScript loader', async (...args) => {
    const run = await loadedBy(args);
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(0);
    expect(run.modules).toContain(pathToFileURL(`${repoRoot}bin/compiled-cli.mjs`).href);
    // No npm package at all: not tsx, esbuild, axios, consul, node-vault, prom-client, handlebars.
    expect(run.modules.filter((m) => m.includes('/node_modules/') && !m.includes('/node_modules/.cache/drover/'))).toEqual([]);
    // Nothing from src/ as TypeScript: the sources come compiled.
    expect(run.modules.filter((m) => m.endsWith('.ts'))).toEqual([]);
    const sources = await sourcesIn(run.modules);
    expect(sources).toContain('src/cli/main.ts');
    expect(sources.filter((s) => /^src\/(project|clients|sandbox|deploy|render|metrics|secrets|release)\//.test(s))).toEqual([]);
    // From validate/ only the did-you-mean of an unknown command and the types of errors.
    expect(sources.filter((s) => s.startsWith('src/validate/') && !/^src\/validate\/(did-you-mean|diagnostic)\.ts$/.test(s))).toEqual([]);
  });

  it('a command loads its own code: validate compiles the project, but loads no client', async () => {
    const run = await loadedBy(['validate', 'qa', '--no-typecheck']);
    expect(run.code).toBe(0);
    const sources = await sourcesIn(run.modules);
    expect(sources).toEqual(expect.arrayContaining(['src/cli/commands/validate.ts', 'src/project/bundle.ts']));
    expect(sources.filter((s) => /^src\/(clients|sandbox|deploy)\//.test(s))).toEqual([]);
    expect(run.modules.filter((m) => /\/node_modules\/(axios|consul|node-vault|prom-client|tsx)\//.test(m))).toEqual([]);
  });
});

describe('the compiled build is reused while its inputs are unchanged', { timeout: 120_000 }, () => {
  it('builds into an empty cache, reuses it, and rebuilds when an input differs from what was recorded', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'drover-cli-cache-'));
    try {
      const { compiledCli } = (await import(pathToFileURL(`${repoRoot}bin/compiled-cli.mjs`).href)) as { compiledCli: (o: { cacheDir: string }) => Promise<string | undefined> };
      const first = await compiledCli({ cacheDir });
      expect(first).toMatch(/\/cli-[0-9a-f]{16}\/main\.js$/);
      const manifestPath = join(cacheDir, 'cli.json');
      const recorded = (await stat(manifestPath)).mtimeMs;
      expect(await compiledCli({ cacheDir })).toBe(first);
      expect((await stat(manifestPath)).mtimeMs).toBe(recorded);
      // As if src/cli/main.ts had been edited since: its recorded size no longer matches.
      const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { inputs: Record<string, [number, number]> };
      const main = `${repoRoot}src/cli/main.ts`;
      expect(manifest.inputs[main]).toBeDefined();
      manifest.inputs[main] = [manifest.inputs[main]![0], -1];
      await writeFile(manifestPath, JSON.stringify(manifest));
      expect(await compiledCli({ cacheDir })).toBe(first);
      const rebuilt = JSON.parse(await readFile(manifestPath, 'utf8')) as { inputs: Record<string, [number, number]> };
      expect(rebuilt.inputs[main]![1]).toBe((await stat(main)).size);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
