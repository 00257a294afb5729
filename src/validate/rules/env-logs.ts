import type { Diagnostic } from '../diagnostic.ts';
import { problem } from '../rule.ts';
import { addressProblem } from './env-address.ts';
import { field, isRecord, show } from './lib/index.ts';
import type { EnvironmentRule } from './lib/environment-rule.ts';
import { isCleanPath } from './secret-path.ts';

const ID = 'env/logs';
const KINDS = ['loki', 'elasticsearch', 'opensearch'] as const;
const STRATEGIES = ['basic', 'bearer'] as const;
/** What Elasticsearch and OpenSearch refuse in an index name (besides upper case and a leading -, _ or +). */
const INDEX_FORBIDDEN = /[\\/*?"<>| ,#:]/;

/**
 * `logs.sink`: a known kind, a usable base URL, credentials only as a Vault reference, and an
 * index the search stores accept. Unknown keys are `env/unknown-key`'s.
 */
export const envLogsRule: EnvironmentRule = {
  id: ID,
  description: 'logs.sink is a loki, elasticsearch or opensearch store at an http(s) base URL; its credentials are a Vault secret reference; an index is a valid index name.',
  check({ env, file }) {
    const logs = field(env, 'logs');
    if (logs === undefined) return [];
    const at = (path: string, message: string, hint: string) => problem(ID, { file, path }, message, hint);
    const sink = field(logs, 'sink');
    if (!isRecord(sink)) {
      return [at('logs.sink', 'logs has no sink', "Say where logs go, e.g. logs: { sink: { kind: 'loki', address: 'https://loki.qa.internal:3100' } }, or remove logs.")];
    }
    const kind = sink.kind;
    if (!KINDS.includes(kind as (typeof KINDS)[number])) {
      return [at('logs.sink.kind', `Log sink kind ${show(kind)} is not one drover can ship to`, `Use one of ${KINDS.map((k) => `'${k}'`).join(', ')}.`)];
    }
    return [...addressProblems(sink, kind as string, at), ...authProblems(sink.auth, kind as string, at), ...indexProblems(sink.index, at)];
  },
};

type At = (path: string, message: string, hint: string) => Diagnostic;

function addressProblems(sink: Readonly<Record<string, unknown>>, kind: string, at: At): Diagnostic[] {
  const reason = addressProblem(sink.address);
  if (reason === 'contains credentials') {
    return [at('logs.sink.address', `The ${kind} address contains credentials`, 'Remove the user and password; put them in Vault and reference them with logs.sink.auth: { strategy: \'basic\', secret: { path } }.')];
  }
  if (reason) return [at('logs.sink.address', `The ${kind} address ${reason}`, `Write the base URL, e.g. "https://${kind}.example.internal:${kind === 'loki' ? 3100 : 9200}".`)];
  if (kind === 'loki' && /\/loki\/api\//.test(new URL(sink.address as string).pathname)) {
    return [at('logs.sink.address', 'The loki address includes the push path', 'Give Loki\'s base URL; Vector adds /loki/api/v1/push itself.')];
  }
  return [];
}

function authProblems(auth: unknown, kind: string, at: At): Diagnostic[] {
  if (auth === undefined) return [];
  const strategy = field(auth, 'strategy');
  const found: Diagnostic[] = [];
  if (!STRATEGIES.includes(strategy as (typeof STRATEGIES)[number])) {
    found.push(at('logs.sink.auth.strategy', `Auth strategy ${show(strategy)} is not basic or bearer`, "Use 'basic' (username and password in the secret) or 'bearer' (token; Loki only)."));
  } else if (strategy === 'bearer' && kind !== 'loki') {
    found.push(at('logs.sink.auth.strategy', `Vector's ${kind} sink has no bearer auth`, "Use strategy 'basic' with username and password keys in the secret."));
  }
  const secret = field(auth, 'secret');
  const path = field(secret, 'path');
  if (!isCleanPath(path)) {
    found.push(at('logs.sink.auth.secret.path', `Secret path ${show(path)} is not a relative Vault path`, 'Reference the KV v2 secret holding the credentials, e.g. secret: { path: "log-shipper/loki" }; never write the values here.'));
  } else if (path.split('/').includes('data')) {
    found.push(at('logs.sink.auth.secret.path', `Secret path "${path}" contains a "data" segment`, 'Drop "data/": drover adds the KV v2 API segment itself.'));
  }
  const mount = field(secret, 'mount');
  if (mount !== undefined && !isCleanPath(mount)) found.push(at('logs.sink.auth.secret.mount', `Secret mount ${show(mount)} is not a mount path`, 'Write the KV v2 mount without slashes around it, e.g. "secret".'));
  return found;
}

function indexProblems(index: unknown, at: At): Diagnostic[] {
  if (index === undefined) return [];
  // Vector expands strftime specifiers (%Y) before the store sees the name: only the rest must be lower case.
  const literal = typeof index === 'string' ? index.replace(/%[A-Za-z]/g, '') : '';
  const ok = typeof index === 'string' && index.length > 0 && literal === literal.toLowerCase() && !/^[-_+]/.test(index) && !INDEX_FORBIDDEN.test(index) && !index.includes('{');
  if (ok) return [];
  return [at('logs.sink.index', `Index ${show(index)} is not a name Elasticsearch and OpenSearch accept`, 'Use lower case without spaces or \\ / * ? " < > | , # : {, not starting with - _ +; strftime dates are fine, e.g. "nomad-logs-%Y.%m.%d".')];
}
