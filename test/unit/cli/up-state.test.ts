import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { splitOutput } from '../../../src/cli/up/sandbox-fallback.ts';
import { isSameCommandLine, newestFirst, parseUpState, pickDynamicPorts, processStatus, readUpState, readUpStates, STATE_FORMAT, upDir, upRoot, writeUpState, type UpProcess, type UpState } from '../../../src/cli/up/state.ts';
import { mountsUnder, stopUpProcess } from '../../../src/cli/up/stop.ts';
import { stopAll } from '../../../src/cli/up/teardown.ts';
import { DroverError } from '../../../src/errors.ts';

const nomad: UpProcess = { name: 'nomad', pid: 4242, binary: '/opt/bin/nomad', args: ['agent', '-config=/p/.drover/up/config/nomad.hcl'], log: '/p/.drover/up/logs/nomad.log' };
const state = (dir: string, processes: UpProcess[] = [nomad]): UpState => ({
  format: STATE_FORMAT, kind: 'real', env: 'dev', dir, processes, dataDirs: [join(dir, 'data')], tasksUnder: join(dir, 'data', 'nomad'), exports: 'export NOMAD_ADDR=http://127.0.0.1:4646\n',
});

describe('drover up state: which process is the one up started', () => {
  it('matches a command line only when binary and every argument are the recorded ones', () => {
    expect(isSameCommandLine('/opt/bin/nomad\0agent\0-config=/p/.drover/up/config/nomad.hcl\0', nomad)).toBe(true);
    // The same binary started by someone else with another config.
    expect(isSameCommandLine('/opt/bin/nomad\0agent\0-config=/tmp/other.hcl\0', nomad)).toBe(false);
    expect(isSameCommandLine('/opt/bin/nomad\0agent\0-config=/p/.drover/up/config/nomad.hcl\0-dev\0', nomad)).toBe(false);
    expect(isSameCommandLine('/usr/bin/sshd\0-D\0', nomad)).toBe(false);
    // A zombie's command line is empty.
    expect(isSameCommandLine('', nomad)).toBe(false);
  });

  it('parses what it writes, and rejects a file that is not its state with the command to run', () => {
    const text = JSON.stringify(state('/p/.drover/up'));
    expect(parseUpState(text, 'state.json')).toEqual(state('/p/.drover/up'));
    const bad = [
      '{',
      JSON.stringify({ ...state('/p'), format: 'drover.up/v0' }),
      JSON.stringify({ ...state('/p'), processes: [{ ...nomad, pid: -1 }] }),
      JSON.stringify({ ...state('/p'), processes: [{ ...nomad, args: 'agent' }] }),
      JSON.stringify({ ...state('/p'), kind: 'cloud' }),
    ];
    for (const text of bad) {
      const error = (() => {
        try {
          parseUpState(text, '/p/.drover/up/state.json');
        } catch (caught) {
          return caught;
        }
      })();
      expect(error, text).toBeInstanceOf(DroverError);
      expect((error as DroverError).message).toContain('/p/.drover/up/state.json');
      expect((error as DroverError).hint).toContain('delete /p/.drover/up/state.json');
    }
  });

  it('lists mount points under a folder, deepest first, decoding the table\'s octal escapes', () => {
    const table = [
      'tmpfs /p/.drover/up/data/nomad/alloc/a1/api/secrets tmpfs rw,noexec 0 0',
      'tmpfs /p/.drover/up/data/nomad/alloc/a1/api/private tmpfs rw 0 0',
      'tmpfs /p/.drover/up/data/nomad/alloc/a1/my\\040task/secrets tmpfs rw 0 0',
      'tmpfs /other/.drover/up/data/nomad/alloc/b/x/secrets tmpfs rw 0 0',
      'proc /proc proc rw 0 0',
      'tmpfs /p/.drover/up/data/nomad tmpfs rw 0 0',
      '',
    ].join('\n');
    expect(mountsUnder(table, '/p/.drover/up/data/nomad')).toEqual([
      '/p/.drover/up/data/nomad/alloc/a1/my task/secrets',
      '/p/.drover/up/data/nomad/alloc/a1/api/secrets',
      '/p/.drover/up/data/nomad/alloc/a1/api/private',
    ]);
  });

  it('splits the sandbox\'s log into its banner and its export lines', () => {
    const log = 'drover sandbox — a SIMULATOR\n  nomad http://127.0.0.1:4646\nExport the variables below\nexport NOMAD_ADDR=http://127.0.0.1:4646\nexport VAULT_TOKEN=s.abc\nunset DROVER_PROMETHEUS_ADDR\n';
    expect(splitOutput(log)).toEqual({
      banner: 'drover sandbox — a SIMULATOR\n  nomad http://127.0.0.1:4646\nExport the variables below\n',
      exports: 'export NOMAD_ADDR=http://127.0.0.1:4646\nexport VAULT_TOKEN=s.abc\nunset DROVER_PROMETHEUS_ADDR\n',
    });
  });
});

