import { describe, expect, it } from 'vitest';
import { boundLine, createLineSplitter, lastLines } from '../../../src/logs/lines.ts';
import { LogsOutput } from '../../../src/logs/output.ts';
import { colourPrefix, prefixColour, prefixText, PREFIX_COLOURS, sourceLabel } from '../../../src/logs/prefix.ts';
import { recordSource } from '../../../src/logs/records.ts';
import { allocIndex, ranSince, selectLogSources } from '../../../src/logs/select.ts';
import { formatEvent } from '../../../src/report/formatters.ts';
import { createStyle } from '../../../src/report/style.ts';
import type { NomadAllocListStub, NomadTaskState } from '../../../src/wire/nomad-api.ts';

const NOW = Date.parse('2026-12-05T12:00:00Z');

function task(state: Partial<NomadTaskState> = {}): NomadTaskState {
  return { State: 'running', Failed: false, Restarts: 0, LastRestart: null, StartedAt: '2026-12-05T11:00:00Z', FinishedAt: null, Events: [], ...state };
}

function anAlloc(name: string, fields: Partial<NomadAllocListStub> = {}): NomadAllocListStub {
  return {
    ID: `${name.replace(/\W/g, '')}-0000-0000-0000-000000000000`, EvalID: '', Name: name, Namespace: 'shop', NodeID: '', NodeName: '', JobID: 'api', JobType: 'service',
    JobVersion: 14, TaskGroup: name.split('.')[1]!.replace(/\[.*/, ''), DesiredStatus: 'run', DesiredDescription: '', ClientStatus: 'running', ClientDescription: '',
    TaskStates: { api: task() }, DeploymentStatus: null, FollowupEvalID: '', NextAllocation: '', RescheduleTracker: null, CreateIndex: 1, ModifyIndex: 1, CreateTime: '0', ModifyTime: '0',
    ...fields,
  };
}

describe('selectLogSources', () => {
  const allocs = [
    anAlloc('api.api[2]', { DeploymentStatus: { Healthy: true, Timestamp: null, Canary: true, ModifyIndex: 1 }, JobVersion: 15 }),
    anAlloc('api.api[0]'),
    anAlloc('api.api[1]', { DesiredStatus: 'stop', ClientStatus: 'complete', JobVersion: 13, TaskStates: { api: task({ State: 'dead', FinishedAt: '2026-12-05T11:55:00Z' }) } }),
    anAlloc('api.admin[0]', { TaskStates: { admin: task(), proxy: task({ StartedAt: null, State: 'pending' }) } }),
  ];

  it('keeps the allocations Nomad wants running, sorted by group and index, one source per task', () => {
    const sources = selectLogSources(allocs, {}, NOW);
    expect(sources.map((s) => `${s.group}[${s.index}]/${s.task} v${s.version}${s.canary ? ' canary' : ''}`)).toEqual(['admin[0]/admin v14', 'admin[0]/proxy v14', 'api[0]/api v14', 'api[2]/api v15 canary']);
    expect(sources.find((s) => s.task === 'proxy')).toMatchObject({ started: false, showTask: true });
    expect(sources.find((s) => s.task === 'admin')?.showTask).toBe(false); // named after its group
    expect(sources.find((s) => s.task === 'api')?.showTask).toBe(false);
  });

  it('applies every filter; --version and --since include stopped allocations', () => {
    expect(selectLogSources(allocs, { canary: true }, NOW).map((s) => s.allocName)).toEqual(['api.api[2]']);
    expect(selectLogSources(allocs, { group: 'admin', task: 'proxy' }, NOW).map((s) => [s.task, s.showTask])).toEqual([['proxy', false]]);
    expect(selectLogSources(allocs, { version: 13 }, NOW).map((s) => s.allocName)).toEqual(['api.api[1]']);
    expect(selectLogSources(allocs, { alloc: 'apiapi0' }, NOW).map((s) => s.allocName)).toEqual(['api.api[0]']);
    // 10 minutes: the one that stopped 5 minutes ago ran in the window; the pending task did not run.
    const since = selectLogSources(allocs, { sinceMs: 10 * 60_000 }, NOW).map((s) => `${s.allocName}/${s.task}`);
    expect(since).toContain('api.api[1]/api');
    expect(since).not.toContain('api.admin[0]/proxy');
    expect(selectLogSources(allocs, { sinceMs: 60_000 }, NOW).map((s) => s.allocName)).not.toContain('api.api[1]');
  });

  it('marks tasks that started within --since: all their lines are newer than the window', () => {
    const fresh = anAlloc('api.api[3]', { TaskStates: { api: task({ StartedAt: '2026-12-05T11:58:00Z' }) } });
    const [old, recent] = selectLogSources([allocs[1]!, fresh], { sinceMs: 5 * 60_000 }, NOW);
    expect([old?.startedInWindow, recent?.startedInWindow]).toEqual([false, true]);
  });

  it('reads the index from the allocation name and tells when a task ran', () => {
    expect(allocIndex('api.api[12]')).toBe(12);
    expect(allocIndex('odd')).toBe(-1);
    expect(ranSince(task({ StartedAt: null }), 0)).toBe(false);
    expect(ranSince(task({ State: 'dead', FinishedAt: '2026-12-05T11:00:00Z' }), NOW - 1)).toBe(false);
  });
});

describe('lines', () => {
  it('gives out a line only once its newline arrived, across frames and split characters', () => {
    const splitter = createLineSplitter();
    const bytes = Buffer.from('größe 1\r\nzwei');
    expect(splitter.push(bytes.subarray(0, 3))).toEqual([]);
    expect(splitter.push(bytes.subarray(3))).toEqual(['größe 1']);
    expect(splitter.push(Buffer.from('\n'))).toEqual(['zwei']);
    expect(splitter.push(Buffer.from('rest'))).toEqual([]);
    expect(splitter.flush()).toEqual(['rest']);
  });

  it('takes the last lines of a tail and where the complete lines end', () => {
    const data = Buffer.from('a\nb\nc\npart');
    expect(lastLines(data, 2)).toEqual({ lines: ['b', 'c'], completeBytes: 6, complete: 3 });
    expect(lastLines(data, 0).lines).toEqual([]);
    expect(lastLines(data, 9, { includePartial: true }).lines).toEqual(['a', 'b', 'c', 'part']);
  });

  it('redacts known secrets and token headers, and bounds a line when asked', () => {
    expect(boundLine('token s3cr3t-value and X-Nomad-Token: abcdef', ['s3cr3t-value'])).toBe('token [redacted] and X-Nomad-Token: [redacted]');
    expect(boundLine('x'.repeat(12), [], 10)).toBe(`${'x'.repeat(10)}… (2 more chars)`);
  });
});

describe('prefixes', () => {
  const source = { group: 'api', index: 2, task: 'api', version: 14, canary: true, showTask: false };

  it('names group, index, version and canary, the task when several are shown, and stderr next to stdout', () => {
    expect(prefixText(sourceLabel(source), 'stdout', 'stdout')).toBe('api[2] v14 canary |');
    expect(prefixText(sourceLabel({ ...source, task: 'proxy', showTask: true, canary: false }), 'stderr', 'both')).toBe('api[2]/proxy v14 stderr |');
    expect(prefixText(sourceLabel(source), 'stderr', 'stderr')).toBe('api[2] v14 canary |');
  });

  it('gives an allocation the same colour every time, never red, and none without colour', () => {
    const id = '3b1e7c2a-0000-0000-0000-000000000000';
    expect(prefixColour(id)).toBe(prefixColour(id));
    expect(PREFIX_COLOURS).not.toContain(31);
    const colours = new Set(Array.from({ length: 40 }, (_, i) => prefixColour(`${i}-alloc`)));
    expect(colours.size).toBeGreaterThan(5);
    expect(colourPrefix('api[2] v14 |', id, true)).toBe(`\u001b[${prefixColour(id)}mapi[2] v14 |\u001b[39m`);
    expect(colourPrefix('api[2] v14 |', id, false)).toBe('api[2] v14 |');
  });
});

describe('interleaving two allocations', () => {
  it('prints whole lines in the order they completed, each with its own prefix; notes go to stderr', () => {
    const out: string[] = [];
    const err: string[] = [];
    const output = new LogsOutput({ stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } }, { ndjson: false, colour: false, streams: 'stdout', style: createStyle(false) });
    const sources = selectLogSources([anAlloc('api.api[0]'), anAlloc('api.api[1]')], {}, NOW);
    const [a, b] = sources.map((s) => ({ source: s, splitter: createLineSplitter() }));
    // Frames arrive alternately and split lines in the middle.
    const frames: [typeof a, string][] = [[a, 'one from '], [b, 'one from b\ntwo'], [a, 'a\n'], [b, ' from b\n']];
    for (const [who, text] of frames) for (const line of who!.splitter.push(Buffer.from(text))) output.write({ ...recordSource(who!.source), type: 'log-line', stream: 'stdout', line });
    output.write({ ...recordSource(a!.source), type: 'log-stopped', clientStatus: 'failed', reason: 'Terminated: Exit Code: 1' });
    expect(out.join('')).toBe('api[1] v14 | one from b\napi[0] v14 | one from a\napi[1] v14 | two from b\n');
    expect(err.join('')).toBe('api[0] v14: api.api[0] (apiapi0-) stopped: failed — Terminated: Exit Code: 1\n');
  });

  it('writes every record as one JSON line with its schema under --output ndjson', () => {
    const out: string[] = [];
    const output = new LogsOutput({ stdout: { write: (t: string) => out.push(t) }, stderr: { write: () => undefined } }, { ndjson: true, colour: true, streams: 'both', style: createStyle(false) });
    const [source] = selectLogSources([anAlloc('api.api[0]')], {}, NOW);
    output.write({ ...recordSource(source!), type: 'log-line', stream: 'stderr', line: 'boom' });
    expect(JSON.parse(out[0]!)).toEqual({ schema: 'drover.logs/v1', type: 'log-line', label: 'api[0] v14', alloc: source!.allocId, allocName: 'api.api[0]', group: 'api', index: 0, task: 'api', version: 14, canary: false, stream: 'stderr', line: 'boom' });
  });
});

describe('the allocation-logs line of a failed deploy', () => {
  const base = { type: 'allocation-logs', job: 'api', allocId: '3b1e7c2a-0000', allocName: 'api.api[0]', task: 'api', stream: 'stderr' } as const;

  it('lists the lines under a head naming allocation and task', () => {
    expect(formatEvent({ ...base, lines: ['loading config', 'fatal: boom'] }, createStyle(false))).toBe('[api] stderr of api.api[0] (3b1e7c2a) task api, last 2 lines:\n    | loading config\n    | fatal: boom');
  });

  it('says why there are none', () => {
    expect(formatEvent({ ...base, lines: [], note: 'no logs: task "api" not started yet' }, createStyle(false))).toBe('[api] stderr of api.api[0] (3b1e7c2a) task api: no logs: task "api" not started yet');
  });
});
