import { describe, expect, it } from 'vitest';
import { taskDriverRule } from '../../../src/validate/rules/task-driver.ts';
import { taskImageRule } from '../../../src/validate/rules/task-image.ts';
import { memoryMaxRule } from '../../../src/validate/rules/memory-max.ts';
import { taskLifecycleRule } from '../../../src/validate/rules/task-lifecycle.ts';
import { taskMainRule } from '../../../src/validate/rules/task-main.ts';
import { taskNameRule } from '../../../src/validate/rules/task-name.ts';
import { taskResourcesRule } from '../../../src/validate/rules/task-resources.ts';
import { volumeMountRule } from '../../../src/validate/rules/volume-mount.ts';
import { volumeUnusedRule } from '../../../src/validate/rules/volume-unused.ts';
import { aGroup, aServiceJob, aTask, error, run, warn, where } from './builders.ts';

const withTasks = (tasks: unknown[], group: Record<string, unknown> = {}) => aServiceJob({ groups: [aGroup({ tasks, ...group })] });
const task = (i: number, key?: string) => `groups[0].tasks[${i}]${key ? `.${key}` : ''}`;

describe('task/name', () => {
  it('reports duplicates, invalid names and clashes with generated await- tasks', () => {
    const job = withTasks([aTask(), aTask(), aTask({ name: 'my task' }), aTask({ name: 'await-postgres' })], { waitFor: [{ service: 'postgres' }] });
    expect(where(run(taskNameRule, job))).toEqual([error('task/name', task(1, 'name')), error('task/name', task(2, 'name')), error('task/name', task(3, 'name'))]);
  });
});

describe('task/main', () => {
  it('requires a task without lifecycle', () => {
    expect(where(run(taskMainRule, withTasks([aTask({ lifecycle: { hook: 'prestart', sidecar: true } })])))).toEqual([error('task/main', 'groups[0].tasks')]);
    expect(where(run(taskMainRule, withTasks([])))).toEqual([error('task/main', 'groups[0].tasks')]);
    expect(run(taskMainRule, withTasks([aTask({ lifecycle: { hook: 'prestart' } }), aTask({ name: 'main' })]))).toEqual([]);
  });
});

describe('task/resources', () => {
  it('requires integer cpu >= 1 and memoryMb >= 10', () => {
    const job = withTasks([aTask({ resources: { cpu: 0, memoryMb: 5 } }), aTask({ name: 'b', resources: { cpu: 1.5, memoryMb: 10 } }), aTask({ name: 'c', resources: undefined })]);
    expect(where(run(taskResourcesRule, job))).toEqual([
      error('task/resources', task(0, 'resources.cpu')),
      error('task/resources', task(0, 'resources.memoryMb')),
      error('task/resources', task(1, 'resources.cpu')),
      error('task/resources', task(2, 'resources')),
    ]);
  });
});

describe('task/memory-max', () => {
  it('reports memoryMaxMb below memoryMb and ignores malformed resources', () => {
    const job = withTasks([aTask({ resources: { cpu: 1, memoryMb: 128, memoryMaxMb: 64 } }), aTask({ name: 'b', resources: 'lots' }), aTask({ name: 'c', resources: { cpu: 1, memoryMb: 128, memoryMaxMb: 128 } })]);
    expect(where(run(memoryMaxRule, job))).toEqual([error('task/memory-max', task(0, 'resources.memoryMaxMb'))]);
  });
});

describe('task/image', () => {
  it('accepts tags, digests and registries with ports', () => {
    const images = ['ghcr.io/a/b:1.2.3', 'registry:5000/a/b:1', `b@sha256:${'a'.repeat(64)}`, `b:1@sha256:${'0'.repeat(64)}`];
    expect(run(taskImageRule, withTasks(images.map((image, i) => aTask({ name: `t${i}`, image }))))).toEqual([]);
  });

  it('errors without tag or digest, warns on latest, errors on empty or spaced references', () => {
    const images = ['ghcr.io/a/b', 'registry:5000/a/b', 'b:latest', '', 'b :1', 'b@sha256:abc'];
    expect(where(run(taskImageRule, withTasks(images.map((image, i) => aTask({ name: `t${i}`, image })))))).toEqual([
      error('task/image', task(0, 'image')),
      error('task/image', task(1, 'image')),
      warn('task/image', task(2, 'image')),
      error('task/image', task(3, 'image')),
      error('task/image', task(4, 'image')),
      error('task/image', task(5, 'image')),
    ]);
  });

  it('ignores non-docker tasks', () => {
    expect(run(taskImageRule, withTasks([{ name: 'x', driver: 'exec', command: 'run', resources: { cpu: 1, memoryMb: 10 } }]))).toEqual([]);
  });
});

