/**
 * Consul's JWT auth method trusting this Nomad's workload identities: the method the Nomad agents'
 * `consul { service_auth_method, task_auth_method }` name exists, is of type `jwt`, takes its keys
 * from this Nomad, accepts the audience the rendered `service_identity` / `task_identity` ask for,
 * and has binding rules for services and for tasks (what terraform/modules/consul-nomad-workloads
 * creates). Pure.
 */
import { NOMAD_CONSUL_AUDIENCE, NOMAD_CONSUL_AUTH_METHOD, type Cluster } from '../../config/cluster.ts';
import type { ConsulAclAuthMethod, ConsulAclBindingRule } from '../../wire/cluster-agents.ts';
import type { ClusterFacts } from '../facts.ts';
import { notJudged, type CheckResult } from '../result.ts';
import { judgeKeySource } from './nomad-jwks.ts';

const ID = 'consul/jwt-nomad';
const TITLE = `Consul's JWT auth method ${NOMAD_CONSUL_AUTH_METHOD} trusts this Nomad's workload identities`;
const MODULE = 'terraform/modules/consul-nomad-workloads';
const DENIED = 'The token needs `acl = "read"` (export CONSUL_HTTP_TOKEN).';

type Problem = { readonly detail: string; readonly fix: string };

/** Skipped without ACLs (declared off, or Consul answers 401 `ACL support disabled`): there is nothing to log in to. */
export function checkConsulJwtTrust(cluster: Cluster, facts: ClusterFacts): CheckResult {
  const { jwtAuthMethod: method, bindingRules: rules } = facts.consul;
  if (!cluster.acls) return { id: ID, title: TITLE, status: 'skipped', detail: 'acls: false in the cluster definition: Nomad gets no Consul tokens for its workloads', fix: 'Turn ACLs on (the default) for every environment but dev.' };
  if (!method.ok && method.failure.status === 401) {
    return { id: ID, title: TITLE, status: 'skipped', detail: `${method.failure.request}: ${method.failure.detail}: this Consul runs without ACLs (consul/acls says so too)`, fix: `Turn ACLs on in Consul (consul/acls), then apply ${MODULE}.` };
  }
  if (!method.ok) return notJudged(ID, TITLE, method.failure, DENIED);
  if (method.value === null) return fail([{ detail: `auth method ${NOMAD_CONSUL_AUTH_METHOD} not found: the Nomad agents' service_auth_method / task_auth_method have nothing to log in to`, fix: `Apply ${MODULE} (it creates the JWT auth method and the binding rules for Nomad).` }]);
  if (method.value.Type !== 'jwt') return fail([{ detail: `auth method ${NOMAD_CONSUL_AUTH_METHOD} is of type ${method.value.Type || '(none)'}, not jwt`, fix: `Replace it with the jwt auth method of ${MODULE}.` }]);
  if (!rules.ok) return notJudged(ID, TITLE, rules.failure, DENIED);
  const problems = [...keyProblems(method.value, facts), ...audienceProblems(method.value), ...ruleProblems(rules.value)];
  if (problems.length) return fail(problems);
  const binds = summarizeBindTypes(rules.value);
  return { id: ID, title: TITLE, status: 'pass', detail: `JWKSURL ${method.value.Config.JWKSURL || '(keys held)'}; BoundAudiences include ${NOMAD_CONSUL_AUDIENCE}; binding rules ${binds}` };
}

function fail(problems: readonly Problem[]): CheckResult {
  return { id: ID, title: TITLE, status: 'fail', detail: problems.map((p) => p.detail).join('; '), fix: problems.map((p) => p.fix).join(' ') };
}

function keyProblems(method: ConsulAclAuthMethod, facts: ClusterFacts): Problem[] {
  const { Config: config } = method;
  const verdict = judgeKeySource({ jwksUrl: config.JWKSURL, pubkeys: config.JWTValidationPubKeys, discoveryUrl: config.OIDCDiscoveryURL, names: CONSUL_NAMES }, facts);
  if (verdict.status === 'pass') return [];
  const nomadOrigin = new URL(facts.addresses.nomad).origin;
  return [{ detail: verdict.detail, fix: `Point it at this Nomad: \`JWKSURL = "${nomadOrigin}/.well-known/jwks.json"\` (${MODULE}, input nomad_address).` }];
}

const CONSUL_NAMES = { jwksUrl: 'JWKSURL', pubkeys: 'JWTValidationPubKeys', discoveryUrl: 'OIDCDiscoveryURL' } as const;

function audienceProblems(method: ConsulAclAuthMethod): Problem[] {
  const audiences = method.Config.BoundAudiences;
  if (audiences.includes(NOMAD_CONSUL_AUDIENCE)) return [];
  return [{
    detail: `BoundAudiences ${audiences.length ? audiences.join(', ') : '(none)'} lack ${NOMAD_CONSUL_AUDIENCE}, the audience of the Nomad agents' service_identity and task_identity`,
    fix: `Add "${NOMAD_CONSUL_AUDIENCE}" to BoundAudiences (${MODULE}, input audiences).`,
  }];
}

/** Services log in through a `service` rule; tasks through a `role` rule (or `policy`, Consul 1.17+). */
function ruleProblems(rules: readonly ConsulAclBindingRule[]): Problem[] {
  const missing = [
    ...(rules.some((r) => r.BindType === 'service') ? [] : ['for services (BindType service)']),
    ...(rules.some((r) => r.BindType === 'role' || r.BindType === 'policy') ? [] : ['for tasks (BindType role or policy)']),
  ];
  if (missing.length === 0) return [];
  return [{ detail: `no binding rule ${missing.join(' and none ')}`, fix: `Apply ${MODULE} (binding rules services and tasks).` }];
}

function summarizeBindTypes(rules: readonly ConsulAclBindingRule[]): string {
  const counts = new Map<string, number>();
  for (const rule of rules) counts.set(rule.BindType, (counts.get(rule.BindType) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([type, n]) => `${type} ×${n}`).join(', ');
}
