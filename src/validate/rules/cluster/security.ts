import type { SecretSource } from '../../../config/cluster.ts';
import { isDuration } from '../../../model/duration.ts';
import { at, type Diagnostic } from '../../diagnostic.ts';
import { problem, warning } from '../../rule.ts';
import { isRecord } from '../lib/shape.ts';
import type { ClusterRule } from './check.ts';

const ACLS = 'cluster/acls';
const TLS = 'cluster/tls';
const GOSSIP = 'cluster/gossip';
const TELEMETRY = 'cluster/telemetry';

/** Rule `cluster/acls`: ACLs stay on everywhere but dev (drover's tokens and workload identities rely on them). */
export const clusterAclsRule: ClusterRule = {
  id: ACLS,
  description: 'ACLs are on outside dev.',
  check({ cluster, file }) {
    if (cluster.acls !== false || cluster.env === 'dev') return [];
    return [problem(ACLS, { file, path: 'acls' }, `ACLs are off in ${cluster.env}: anyone who reaches the API may run jobs and read Consul`, 'Remove acls: false; bootstrap the ACL systems once after the first start (see README "Clusters").')];
  },
};

/** Rule `cluster/tls`: TLS material is found at absolute paths, and a PKI is reached over https. */
export const clusterTlsRule: ClusterRule = {
  id: TLS,
  description: 'TLS directories and token files are absolute paths; the issuing Vault is https.',
  check({ cluster, file }) {
    const tls: unknown = cluster.tls;
    if (!isRecord(tls)) return [problem(TLS, { file, path: 'tls' }, 'tls is missing', 'Say where the certificates are: tls: { source: \'files\', dir: \'/etc/drover/tls\' }.')];
    const found: Diagnostic[] = [];
    if (!absolute(tls.dir)) found.push(problem(TLS, { file, path: 'tls.dir' }, `tls.dir ${JSON.stringify(tls.dir)} is not an absolute path`, 'Use the directory on the machines, e.g. "/etc/drover/tls".'));
    if (tls.source === 'vault-pki') {
      if (!absolute(tls.tokenFile)) found.push(problem(TLS, { file, path: 'tls.tokenFile' }, `tls.tokenFile ${JSON.stringify(tls.tokenFile)} is not an absolute path`, 'Name the file on the machine that holds the issuing token; never the token itself.'));
      if (typeof tls.address !== 'string' || !tls.address.startsWith('https://')) found.push(problem(TLS, { file, path: 'tls.address' }, `tls.address ${JSON.stringify(tls.address)} is not an https:// URL`, 'Certificates and the issuing token must not cross the network in clear text.'));
      if (!isDuration(tls.ttl)) found.push(problem(TLS, { file, path: 'tls.ttl' }, `tls.ttl ${JSON.stringify(tls.ttl)} is not a duration`, 'Use e.g. "720h".'));
    } else if (tls.source !== 'files') {
      found.push(problem(TLS, { file, path: 'tls.source' }, `Unknown tls.source ${JSON.stringify(tls.source)}`, 'Use "files" or "vault-pki".'));
    }
    return found;
  },
};

/**
 * Rule `cluster/gossip`: gossip keys are references (a file on the machine, an SSM parameter),
 * never the key: a 32-byte base64 string in a definition is a committed secret.
 */
export const clusterGossipRule: ClusterRule = {
  id: GOSSIP,
  description: 'Gossip encryption keys are referenced, never written into the definition.',
  check({ cluster, file }) {
    return (['consul', 'nomad'] as const).flatMap((agent) => gossipProblems(cluster.gossip?.[agent], at('gossip', agent), file));
  },
};

function gossipProblems(source: SecretSource | undefined, path: string, file: string): Diagnostic[] {
  const values = isRecord(source) ? Object.values(source) : [];
  if (values.some((v) => typeof v === 'string' && /^[A-Za-z0-9+/]{22,}={0,2}$/.test(v) && !v.startsWith('/'))) {
    return [problem(GOSSIP, { file, path }, `${path} holds what looks like a key, not where to find one`, 'Rotate that key now (it is in your history) and reference the new one: { from: \'file\', path } or { from: \'aws-ssm\', parameter }.')];
  }
  if (source?.from === 'file' && absolute(source.path)) return [];
  if (source?.from === 'aws-ssm' && typeof source.parameter === 'string' && source.parameter.startsWith('/')) return [];
  return [problem(GOSSIP, { file, path }, `${path} is not a gossip key reference`, 'Use { from: \'file\', path: \'/etc/drover/gossip/consul.key\' } or { from: \'aws-ssm\', parameter: \'/drover/qa/gossip/consul\' }.')];
}

/** Rule `cluster/telemetry`: agents publish Prometheus metrics (`drover cluster check` and the alerts read them). */
export const clusterTelemetryRule: ClusterRule = {
  id: TELEMETRY,
  description: 'Prometheus metrics are on; the collection interval is a duration.',
  check({ cluster, file }) {
    const found: Diagnostic[] = [];
    if (cluster.telemetry?.prometheus === false) found.push(warning(TELEMETRY, { file, path: 'telemetry.prometheus' }, 'Agents will publish no Prometheus metrics: Prometheus cannot scrape Nomad, Consul or Vault', 'Leave telemetry.prometheus on unless another system collects the metrics.'));
    if (!isDuration(cluster.telemetry?.collectionInterval)) found.push(problem(TELEMETRY, { file, path: 'telemetry.collectionInterval' }, `telemetry.collectionInterval ${JSON.stringify(cluster.telemetry?.collectionInterval)} is not a duration`, 'Use e.g. "10s".'));
    return found;
  },
};

function absolute(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith('/') && !/\s/.test(value);
}
