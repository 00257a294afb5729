import { describe, expect, it } from 'vitest';
import { configKeyRule } from '../../../src/validate/rules/config-key.ts';
import { secretKeyRule } from '../../../src/validate/rules/secret-key.ts';
import { secretPathRule } from '../../../src/validate/rules/secret-path.ts';
import { envDuplicateRule } from '../../../src/validate/rules/task-env-duplicate.ts';
import { envNameRule } from '../../../src/validate/rules/task-env-name.ts';
import { templateDestinationRule } from '../../../src/validate/rules/template-destination.ts';
import { aGroup, aServiceJob, aTask, error, run, where } from './builders.ts';

const withTask = (task: Record<string, unknown>) => aServiceJob({ groups: [aGroup({ tasks: [aTask(task)] })] });
const t = (path: string) => `groups[0].tasks[0].${path}`;
const secret = (extra: Record<string, unknown>) => ({ env: 'DB_PASSWORD', path: 'shop/db', key: 'password', ...extra });

describe('task/env-name', () => {
  it('reports invalid names in env, secrets and config', () => {
    const job = withTask({ env: { OK_1: 'x', '1BAD': 'x', 'WITH-DASH': 'x' }, secrets: [secret({ env: 'db.password' })], config: [{ env: '', key: 'a/b' }] });
    expect(where(run(envNameRule, job))).toEqual(
      [t('env.1BAD'), t('env.WITH-DASH'), t('secrets[0].env'), t('config[0].env')].map((path) => error('task/env-name', path)),
    );
  });
});

describe('task/duplicate-env', () => {
  it('reports a variable declared twice across env, secrets and config', () => {
    const job = withTask({ env: { LOG_LEVEL: 'info' }, secrets: [secret({}), secret({ key: 'other' })], config: [{ env: 'LOG_LEVEL', key: 'a/b' }] });
    expect(where(run(envDuplicateRule, job))).toEqual([error('task/duplicate-env', t('secrets[1].env')), error('task/duplicate-env', t('config[0].env'))]);
  });
});

describe('secret/key', () => {
  it('requires identifiers, since the template reads .Data.data.<key>', () => {
    const job = withTask({ secrets: [secret({}), secret({ env: 'A', key: 'api-key' }), secret({ env: 'B', key: '' }), secret({ env: 'C', key: undefined })] });
    expect(where(run(secretKeyRule, job))).toEqual([error('secret/key', t('secrets[1].key')), error('secret/key', t('secrets[2].key')), error('secret/key', t('secrets[3].key'))]);
  });
});

describe('secret/path', () => {
  it('rejects leading "/", data/ segments, empty paths and bad mounts', () => {
    const job = withTask({ secrets: [secret({}), secret({ path: '/shop/db' }), secret({ path: 'data/shop/db' }), secret({ path: 'shop//db' }), secret({ mount: '/kv/' })] });
    expect(where(run(secretPathRule, job))).toEqual([
      error('secret/path', t('secrets[1].path')),
      error('secret/path', t('secrets[2].path')),
      error('secret/path', t('secrets[3].path')),
      error('secret/path', t('secrets[4].mount')),
    ]);
  });
});

describe('config/key', () => {
  it('rejects keys with a leading "/" and empty keys', () => {
    const job = withTask({ config: [{ env: 'A', key: 'shop/a' }, { env: 'B', key: '/shop/b' }, { env: 'C', key: '' }] });
    expect(where(run(configKeyRule, job))).toEqual([error('config/key', t('config[1].key')), error('config/key', t('config[2].key'))]);
  });
});

describe('template/destination', () => {
  it('requires relative files inside local/, secrets/ or alloc/, not drover\'s own env files', () => {
    const destinations = ['local/app.conf', 'secrets/tls.pem', 'alloc/shared.txt', '/etc/app.conf', 'local/../../etc/passwd', 'app.conf', 'local/', 'secrets/vault.env'];
    const job = withTask({ templates: destinations.map((destination) => ({ destination, data: 'x' })) });
    expect(where(run(templateDestinationRule, job)).map((d) => d.path)).toEqual([3, 4, 5, 6, 7].map((i) => t(`templates[${i}].destination`)));
  });
});