describe('task/driver', () => {
  it('requires a command for exec, a jar for java, and a known driver', () => {
    const tasks = [aTask({ driver: 'exec', command: '' }), aTask({ name: 'j', driver: 'java' }), aTask({ name: 'p', driver: 'podman' }), aTask({ name: 'r', driver: 'raw_exec', command: 'x' })];
    expect(where(run(taskDriverRule, withTasks(tasks)))).toEqual([error('task/driver', task(0, 'command')), error('task/driver', task(1, 'jarPath')), error('task/driver', task(2, 'driver'))]);
  });

  it('accepts a raw_exec task without an image, with an absolute or interpolated workDir', () => {
    const tasks = [
      { name: 'a', driver: 'raw_exec', command: 'node', args: ['main.ts'], resources: { cpu: 1, memoryMb: 10 } },
      { name: 'b', driver: 'raw_exec', command: 'node', workDir: '/srv/app', resources: { cpu: 1, memoryMb: 10 } },
      { name: 'c', driver: 'exec', command: 'node', workDir: '${meta.checkout}', resources: { cpu: 1, memoryMb: 10 } },
    ];
    expect(run(taskDriverRule, withTasks(tasks))).toEqual([]);
    expect(run(taskImageRule, withTasks(tasks))).toEqual([]);
  });

  it('reports a relative or non-string workDir, which Nomad would only reject on the client', () => {
    const tasks = [aTask({ driver: 'raw_exec', command: 'node', workDir: 'apps/api' }), aTask({ name: 'b', driver: 'exec', command: 'node', workDir: 3 })];
    expect(where(run(taskDriverRule, withTasks(tasks)))).toEqual([error('task/driver', task(0, 'workDir')), error('task/driver', task(1, 'workDir'))]);
  });
});

describe('task/lifecycle', () => {
  it('allows sidecars only for prestart and poststart, and known hooks', () => {
    const tasks = [aTask({ lifecycle: { hook: 'poststop', sidecar: true } }), aTask({ lifecycle: { hook: 'prestart', sidecar: true } }), aTask({ lifecycle: { hook: 'init' } }), aTask({ lifecycle: true })];
    expect(where(run(taskLifecycleRule, withTasks(tasks)))).toEqual([error('task/lifecycle', task(0, 'lifecycle.sidecar')), error('task/lifecycle', task(2, 'lifecycle.hook')), error('task/lifecycle', task(3, 'lifecycle'))]);
  });
});

describe('volumes', () => {
  const volumes = { data: { type: 'host', source: 'data' }, cache: { type: 'host', source: 'cache' } };

  it('volume/unknown-mount: mounts name a group volume and have a destination', () => {
    const job = withTasks([aTask({ volumeMounts: [{ volume: 'data', destination: '/data' }, { volume: 'logs', destination: '/logs' }, { volume: 'cache' }] })], { volumes });
    expect(where(run(volumeMountRule, job))).toEqual([error('volume/unknown-mount', task(0, 'volumeMounts[1].volume')), error('volume/unknown-mount', task(0, 'volumeMounts[2].destination'))]);
  });

  it('volume/unused: warns about volumes no task mounts', () => {
    const job = withTasks([aTask({ volumeMounts: [{ volume: 'data', destination: '/data' }] })], { volumes });
    expect(where(run(volumeUnusedRule, job))).toEqual([warn('volume/unused', 'groups[0].volumes.cache')]);
  });
});
