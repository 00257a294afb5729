/**
 * KV v2 over HTTP: the `data` wrapper, versions, metadata, listing, subkeys, soft delete (404 with a
 * body), undelete/destroy, check-and-set and version pruning.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandboxClock, type ControlledClock } from '../../src/sandbox/clock.ts';
import { createVaultService, type VaultSandbox } from '../../src/sandbox/vault/index.ts';
import { call, serve, type Answer, type ServedService } from '../support/serve-sandbox-service.ts';

const ROOT = 'root-token';
const START = Date.UTC(2026, 0, 2, 3, 4, 5);
let clock: ControlledClock;
let vault: VaultSandbox;
let served: ServedService;

beforeEach(async () => {
  clock = createSandboxClock({ speed: 0, start: START });
  vault = createVaultService({ clock, rootToken: ROOT });
  served = await serve(vault);
});

afterEach(async () => {
  await served.close();
  clock.close();
});

const v = (method: string, path: string, body?: unknown): Promise<Answer> =>
  call(served.address, method, `/v1/${path}`, { headers: { 'X-Vault-Token': ROOT }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const dataOf = (answer: Answer): Record<string, any> => (answer.json as { data: Record<string, any> }).data;

describe('KV v2 data', () => {
  it('requires the {"data": {...}} wrapper on writes', async () => {
    expect(await v('POST', 'secret/data/shop/api/database', { password: 'x' })).toMatchObject({ status: 400, json: { errors: ['no data provided'] } });
  });

  it('writes versions and reads the latest or a given one, in the full envelope', async () => {
    const first = await v('POST', 'secret/data/shop/api/database', { data: { password: 'one' } });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      request_id: expect.any(String),
      lease_id: '',
      renewable: false,
      lease_duration: 0,
      data: { created_time: new Date(START).toISOString(), custom_metadata: null, deletion_time: '', destroyed: false, version: 1 },
      wrap_info: null,
      warnings: null,
      auth: null,
      mount_type: 'kv',
    });
    await clock.advance(1000);
    expect(dataOf(await v('PUT', 'secret/data/shop/api/database', { data: { password: 'two', nested: { a: 1 } } })).version).toBe(2);

    expect(dataOf(await v('GET', 'secret/data/shop/api/database'))).toEqual({
      data: { password: 'two', nested: { a: 1 } },
      metadata: { created_time: new Date(START + 1000).toISOString(), custom_metadata: null, deletion_time: '', destroyed: false, version: 2 },
    });
    expect(dataOf(await v('GET', 'secret/data/shop/api/database?version=1')).data).toEqual({ password: 'one' });
    expect(await v('GET', 'secret/data/shop/api/database?version=9')).toMatchObject({ status: 404, json: { errors: [] } });
    expect(await v('GET', 'secret/data/shop/api/nothing')).toMatchObject({ status: 404, json: { errors: [] } });
  });

  it('applies check-and-set', async () => {
    expect((await v('POST', 'secret/data/cas', { options: { cas: 0 }, data: { a: 1 } })).status).toBe(200);
    expect(await v('POST', 'secret/data/cas', { options: { cas: 0 }, data: { a: 2 } })).toMatchObject({
      status: 400,
      json: { errors: ['check-and-set parameter did not match the current version'] },
    });
    expect((await v('POST', 'secret/data/cas', { options: { cas: 1 }, data: { a: 2 } })).status).toBe(200);
  });

  it('answers a soft-deleted version with 404 and a body, and undeletes or destroys it', async () => {
    await v('POST', 'secret/data/app', { data: { v: 1 } });
    await v('POST', 'secret/data/app', { data: { v: 2 } });
    await clock.advance(500);
    expect((await v('DELETE', 'secret/data/app')).status).toBe(204);

    const deleted = await v('GET', 'secret/data/app');
    expect(deleted.status).toBe(404);
    expect(dataOf(deleted)).toEqual({ data: null, metadata: expect.objectContaining({ version: 2, deletion_time: new Date(START + 500).toISOString(), destroyed: false }) });
    expect(dataOf(await v('GET', 'secret/data/app?version=1')).data).toEqual({ v: 1 });

    expect((await v('POST', 'secret/undelete/app', { versions: [2] })).status).toBe(204);
    expect(dataOf(await v('GET', 'secret/data/app')).data).toEqual({ v: 2 });
    expect((await v('PUT', 'secret/destroy/app', { versions: [2] })).status).toBe(204);
    const destroyed = await v('GET', 'secret/data/app');
    expect(destroyed.status).toBe(404);
    expect(dataOf(destroyed).metadata).toMatchObject({ destroyed: true, deletion_time: '' });
    expect((await v('POST', 'secret/undelete/app', {})).json).toEqual({ errors: ['no version number provided'] });
  });

  it('answers a KV v1-style path with 404 and Vault’s warning', async () => {
    const answer = await v('GET', 'secret/shop/api/database');
    expect(answer.status).toBe(404);
    expect((answer.json as { warnings: string[] }).warnings[0]).toMatch(/^Invalid path for a versioned K\/V secrets engine/);
  });

  it('refuses writes to a path ending in a slash', async () => {
    expect(await v('POST', 'secret/data/folder/', { data: {} })).toMatchObject({ status: 400, json: { errors: ["cannot write to a path ending in '/'"] } });
  });
});

describe('KV v2 metadata, listing and subkeys', () => {
  beforeEach(() => {
    vault.seedSecret('secret', 'shop/api/database', { password: 'p', tls: { cert: 'c', key: 'k' }, empty: {} });
    vault.seedSecret('secret', 'shop/api/other', { a: 1 });
    vault.seedSecret('secret', 'shop/web', { b: 2 });
  });

  it('reads metadata with a versions map and Vault’s defaults', async () => {
    vault.seedSecret('secret', 'shop/api/database', { password: 'p2' });
    expect(dataOf(await v('GET', 'secret/metadata/shop/api/database'))).toEqual({
      cas_required: false,
      created_time: new Date(START).toISOString(),
      current_version: 2,
      custom_metadata: null,
      delete_version_after: '0s',
      max_versions: 0,
      oldest_version: 0,
      updated_time: new Date(START).toISOString(),
      versions: {
        '1': { created_time: new Date(START).toISOString(), deletion_time: '', destroyed: false },
        '2': { created_time: new Date(START).toISOString(), deletion_time: '', destroyed: false },
      },
    });
  });

  it('lists folders with a trailing slash via ?list=true, and 404s an empty listing', async () => {
    expect(dataOf(await v('GET', 'secret/metadata?list=true')).keys).toEqual(['shop/']);
    expect(dataOf(await v('GET', 'secret/metadata/shop?list=true')).keys).toEqual(['api/', 'web']);
    expect(dataOf(await v('GET', 'secret/metadata/shop/api/?list=true')).keys).toEqual(['database', 'other']);
    expect(await v('GET', 'secret/metadata/nothing?list=true')).toMatchObject({ status: 404, json: { errors: [] } });
  });

  it('answers subkeys with null leaves, limited by depth', async () => {
    expect(dataOf(await v('GET', 'secret/subkeys/shop/api/database')).subkeys).toEqual({ password: null, tls: { cert: null, key: null }, empty: null });
    expect(dataOf(await v('GET', 'secret/subkeys/shop/api/database?depth=1')).subkeys).toEqual({ password: null, tls: null, empty: null });
  });

  it('prunes versions beyond max_versions and reports oldest_version', async () => {
    expect((await v('POST', 'secret/metadata/shop/web', { max_versions: 2, custom_metadata: { owner: 'shop' } })).status).toBe(204);
    vault.seedSecret('secret', 'shop/web', { b: 3 });
    vault.seedSecret('secret', 'shop/web', { b: 4 });
    const meta = dataOf(await v('GET', 'secret/metadata/shop/web'));
    expect(meta).toMatchObject({ current_version: 3, oldest_version: 2, max_versions: 2, custom_metadata: { owner: 'shop' } });
    expect(Object.keys(meta.versions)).toEqual(['2', '3']);
    expect(dataOf(await v('GET', 'secret/data/shop/web')).metadata.custom_metadata).toEqual({ owner: 'shop' });
  });

  it('deletes all versions and the metadata', async () => {
    expect((await v('DELETE', 'secret/metadata/shop/web')).status).toBe(204);
    expect((await v('GET', 'secret/data/shop/web')).status).toBe(404);
    expect(dataOf(await v('GET', 'secret/metadata/shop?list=true')).keys).toEqual(['api/']);
  });
});
