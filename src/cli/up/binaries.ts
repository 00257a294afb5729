/**
 * The servers `drover up` runs, found on the caller's PATH (Consul also where
 * `scripts/install-consul.sh` puts it: `.tools/consul/usr/bin/consul` of the project or of drover's
 * own checkout). OpenBao's `bao` is preferred to Vault's `vault`.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface UpBinaries {
  readonly nomad: string;
  readonly consul: string;
  /** `bao` or `vault`. */
  readonly store: { readonly product: 'openbao' | 'vault'; readonly binary: string };
  readonly fabio: string;
  readonly prometheus: string;
}

/** Every binary, or the names of those missing (`vault` stands for "bao or vault"). */
export type BinarySearch = { readonly found: true; readonly binaries: UpBinaries } | { readonly found: false; readonly missing: readonly string[] };

const CONSUL_INSTALLED = '.tools/consul/usr/bin/consul';

/** Looks for the binaries in `searchPath` (a PATH value); `roots` are folders whose `.tools/` may hold Consul. */
export function findUpBinaries(searchPath: string, roots: readonly string[]): BinarySearch {
  const dirs = searchPath.split(delimiter).filter(Boolean);
  const onPath = (name: string) => dirs.map((dir) => join(dir, name)).find(isExecutable);
  const nomad = onPath('nomad');
  const consul = onPath('consul') ?? roots.map((root) => join(root, CONSUL_INSTALLED)).find(isExecutable);
  const bao = onPath('bao');
  const vault = bao ? undefined : onPath('vault');
  const fabio = onPath('fabio');
  const prometheus = onPath('prometheus');
  const missing = [
    ...(nomad ? [] : ['nomad']), ...(consul ? [] : ['consul']), ...(bao || vault ? [] : ['bao (or vault)']),
    ...(fabio ? [] : ['fabio']), ...(prometheus ? [] : ['prometheus']),
  ];
  if (!nomad || !consul || !(bao || vault) || !fabio || !prometheus) return { found: false, missing };
  const store = bao ? { product: 'openbao' as const, binary: bao } : { product: 'vault' as const, binary: vault as string };
  return { found: true, binaries: { nomad, consul, store, fabio, prometheus } };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
