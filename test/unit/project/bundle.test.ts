import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundledImporter, entrySource } from '../../../src/project/bundle.ts';
import { importDefaults } from '../../../src/project/load.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'drover-bundle-'));
  await mkdir(join(root, 'jobs/lib'), { recursive: true });
  await mkdir(join(root, 'environments'), { recursive: true });
  await writeFile(join(root, 'jobs/lib/owner.ts'), "export const OWNER: string = 'team-a';\n");
  await writeFile(join(root, 'jobs/a.ts'), "import { OWNER } from './lib/owner.ts';\nexport default { kind: 'job', id: 'a', owner: OWNER as string };\n");
  await writeFile(join(root, 'jobs/b.ts'), "const count: number = 2;\nexport default { kind: 'job', id: 'b', count };\n");
  await writeFile(join(root, 'environments/qa.ts'), "export default { name: 'qa' } satisfies { name: string };\n");
  // A file modified in the millisecond the build starts is not recorded as current (it may have
  // changed while esbuild read it); files written by a test just before are aged so they are.
  await Promise.all(['jobs/lib/owner.ts', 'jobs/a.ts', 'jobs/b.ts', 'environments/qa.ts'].map((f) => setModified(f, Date.now() / 1000 - 10)));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const setModified = (file: string, seconds: number) => utimes(join(root, file), seconds, seconds);
const files = () => [join(root, 'environments/qa.ts'), join(root, 'jobs/a.ts'), join(root, 'jobs/b.ts')];
const cacheFiles = async () => (await readdir(join(root, 'node_modules/.cache/drover'))).filter((n) => n.startsWith('project-')).sort();
const defaultOf = async (importer: (path: string) => Promise<unknown>, file: string) => ((await importer(join(root, file))) as { default: unknown }).default;

