import { describe, expect, it } from 'vitest';
import { credentialShape, isSecretName } from '../../../src/validate/rules/lib/credentials.ts';
import { secretPlainCredentialRule } from '../../../src/validate/rules/secret-plain-credential.ts';
import { secretProcessEnvRule } from '../../../src/validate/rules/secret-process-env.ts';
import { aGroup, aServiceJob, aTask, error, run, where } from './builders.ts';

const withEnv = (env: Record<string, string>, extra: Record<string, unknown> = {}) => aServiceJob({ groups: [aGroup({ tasks: [aTask({ env, ...extra })] })] });
const envPath = (name: string) => `groups[0].tasks[0].env.${name}`;

// Built at run time so that this file itself does not look like it holds credentials.
const AWS_KEY = ['AKIA', 'IOSFODNN7EXAMPLE'].join('');
const GITHUB = `ghp_${'a1B2'.repeat(9)}`;
const VAULT = `hvs.${'CAESIJ'.repeat(5)}`;
const JWT = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiJ4In0', 'c2ln'].join('.');
const PEM = ['-----BEGIN', 'RSA PRIVATE KEY-----\nMIIB...'].join(' ');

describe('credential heuristics', () => {
  it('recognises secret-looking names, word by word', () => {
    for (const name of ['DB_PASSWORD', 'PGPASSWORD', 'GITHUB_TOKEN', 'client_secret', 'apiKey', 'STRIPE_API_KEY', 'PRIVATE_KEY', 'SECRET_KEY_BASE']) expect(isSecretName(name), name).toBe(true);
    for (const name of ['MAX_TOKENS', 'DATABASE_HOST', 'PASSWORD_FILE', 'TOKEN_URL', 'KEYBOARD', 'SECRETS_DIR']) expect(isSecretName(name), name).toBe(false);
  });

  it('recognises credential shapes without matching ordinary values', () => {
    for (const value of [AWS_KEY, GITHUB, VAULT, `s.${'x'.repeat(24)}`, JWT, PEM, 'postgres://app:hunter22@db:5432/shop']) expect(credentialShape(value), value).toBeDefined();
    const notSecrets = [
      'postgres.service.consul',
      'https://user@example.com/',
      '/var/lib/app',
      'eyJ-not-a-jwt',
      'ghp_short',
      'postgres://{{.Data.data.user}}:{{.Data.data.password}}@db:5432/shop',
      'amqp://app:${RABBIT_PASSWORD}@rabbit:5672',
    ];
    for (const value of notSecrets) expect(credentialShape(value), value).toBeUndefined();
  });
});

describe('secret/plain-credential', () => {
  it('reports literal values of secret-named variables, without the value in the message', () => {
    const found = run(secretPlainCredentialRule, withEnv({ DB_PASSWORD: 'hunter2', LOG_LEVEL: 'info', API_TOKEN: '' }));
    expect(where(found)).toEqual([error('secret/plain-credential', envPath('DB_PASSWORD'))]);
    expect(found[0]?.message).not.toContain('hunter2');
    expect(found[0]?.hint).toContain('secrets');
  });

  it('reports values shaped like credentials whatever the name', () => {
    const found = run(secretPlainCredentialRule, withEnv({ A: AWS_KEY, B: GITHUB, C: VAULT, D: JWT, E: PEM, F: 'https://u:p4ssw0rd@example.com' }));
    expect(where(found).map((d) => d.path)).toEqual(['A', 'B', 'C', 'D', 'E', 'F'].map(envPath));
    for (const d of found) for (const secret of [AWS_KEY, GITHUB, VAULT, JWT, 'p4ssw0rd']) expect(d.message).not.toContain(secret);
  });

  it('also finds credential shapes in args, meta and templates', () => {
    const job = withEnv({}, { args: ['--token', GITHUB], templates: [{ destination: 'local/k.pem', data: PEM }] });
    expect(where(run(secretPlainCredentialRule, job)).map((d) => d.path)).toEqual(['groups[0].tasks[0].args[1]', 'groups[0].tasks[0].templates[0].data']);
  });
});

describe('secret/process-env', () => {
  const processEnv = { NOMAD_TOKEN: 'c2f1e3a4-0000-4b1f-9a37-1a2b3c4d5e6f', HOME: '/home/dev', DB_PASSWORD: 'short', CI_JOB_TOKEN: undefined };

  it('reports any value containing a secret-named process variable, naming the variable only', () => {
    const job = withEnv({ NOMAD: processEnv.NOMAD_TOKEN, HOME_DIR: '/home/dev' }, { args: [`--header=X-Nomad-Token: ${processEnv.NOMAD_TOKEN}`] });
    const found = run(secretProcessEnvRule, job, { processEnv });
    expect(where(found)).toEqual([error('secret/process-env', 'groups[0].tasks[0].env.NOMAD'), error('secret/process-env', 'groups[0].tasks[0].args[0]')]);
    for (const d of found) {
      expect(d.message).toContain('NOMAD_TOKEN');
      expect(`${d.message} ${d.hint}`).not.toContain(processEnv.NOMAD_TOKEN);
    }
  });

  it('ignores short values and runs without a process environment', () => {
    expect(run(secretProcessEnvRule, withEnv({ X: 'short' }), { processEnv })).toEqual([]);
    expect(run(secretProcessEnvRule, withEnv({ X: 'anything' }))).toEqual([]);
  });
});
