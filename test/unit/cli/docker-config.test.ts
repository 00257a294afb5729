import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsFor, dockerConfigPath, readDockerConfig } from '../../../src/cli/docker-config.ts';
import { DroverError } from '../../../src/errors.ts';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe("Docker's config.json", () => {
  it('finds inline auths by host, by URL, and Docker Hub under its legacy key', () => {
    const config = { auths: { 'ghcr.io': { auth: b64('bot:tok:en') }, 'https://registry.internal:5000': { username: 'ci', password: 'pw' }, 'https://index.docker.io/v1/': { auth: b64('hub:hpw') } } };
    expect(credentialsFor(config, 'ghcr.io')).toEqual({ username: 'bot', password: 'tok:en' });
    expect(credentialsFor(config, 'registry.internal:5000')).toEqual({ username: 'ci', password: 'pw' });
    expect(credentialsFor(config, 'docker.io')).toEqual({ username: 'hub', password: 'hpw' });
    expect(credentialsFor(config, 'quay.io')).toBeUndefined();
  });

  it('ignores what it cannot use: helpers, empty or malformed entries', () => {
    expect(credentialsFor({ credsStore: 'desktop', auths: { 'ghcr.io': {} } }, 'ghcr.io')).toBeUndefined();
    expect(credentialsFor({ auths: { 'ghcr.io': { auth: b64('no-colon') } } }, 'ghcr.io')).toBeUndefined();
    expect(credentialsFor(undefined, 'ghcr.io')).toBeUndefined();
    expect(credentialsFor({ auths: null }, 'ghcr.io')).toBeUndefined();
  });

  it('lives in $DOCKER_CONFIG, else ~/.docker', () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: '/etc/dc', HOME: '/root' })).toBe('/etc/dc/config.json');
    expect(dockerConfigPath({ HOME: '/home/me' })).toBe('/home/me/.docker/config.json');
    expect(dockerConfigPath({})).toBeUndefined();
  });

  it('reads none when the file is missing, and refuses one that is not JSON without quoting it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drover-docker-config-'));
    try {
      expect(readDockerConfig({ DOCKER_CONFIG: dir })).toBeUndefined();
      await writeFile(join(dir, 'config.json'), '{"auths": {"ghcr.io": {"auth": "c2VjcmV0LXNlbnRpbmVs"');
      const error = (() => {
        try {
          return readDockerConfig({ DOCKER_CONFIG: dir }, ['ghcr.io']);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(DroverError);
      expect(JSON.stringify({ m: (error as DroverError).message, h: (error as DroverError).hint })).not.toContain('c2VjcmV0');
      // Its hint is a command to run, for the registries the deploy was about to ask.
      expect((error as DroverError).hint).toContain('`docker login ghcr.io`');
      expect(() => readDockerConfig({ DOCKER_CONFIG: dir }, ['ghcr.io', 'registry.internal:5000'])).toThrow(
        expect.objectContaining({ hint: expect.stringContaining('`docker login ghcr.io` and `docker login registry.internal:5000`') }),
      );
      await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { 'ghcr.io': { auth: b64('a:b') } } }));
      expect(credentialsFor(readDockerConfig({ DOCKER_CONFIG: dir }), 'ghcr.io')).toEqual({ username: 'a', password: 'b' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
