import { renameSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cachedRender, recordRender, renderKey } from '../../../src/project/render-cache.ts';

const BUILD_URL = Symbol.for('drover.compiled-cli-url');
const globals = globalThis as Record<symbol, unknown>;

describe('render cache', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drover-render-cache-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));
  afterEach(() => {
    delete globals[BUILD_URL];
  });

  /** A compiled build as bin/drover.mjs names it: <cache>/cli-<hash>/main.js next to <cache>/cli.json. */
  async function fakeBuild(hash: string, manifest: string): Promise<void> {
    const cache = join(dir, `cache-${hash}`);
    await mkdir(join(cache, `cli-${hash}`), { recursive: true });
    await writeFile(join(cache, 'cli.json'), manifest);
    globals[BUILD_URL] = pathToFileURL(join(cache, `cli-${hash}`, 'main.js')).href;
  }

  it('has no key when drover runs from its sources (no compiled build to name)', () => {
    expect(renderKey({ jobs: [] })).toBeUndefined();
  });

  it('keys on every value rendering reads, functions by source and Maps by entries, and on drover\'s build', async () => {
    await fakeBuild('aaaa', '{"inputs":{"handlebars":[1,2]}}');
    const inputs = (count: number, extra: unknown = undefined) => ({ ctx: { gitSha: 'a'.repeat(40) }, jobs: [{ file: 'jobs/api.ts', spec: { id: 'api', count, extra } }] });
    const key = renderKey(inputs(1));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(renderKey(inputs(1))).toBe(key);
    expect(renderKey(inputs(2))).not.toBe(key);
    expect(renderKey(inputs(1, () => 1))).not.toBe(renderKey(inputs(1, () => 2)));
    expect(renderKey(inputs(1, new Map([['a', 1]])))).not.toBe(renderKey(inputs(1, new Map([['a', 2]]))));
    expect(renderKey(inputs(1, new Set([1])))).not.toBe(renderKey(inputs(1, new Set([2]))));
    await fakeBuild('aaaa', '{"inputs":{"handlebars":[1,3]}}'); // a dependency updated, same compiled code
    expect(renderKey(inputs(1))).not.toBe(key);
    await fakeBuild('bbbb', '{"inputs":{"handlebars":[1,2]}}');
    expect(renderKey(inputs(1))).not.toBe(key);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(renderKey(cyclic)).toBeUndefined();
  });

  it('answers the recorded lines only while every file is as the render left it', async () => {
    const root = join(dir, 'project');
    await mkdir(join(root, 'build'), { recursive: true });
    const files = [join(root, 'build/api.json'), join(root, 'build/api.nomad.hcl')];
    for (const file of files) await writeFile(file, 'rendered\n');
    const record = () => recordRender(root, 'qa build', 'k1', files, ['build/api.json', 'build/api.nomad.hcl']);

    record();
    expect(cachedRender(root, 'qa build', 'k1')).toEqual(['build/api.json', 'build/api.nomad.hcl']);
    expect(cachedRender(root, 'qa build', 'k2')).toBeUndefined(); // other inputs
    expect(cachedRender(root, 'prod build', 'k1')).toBeUndefined(); // other environment or output dir

    await writeFile(files[0]!, 'hand-edited\n');
    expect(cachedRender(root, 'qa build', 'k1')).toBeUndefined();
    await writeFile(files[0]!, 'rendered\n');
    record();

    // Same size, modification time put back: the file was replaced (another inode).
    const replacement = `${files[1]}.new`;
    await writeFile(replacement, 'RENDERED\n');
    const before = statSync(files[1]!);
    renameSync(replacement, files[1]!);
    await utimes(files[1]!, before.atime, before.mtime);
    expect(cachedRender(root, 'qa build', 'k1')).toBeUndefined();
    record();

    await rm(files[1]!);
    expect(cachedRender(root, 'qa build', 'k1')).toBeUndefined();
  });
});
