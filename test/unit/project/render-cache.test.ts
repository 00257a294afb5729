import { renameSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lastRender, recordRender, renderKeys, sameJob, sameRender } from '../../../src/project/render-cache.ts';

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

  const job = (id: string, count: number, extra: unknown = undefined) => ({ file: `jobs/${id}.ts`, spec: { id, count, extra } });
  const ctx = { gitSha: 'a'.repeat(40), env: { name: 'qa' } };
  const keyOf = (jobs: ReturnType<typeof job>[], context: typeof ctx | { env: unknown } = ctx, only: string | null = null) => renderKeys(context, jobs, jobs, only)?.key;

  it('has no key when drover runs from its sources (no compiled build to name)', () => {
    expect(renderKeys(ctx, [job('api', 1)], [job('api', 1)], null)).toBeUndefined();
  });

  it('keys on every value rendering reads, functions by source and Maps by entries, and on drover\'s build', async () => {
    await fakeBuild('aaaa', '{"inputs":{"handlebars":[1,2]}}');
    const key = keyOf([job('api', 1)]);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(keyOf([job('api', 1)])).toBe(key);
    expect(keyOf([job('api', 2)])).not.toBe(key);
    expect(keyOf([job('api', 1)], { ...ctx, gitSha: 'b'.repeat(40) })).not.toBe(key);
    expect(keyOf([job('api', 1)], ctx, 'api')).not.toBe(key); // --job
    expect(keyOf([job('api', 1, () => 1)])).not.toBe(keyOf([job('api', 1, () => 2)]));
    expect(keyOf([job('api', 1, new Map([['a', 1]]))])).not.toBe(keyOf([job('api', 1, new Map([['a', 2]]))]));
    expect(keyOf([job('api', 1, new Set([1]))])).not.toBe(keyOf([job('api', 1, new Set([2]))]));
    await fakeBuild('aaaa', '{"inputs":{"handlebars":[1,3]}}'); // a dependency updated, same compiled code
    expect(keyOf([job('api', 1)])).not.toBe(key);
    await fakeBuild('bbbb', '{"inputs":{"handlebars":[1,2]}}');
    expect(keyOf([job('api', 1)])).not.toBe(key);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(keyOf([job('api', 1, cyclic)])).toBeUndefined();
  });

  it('gives a job the same key while it and the context stay, whatever the other jobs do', async () => {
    await fakeBuild('cccc', '{}');
    const before = renderKeys(ctx, [job('api', 1), job('web', 1)], [job('api', 1), job('web', 1)], null)!;
    const after = renderKeys(ctx, [job('api', 1), job('web', 2)], [job('api', 1), job('web', 2)], null)!;
    expect(after.jobKeys[0]).toBe(before.jobKeys[0]);
    expect(after.jobKeys[1]).not.toBe(before.jobKeys[1]);
    expect(after.key).not.toBe(before.key);
    expect(renderKeys({ ...ctx, gitSha: 'c'.repeat(40) }, [job('api', 1)], [job('api', 1)], null)!.jobKeys[0]).not.toBe(before.jobKeys[0]);
  });

  it('keys the files made from every job on the environment and every job, not on the commit or --job', async () => {
    await fakeBuild('dddd', '{}');
    const jobs = [job('api', 1), job('web', 1)];
    const configKey = (context: typeof ctx | { env: unknown }, all = jobs, selected = all) => renderKeys(context, all, selected, null)!.configKey;
    const key = configKey(ctx);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(configKey({ ...ctx, gitSha: 'c'.repeat(40) })).toBe(key);
    expect(configKey(ctx, jobs, [jobs[0]!])).toBe(key);
    expect(configKey({ ...ctx, env: { name: 'prod' } })).not.toBe(key);
    expect(configKey(ctx, [job('api', 1), job('web', 2)])).not.toBe(key);
    expect(configKey(ctx, [job('api', 1)])).not.toBe(key);
    expect(renderKeys(ctx, jobs, jobs, null)!.jobKeys).not.toContain(key);
  });

  it('answers the recorded lines only while every file is as the render left it', async () => {
    const root = join(dir, 'project');
    await mkdir(join(root, 'build'), { recursive: true });
    const files = [join(root, 'build/api.json'), join(root, 'build/api.nomad.hcl')];
    for (const file of files) await writeFile(file, 'rendered\n');
    const record = () => recordRender(root, 'qa build', 'k1', files, ['build/api.json', 'build/api.nomad.hcl'], { j1: { targets: [files[0]!], lines: ['build/api.json'] } });
    const same = (slot = 'qa build', key = 'k1') => sameRender(lastRender(root, slot), key);

    record();
    expect(same()).toEqual(['build/api.json', 'build/api.nomad.hcl']);
    expect(same('qa build', 'k2')).toBeUndefined(); // other inputs
    expect(same('prod build')).toBeUndefined(); // other environment or output dir
    expect(sameJob(lastRender(root, 'qa build'), 'j1')).toEqual({ targets: [files[0]], lines: ['build/api.json'] });
    expect(sameJob(lastRender(root, 'qa build'), 'j2')).toBeUndefined();

    await writeFile(files[0]!, 'hand-edited\n');
    expect(same()).toBeUndefined();
    expect(sameJob(lastRender(root, 'qa build'), 'j1')).toBeUndefined();
    await writeFile(files[0]!, 'rendered\n');
    record();

    // Same size, modification time put back: the file was replaced (another inode).
    const replacement = `${files[1]}.new`;
    await writeFile(replacement, 'RENDERED\n');
    const before = statSync(files[1]!);
    renameSync(replacement, files[1]!);
    await utimes(files[1]!, before.atime, before.mtime);
    expect(same()).toBeUndefined();
    expect(sameJob(lastRender(root, 'qa build'), 'j1')).toBeDefined(); // not one of j1's files
    record();

    await rm(files[1]!);
    expect(same()).toBeUndefined();
  });
});
