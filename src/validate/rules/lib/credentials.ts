/**
 * Heuristics for credentials written where only references belong. Every function answers with a
 * description of the *kind* of credential, never with the value, so callers cannot leak it into a
 * message by accident.
 */

/** Value shapes that are credentials whatever the variable is called. */
const SHAPES: readonly { readonly kind: string; readonly pattern: RegExp }[] = [
  { kind: 'an AWS access key ID', pattern: /(?:^|[^A-Z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?:$|[^A-Z0-9])/ },
  { kind: 'a PEM private key', pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/ },
  { kind: 'a GitHub token', pattern: /(?:^|[^A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{22,})/ },
  { kind: 'a Vault token', pattern: /(?:^|[^A-Za-z0-9.-])(?:hv[sbr]|s|b)\.[A-Za-z0-9_-]{24,}/ },
  { kind: 'a JSON Web Token', pattern: /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\./ },
  { kind: 'a Slack token', pattern: /(?:^|[^A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10,}/ },
];

/**
 * `scheme://user:password@` with a literal password. `user@` alone is fine, and so is a password
 * filled in at run time (`{{ .Data.data.password }}`, `${NOMAD_…}`): that is a reference.
 */
const URL_PASSWORD = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/:@]*:([^\s/@]+)@/g;

function hasLiteralUrlPassword(value: string): boolean {
  return [...value.matchAll(URL_PASSWORD)].some(([, password = '']) => !password.includes('{{') && !password.includes('${'));
}

/** What `value` looks like when it has the shape of a credential, else undefined. */
export function credentialShape(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length < 8) return undefined;
  if (hasLiteralUrlPassword(value)) return 'a URL with an embedded password';
  return SHAPES.find(({ pattern }) => pattern.test(value))?.kind;
}

/** Suffixes that name where or how a secret is, not the secret itself (`PASSWORD_FILE=/secrets/db`). */
const REFERENCE_SUFFIX = /_(?:FILE|PATH|DIR|NAME|HEADER|URL|ENDPOINT|TTL)$/;

/**
 * True when the name says its value is a credential: a word ending in PASSWORD/PASSWD/SECRET/TOKEN
 * (`PGPASSWORD`, `GITHUB_TOKEN`, `client_secret`) or API_KEY/PRIVATE_KEY. Compared word by word
 * so that `MAX_TOKENS` is not a token. Case- and camelCase-insensitive.
 */
export function isSecretName(name: string): boolean {
  const normal = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  if (REFERENCE_SUFFIX.test(normal)) return false;
  const words = normal.split(/[^A-Z0-9]+/).filter(Boolean);
  return words.some(
    (word, i) =>
      /(?:PASSWORD|PASSWD|SECRET|TOKEN)$/.test(word) ||
      /^(?:SECRET|APIKEY|PRIVATEKEY)/.test(word) ||
      ((word === 'API' || word === 'PRIVATE') && words[i + 1] === 'KEY'),
  );
}

/**
 * Secret-looking variables of the drover process (NOMAD_TOKEN, VAULT_TOKEN, CONSUL_HTTP_TOKEN,
 * *_PASSWORD, *_SECRET*) with values long enough that an equal value elsewhere is no coincidence.
 */
export function secretProcessValues(processEnv: Readonly<Record<string, string | undefined>> | undefined): Map<string, string> {
  const found = new Map<string, string>();
  if (typeof processEnv !== 'object' || processEnv === null) return found;
  for (const [name, value] of Object.entries(processEnv)) {
    if (typeof value === 'string' && value.trim().length >= 8 && isSecretName(name)) found.set(value, name);
  }
  return found;
}
