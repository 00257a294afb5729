import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findUpBinaries } from '../../../src/cli/up/binaries.ts';

describe('the binaries drover up runs', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  /** A folder holding empty executables with the given names. */
  const folder = (...names: string[]): string => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-up-bin-'));
    dirs.push(dir);
    for (const name of names) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), '#!/bin/sh\n');
      chmodSync(join(dir, name), 0o755);
    }
    return dir;
  };

  it('finds every server on PATH, preferring bao to vault', () => {
    const a = folder('nomad', 'consul', 'vault');
    const b = folder('bao', 'fabio', 'prometheus');
    const found = findUpBinaries([a, b].join(delimiter), []);
    expect(found).toEqual({ found: true, binaries: { nomad: join(a, 'nomad'), consul: join(a, 'consul'), store: { product: 'openbao', binary: join(b, 'bao') }, fabio: join(b, 'fabio'), prometheus: join(b, 'prometheus') } });
  });

  it('takes vault without bao, and Consul from a root\'s .tools/ (scripts/install-consul.sh) when it is not on PATH', () => {
    const path = folder('nomad', 'vault', 'fabio', 'prometheus');
    const root = folder('.tools/consul/usr/bin/consul');
    const found = findUpBinaries(path, [folder(), root]);
    expect(found.found && found.binaries.store).toEqual({ product: 'vault', binary: join(path, 'vault') });
    expect(found.found && found.binaries.consul).toBe(join(root, '.tools/consul/usr/bin/consul'));
  });

  it('names every missing binary, and ignores files that are not executable', () => {
    const path = folder('nomad', 'fabio');
    writeFileSync(join(path, 'prometheus'), 'not executable');
    expect(findUpBinaries(path, [])).toEqual({ found: false, missing: ['consul', 'bao (or vault)', 'prometheus'] });
    expect(findUpBinaries('', [])).toEqual({ found: false, missing: ['nomad', 'consul', 'bao (or vault)', 'fabio', 'prometheus'] });
  });
});