describe('drover up state: real processes', () => {
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const sleeper = async (seconds: string): Promise<{ child: ChildProcess; record: UpProcess }> => {
    const child = spawn('sleep', [seconds], { stdio: 'ignore' });
    children.push(child);
    await new Promise((resolve) => child.once('spawn', resolve));
    return { child, record: { name: 'sleep', pid: child.pid as number, binary: 'sleep', args: [seconds], log: '/dev/null' } };
  };

  it.skipIf(process.platform !== 'linux')('tells a running process from one whose pid runs something else, and from one that is gone', async () => {
    const { child, record } = await sleeper('30');
    expect(processStatus(record)).toBe('running');
    expect(processStatus({ ...record, args: ['31'] })).toBe('other');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(processStatus(record)).toBe('gone');
  });

  it.skipIf(process.platform !== 'linux')('stops a recorded process with SIGTERM, and leaves a pid alone whose command line differs', async () => {
    const { child, record } = await sleeper('30');
    expect(await stopUpProcess({ ...record, args: ['29'] }, 1000)).toBe('other');
    expect(child.exitCode === null && child.signalCode === null).toBe(true);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    expect(await stopUpProcess(record, 5000)).toBe('stopped');
    expect(await exited).toBe('SIGTERM');
    expect(await stopUpProcess(record, 1000)).toBe('gone');
  });

  it.skipIf(process.platform !== 'linux')('tears down in reverse start order, removes the data and the state file, keeps the logs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-up-state-'));
    dirs.push(dir);
    const first = await sleeper('30');
    const second = await sleeper('31');
    const recorded = { ...state(dir, [{ ...first.record, name: 'consul' }, { ...second.record, name: 'nomad' }]), dataDirs: [join(dir, 'data')] };
    writeUpState(recorded);
    expect(statSync(join(dir, 'state.json')).mode & 0o777).toBe(0o600);
    expect(readUpState(dir)).toEqual(recorded);
    const order: string[] = [];
    const teardown = await stopAll(recorded, (p) => order.push(`${p.name}:${p.outcome}`));
    expect(order).toEqual(['nomad:stopped', 'consul:stopped']);
    expect(teardown.leftover).toEqual([]);
    expect(readUpState(dir)).toBeUndefined();
    expect(() => readFileSync(join(dir, 'state.json'))).toThrow();
  });
});

describe('drover up state: one local cluster per environment', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('gives each local cluster the first slice of 2000 dynamic ports no running one uses', () => {
    expect(pickDynamicPorts([])).toEqual({ min: 20000, max: 21999 });
    expect(pickDynamicPorts([{ min: 20000, max: 21999 }])).toEqual({ min: 22000, max: 23999 });
    // A freed slice is taken again before the later ones.
    expect(pickDynamicPorts([{ min: 22000, max: 23999 }])).toEqual({ min: 20000, max: 21999 });
    // A range that overlaps a slice at all takes it.
    expect(pickDynamicPorts([{ min: 21999, max: 22000 }])).toEqual({ min: 24000, max: 25999 });
    const all = [0, 1, 2, 3, 4, 5].map((i) => ({ min: 20000 + i * 2000, max: 21999 + i * 2000 }));
    expect(pickDynamicPorts(all)).toBeUndefined();
    // A cluster recorded with Nomad's whole range (20000-32000) leaves no slice, nor does one recorded before ranges were.
    expect(pickDynamicPorts([{ min: 20000, max: 32000 }])).toBeUndefined();
    expect(pickDynamicPorts([undefined])).toBeUndefined();
  });

  it('reads every environment\'s state under .drover/up/<env>/, and a state of the one-cluster layout', () => {
    const root = mkdtempSync(join(tmpdir(), 'drover-up-states-'));
    dirs.push(root);
    expect(readUpStates(root)).toEqual([]);
    const qa = { ...state(upDir(root, 'qa')), env: 'qa', dynamicPorts: { min: 20000, max: 21999 } };
    const prod = { ...state(upDir(root, 'prod')), env: 'prod', dynamicPorts: { min: 22000, max: 23999 } };
    writeUpState(qa);
    writeUpState(prod);
    expect(readUpStates(root).map((s) => s.env)).toEqual(['prod', 'qa']);
    expect(readUpStates(root).find((s) => s.env === 'qa')).toEqual(qa);
    const legacy = state(upRoot(root));
    writeUpState(legacy);
    expect(readUpStates(root).map((s) => [s.env, s.dir])).toEqual([['dev', upRoot(root)], ['prod', upDir(root, 'prod')], ['qa', upDir(root, 'qa')]]);
  });

  it('orders local clusters newest first for down, those without a start time last', () => {
    const at = (env: string, startedAt?: string): UpState => ({ ...state(`/p/.drover/up/${env}`), env, ...(startedAt ? { startedAt } : {}) });
    // readUpStates gives them by name: prod before qa although qa started first.
    const ordered = newestFirst([at('legacy'), at('prod', '2026-12-06T03:40:00.000Z'), at('qa', '2026-12-06T03:38:00.000Z')]);
    expect(ordered.map((s) => s.env)).toEqual(['prod', 'qa', 'legacy']);
    expect(newestFirst([at('qa', '2026-12-06T03:38:00.000Z'), at('prod', '2026-12-06T03:40:00.000Z')]).map((s) => s.env)).toEqual(['prod', 'qa']);
  });

  it('refuses a recorded dynamic port range that is not one', () => {
    const text = JSON.stringify({ ...state('/p/.drover/up/qa'), dynamicPorts: { min: 30000, max: 20000 } });
    expect(() => parseUpState(text, 'state.json')).toThrow(DroverError);
  });
});
