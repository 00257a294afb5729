/**
 * ACLs enforced, TLS on every listener drover talks to, gossip encrypted. Pure.
 */
import type { Cluster } from '../../config/cluster.ts';
import type { AnonymousAnswer, ClusterFacts, ListenerProbe, Read } from '../facts.ts';
import { judge, type CheckResult } from '../result.ts';

/** An anonymous request (no token at all) must be refused with 403 by both. */
export function checkAcls(cluster: Cluster, facts: ClusterFacts): CheckResult[] {
  const one = (id: string, product: string, read: Read<AnonymousAnswer>, fix: string): CheckResult => {
    const title = `${product} refuses anonymous requests (ACLs enforced)`;
    if (!cluster.acls) return { id, title, status: 'skipped', detail: 'acls: false in the cluster definition', fix: 'Turn ACLs on (the default) for every environment but dev.' };
    if (!read.ok && read.failure.kind === 'denied') return { id, title, status: 'pass', detail: `anonymous ${read.failure.request} → ${read.failure.detail}` };
    return judge(read, id, title, '', (answer) => ({ status: 'fail', detail: `anonymous request answered ${answer.status}: ACLs are off or the anonymous token has a policy`, fix }));
  };
  return [
    one('nomad/acls', 'Nomad', facts.nomad.anonymous, 'Set `acl { enabled = true }` on every Nomad agent (cluster/<env>/*/nomad.hcl), restart them one server at a time, then `nomad acl bootstrap`; if ACLs are on, a policy named `anonymous` grants too much (`nomad acl policy list`).'),
    one('consul/acls', 'Consul', facts.consul.anonymous, 'Set `acl { enabled = true, default_policy = "deny" }` on every Consul agent (cluster/<env>/*/consul.hcl), restart them, `consul acl bootstrap`; make sure the anonymous token (00000000-0000-0000-0000-000000000002) has no policy granting agent read.'),
  ];
}

const CA_VARIABLE = { nomad: 'NOMAD_CACERT', consul: 'CONSUL_CACERT', vault: 'VAULT_CACERT' } as const;

/** Every API address drover uses is HTTPS and its certificate verifies against the cluster's CA, name included. */
export function checkTls(cluster: Cluster, facts: ClusterFacts): CheckResult[] {
  return facts.listeners.map((listener) => tlsResult(cluster, listener));
}

function tlsResult(cluster: Cluster, { service, address, result }: ListenerProbe): CheckResult {
  const id = `${service}/tls`;
  const title = `${capitalize(service)} API speaks TLS verified by the cluster's CA (${address})`;
  const caFile = `${cluster.tls.dir}/ca.pem`;
  switch (result.kind) {
    case 'verified':
      return { id, title, status: 'pass', detail: `${result.protocol}, certificate ${result.subject || '(no CN)'} verified` };
    case 'plain-http':
      return { id, title, status: 'fail', detail: 'the address is plain http://', fix: `Reach ${service} over https:// (listeners in cluster/<env>/ use TLS; the environment file or ${addressVariable(service)} should say https://) with ${CA_VARIABLE[service]}=${caFile} from the machines.` };
    case 'no-ca':
      return { id, title, status: 'fail', detail: `no CA to verify against (${result.variable} is not set)`, fix: `export ${result.variable}=<copy of ${caFile}> and run the check again.` };
    case 'unreachable':
      return { id, title, status: 'unreachable', detail: result.reason, fix: `Check that ${service} listens at ${address}.` };
    case 'no-tls':
      return { id, title, status: 'fail', detail: `no TLS handshake: ${result.reason}`, fix: `Turn TLS on for ${service}'s HTTP listener (cluster/<env>/server/${service === 'vault' ? (cluster.versions.openbao ? 'openbao' : 'vault') : service}.hcl) and restart it.` };
    case 'unverified':
      return { id, title, status: 'fail', detail: `certificate not trusted: ${result.reason}`, fix: `Issue ${service}'s certificate from the cluster's CA (${caFile}) with the name you reach it by (${new URL(address).hostname}) in its SANs, and point ${CA_VARIABLE[service]} at that CA.` };
  }
}

function addressVariable(service: 'nomad' | 'consul' | 'vault'): string {
  return { nomad: 'NOMAD_ADDR', consul: 'CONSUL_HTTP_ADDR', vault: 'VAULT_ADDR' }[service];
}

/** Serf gossip of both is encrypted (`encrypted: "true"` in the agent's own stats). */
export function checkGossip(facts: ClusterFacts): CheckResult[] {
  const verdict = (product: string, encrypted: string | undefined, keyFile: string) =>
    encrypted === 'true'
      ? { status: 'pass' as const, detail: 'serf reports encrypted: true' }
      : { status: 'fail' as const, detail: `serf reports encrypted: ${encrypted ?? '(missing)'}`, fix: `Give every ${product} agent the gossip key (${keyFile}; the cluster definition's gossip reference is written at boot by install.sh) and restart them.` };
  return [
    judge(facts.nomad.self, 'nomad/gossip', 'Nomad gossip encrypted', 'The token needs `agent { policy = "read" }`.', (self) => verdict('Nomad server', self.stats.serf['encrypted'], '`server { encrypt = … }`')),
    judge(facts.consul.self, 'consul/gossip', 'Consul gossip encrypted', 'The token needs `agent_prefix "" { policy = "read" }`.', (self) => verdict('Consul', self.Stats.serf_lan['encrypted'], '`encrypt = …`')),
  ];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