describe('bundledImporter', () => {
  it('compiles every definition file into one cached module and imports each default from it', async () => {
    const importer = await bundledImporter(root, files());
    expect(importer).toBeDefined();
    expect(await defaultOf(importer!, 'jobs/a.ts')).toEqual({ kind: 'job', id: 'a', owner: 'team-a' });
    expect(await defaultOf(importer!, 'jobs/b.ts')).toEqual({ kind: 'job', id: 'b', count: 2 });
    expect(await defaultOf(importer!, 'environments/qa.ts')).toEqual({ name: 'qa' });
    const cached = await cacheFiles();
    expect(cached).toEqual(expect.arrayContaining([expect.stringMatching(/^project-[0-9a-f]{12}\.json$/), expect.stringMatching(/^project-[0-9a-f]{16}\.mjs$/)]));
    expect(cached).toHaveLength(2);
    const manifest = JSON.parse(await readFile(join(root, 'node_modules/.cache/drover', cached.find((n) => n.endsWith('.json'))!), 'utf8'));
    // The imported library file counts as an input: an edit there rebuilds too.
    expect(Object.keys(manifest.inputs)).toContain(join(root, 'jobs/lib/owner.ts'));
  });

  it('reuses the bundle while nothing changed, and rebuilds when an imported file changes', async () => {
    await bundledImporter(root, files());
    const first = await cacheFiles();
    const again = await bundledImporter(root, files());
    expect(await cacheFiles()).toEqual(first);
    expect(await defaultOf(again!, 'jobs/a.ts')).toMatchObject({ owner: 'team-a' });
    await writeFile(join(root, 'jobs/lib/owner.ts'), "export const OWNER: string = 'team-b';\n");
    const edited = await bundledImporter(root, files());
    expect(await defaultOf(edited!, 'jobs/a.ts')).toMatchObject({ owner: 'team-b' });
    const after = await cacheFiles();
    expect(after.find((n) => n.endsWith('.mjs'))).not.toBe(first.find((n) => n.endsWith('.mjs')));
    // The previous bundle of this project is removed, not left to pile up.
    expect(after.filter((n) => n.endsWith('.mjs'))).toHaveLength(1);
  });

  it('uses but does not record a bundle built while an input was being modified', async () => {
    await setModified('jobs/b.ts', Date.now() / 1000 + 60);
    const importer = await bundledImporter(root, files());
    expect(await defaultOf(importer!, 'jobs/b.ts')).toEqual({ kind: 'job', id: 'b', count: 2 });
    expect((await cacheFiles()).filter((n) => n.endsWith('.json'))).toEqual([]);
    await setModified('jobs/b.ts', Date.now() / 1000 - 10);
    await bundledImporter(root, files());
    expect((await cacheFiles()).filter((n) => n.endsWith('.json'))).toHaveLength(1);
  });

  it('forgets, when it builds, the bundles of projects that no longer exist', async () => {
    const cache = join(root, 'node_modules/.cache/drover');
    await mkdir(cache, { recursive: true });
    await writeFile(join(cache, 'project-aaaaaaaaaaaa.json'), JSON.stringify({ format: 1, esbuild: 'x', entries: [join(root, 'gone/jobs/a.ts')], inputs: {}, bundle: 'project-aaaaaaaaaaaaaaaa.mjs' }));
    await writeFile(join(cache, 'project-aaaaaaaaaaaaaaaa.mjs'), 'export const modules = {};\n');
    await bundledImporter(root, files());
    expect((await cacheFiles()).filter((n) => n.includes('aaaa'))).toEqual([]);
  });

  it('rebuilds when a definition file is added', async () => {
    await bundledImporter(root, files());
    await writeFile(join(root, 'jobs/c.ts'), "export default { kind: 'job', id: 'c' };\n");
    const importer = await bundledImporter(root, [...files(), join(root, 'jobs/c.ts')]);
    expect(await defaultOf(importer!, 'jobs/c.ts')).toEqual({ kind: 'job', id: 'c' });
  });

  it('keeps a file that throws while loading to itself: the others load, and it fails with its own error each time', async () => {
    await writeFile(join(root, 'jobs/b.ts'), "throw new Error('b is broken');\nexport default {};\n");
    const importer = await bundledImporter(root, files());
    const loaded = await importDefaults(root, [join(root, 'jobs/a.ts'), join(root, 'jobs/b.ts')], (v): v is object => typeof v === 'object', 'a job', importer);
    expect(loaded.modules.map((m) => m.file)).toEqual(['jobs/a.ts']);
    expect(loaded.diagnostics).toEqual([expect.objectContaining({ rule: 'load/module', message: 'jobs/b.ts could not be loaded: b is broken', location: { file: 'jobs/b.ts', path: '' } })]);
    await expect(importer!(join(root, 'jobs/b.ts'))).rejects.toThrow('b is broken');
  });

  it('gives up (the caller imports file by file) on a syntax error, an unresolved import or a module that needs its own URL', async () => {
    await writeFile(join(root, 'jobs/b.ts'), "export default { id: 'b',, };\n");
    expect(await bundledImporter(root, files())).toBeUndefined();
    await writeFile(join(root, 'jobs/b.ts'), "import { x } from './missing.ts';\nexport default { x };\n");
    expect(await bundledImporter(root, files())).toBeUndefined();
    await writeFile(join(root, 'jobs/b.ts'), 'export default { here: import.meta.url };\n');
    expect(await bundledImporter(root, files())).toBeUndefined();
    await writeFile(join(root, 'jobs/b.ts'), "export default { id: 'b' };\n");
    expect(await bundledImporter(root, files())).toBeDefined();
  });
});

describe('entrySource', () => {
  it('has one lazy require per file, keyed by its path from the root', () => {
    expect(entrySource('/p', ['/p/jobs/a.ts', '/p/environments/qa.ts'])).toBe(
      'export const modules = {\n  "jobs/a.ts": () => require("./jobs/a.ts"),\n  "environments/qa.ts": () => require("./environments/qa.ts"),\n};\n',
    );
  });
});
