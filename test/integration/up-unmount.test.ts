/**
 * `drover down` unmounts the tmpfs mounts Nomad leaves under its data dir (secrets/, private/ of each
 * task), through zx running umount. Needs root and mount(8): CI runs as root; elsewhere skipped loudly.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unmountUnder } from '../../src/cli/up/stop.ts';

const dir = mkdtempSync(join(tmpdir(), 'drover-unmount-'));
/** A mount point with a space, as the mount table escapes it (\040). */
const point = join(dir, 'alloc 1', 'api', 'secrets');

function canMount(): boolean {
  try {
    mkdirSync(point, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', point], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const mounted = canMount();
if (!mounted) console.warn('\n!!! test/integration/up-unmount.test.ts SKIPPED: cannot mount a tmpfs here (needs root and mount(8)).\n');
const isMounted = () => readFileSync('/proc/self/mounts', 'utf8').includes(join(dir, 'alloc\\0401'));

describe.skipIf(!mounted)('drover down: unmountUnder', () => {
  afterAll(() => {
    if (isMounted()) execFileSync('umount', [point], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('unmounts what is mounted under the dir (a path with a space) and reports nothing stuck', async () => {
    expect(isMounted()).toBe(true);
    expect(await unmountUnder(dir)).toEqual([]);
    expect(isMounted()).toBe(false);
  });

  it('has nothing to do under a dir with no mounts', async () => {
    expect(await unmountUnder(join(dir, 'alloc 1'))).toEqual([]);
  });
});
