import { at } from '../../diagnostic.ts';
import { problem, warning } from '../../rule.ts';
import { FABIO_VERSION } from '../../../render/fabio-constants.ts';
import { entriesOf } from '../lib/shape.ts';
import type { ClusterRule } from './check.ts';

const ID = 'cluster/versions';

/**
 * Rule `cluster/versions`: every version is a plain release number (the install script builds
 * download URLs from it), exactly one of OpenBao and Vault is chosen, and Fabio is the version
 * drover renders its properties for.
 */
export const clusterVersionsRule: ClusterRule = {
  id: ID,
  description: 'Versions are X.Y.Z release numbers; exactly one of openbao and vault; Fabio matches drover.',
  check({ cluster, file }) {
    const versions = cluster.versions ?? {};
    const found = entriesOf(versions).flatMap(([name, version]) =>
      typeof version === 'string' && /^\d+\.\d+\.\d+$/.test(version)
        ? []
        : [problem(ID, { file, path: at('versions', name) }, `versions.${name} is ${JSON.stringify(version)}, not a release number`, 'Write the release as X.Y.Z, e.g. "1.9.7", without a leading v or a range.')],
    );
    const stores = ['openbao', 'vault'].filter((name) => versions[name as 'vault'] !== undefined);
    if (stores.length !== 1) {
      found.push(problem(ID, { file, path: 'versions' }, stores.length ? 'versions names both openbao and vault' : 'versions names neither openbao nor vault', 'Keep exactly one: the servers run OpenBao or Vault, not both.'));
    }
    if (typeof versions.fabio === 'string' && versions.fabio !== FABIO_VERSION) {
      found.push(warning(ID, { file, path: 'versions.fabio' }, `Fabio ${versions.fabio} differs from ${FABIO_VERSION}, the version drover renders fabio.properties for (and jobs/fabio.ts downloads)`, `Use "${FABIO_VERSION}", or check that Fabio ${versions.fabio} reads the same properties.`));
    }
    return found;
  },
};

const SEAL = 'cluster/seal';

/**
 * Rule `cluster/seal`: OpenBao's built-in AWS KMS auto-unseal is deprecated since 2.6 and gone in
 * 2.7.0 (only the external plugin remains, per OpenBao's changelog); a cluster on such a version
 * whose servers could not unseal is refused before any machine starts.
 */
export const clusterSealRule: ClusterRule = {
  id: SEAL,
  description: 'The seal is one the declared OpenBao version has built in.',
  check({ cluster, file }) {
    const version = cluster.versions?.openbao;
    if (cluster.seal?.kind !== 'awskms' || typeof version !== 'string') return [];
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major > 2 || (major === 2 && minor >= 7)) {
      return [problem(SEAL, { file, path: 'seal' }, `OpenBao ${version} has no built-in awskms seal (removed in 2.7.0; it is an external plugin now)`, 'Use seal: { kind: \'shamir\' } and unseal by hand, or stay on OpenBao 2.6 until drover renders the KMS plugin configuration.')];
    }
    if (major === 2 && minor >= 6) {
      return [warning(SEAL, { file, path: 'seal' }, `OpenBao ${version}'s built-in awskms seal is deprecated and removed in 2.7.0`, 'Plan the move to the external KMS plugin before upgrading OpenBao past 2.6.')];
    }
    return [];
  },
};
