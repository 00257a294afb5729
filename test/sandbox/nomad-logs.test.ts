import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, aJob, allocs, seconds, startHarness } from './nomad-harness.ts';

let h: Harness;
afterEach(() => h.close());

/** Splits a body of back-to-back JSON frames (no separator, as Nomad writes them). */
function frames(text: string): any[] {
  return text.replace(/\}\{/g, '}\n{').split('\n').filter(Boolean).map((f) => JSON.parse(f));
}
const decoded = (list: readonly any[]) => list.filter((f) => f.Data).map((f) => Buffer.from(f.Data, 'base64').toString()).join('');

async function runningAlloc(options: { scenario?: Record<string, unknown> } = {}): Promise<string> {
  if (options.scenario) await h.scenario('web', options.scenario);
  await h.register(aJob({ count: 1 }));
  await h.advance(seconds(5));
  const [alloc] = await allocs(h, 'web');
  return alloc!.ID as string;
}

describe('/v1/client/fs/logs', () => {
  it('answers the scripted stdout as frames shaped like Nomad\'s, from the start or from the end', async () => {
    h = await startHarness();
    const id = await runningAlloc();
    const whole = await h.get(`/v1/client/fs/logs/${id}?task=web&type=stdout`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('application/json');
    const list = frames(whole.text);
    // Keys as a real 2.0.5 agent writes them (test/integration/logs-real.test.ts checks the real one).
    expect(Object.keys(list[0])).toEqual(['Data', 'File', 'Offset']);
    expect(list[0].File).toBe('alloc/logs/web.stdout.0');
    const text = decoded(list);
    expect(text).toBe('starting web (job web version 0, allocation web.web[0])\nready: serving requests\n');
    expect(list.at(-1).Offset).toBe(Buffer.byteLength(text));
    const tail = await h.get(`/v1/client/fs/logs/${id}?task=web&type=stdout&origin=end&offset=24`);
    expect(decoded(frames(tail.text))).toBe('ready: serving requests\n');
    const firstLine = Buffer.byteLength('starting web (job web version 0, allocation web.web[0])\n');
    const from = await h.get(`/v1/client/fs/logs/${id}?task=web&type=stdout&origin=start&offset=${firstLine}`);
    expect(decoded(frames(from.text))).toBe('ready: serving requests\n');
    const plain = await h.get(`/v1/client/fs/logs/${id}?task=web&type=stdout&plain=true`);
    expect(plain.text).toBe(text);
  });

  it('streams new writes and {} heartbeats with follow=true', async () => {
    h = await startHarness();
    const id = await runningAlloc();
    const response = await fetch(`${h.nomad}/v1/client/fs/logs/${id}?task=web&type=stdout&follow=true&origin=end&offset=0`);
    const reader = response.body!.getReader();
    let text = '';
    const read = async (until: (t: string) => boolean) => {
      while (!until(text)) text += Buffer.from((await reader.read()).value!).toString();
    };
    await h.advance(seconds(30));
    await read((t) => t.includes('"Data"'));
    expect(decoded(frames(text))).toBe('GET /health 200\n');
    await read((t) => t.includes('{}'));
    await reader.cancel();
  });

  it('answers like Nomad: 400 without a task or type, 404 for an unknown allocation or a task that never started', async () => {
    h = await startHarness();
    const id = await runningAlloc();
    expect(await h.get(`/v1/client/fs/logs/${id}?type=stdout`)).toMatchObject({ status: 400, text: 'must provide task name' });
    expect(await h.get(`/v1/client/fs/logs/${id}?task=web`)).toMatchObject({ status: 400, text: 'must provide log type (stdout/stderr)' });
    expect(await h.get(`/v1/client/fs/logs/${id}?task=web&type=stdout&origin=middle`)).toMatchObject({ status: 400, text: 'origin must be start or end' });
    expect(await h.get(`/v1/client/fs/logs/${id}?task=nope&type=stdout`)).toMatchObject({ status: 400, text: 'unknown task name "nope"' });
    const unknown = '00000000-0000-0000-0000-000000000000';
    expect(await h.get(`/v1/client/fs/logs/${unknown}?task=web&type=stdout`)).toMatchObject({ status: 404, text: `Unknown allocation "${unknown}"` });
    await h.close();
    h = await startHarness();
    await h.scenario('web', { kind: 'missing-binary' });
    await h.register(aJob({ count: 1 }));
    await h.advance(seconds(5));
    const [never] = await allocs(h, 'web');
    expect(await h.get(`/v1/client/fs/logs/${never!.ID}?task=web&type=stderr`)).toMatchObject({ status: 404, text: 'task "web" not started yet. No logs available' });
  });

  it('writes what a crashing task says on stderr', async () => {
    h = await startHarness();
    const id = await runningAlloc({ scenario: { kind: 'crash-loop', crashAfterMs: 1000, stderr: ['panic: boom'] } });
    await h.advance(seconds(2));
    const stderr = await h.get(`/v1/client/fs/logs/${id}?task=web&type=stderr`);
    expect(decoded(frames(stderr.text))).toBe('panic: boom\n');
  });

  it('refuses a token without read-logs (403) and accepts the management token', async () => {
    h = await startHarness({ nomad: { aclToken: 'management-token', tokenWithoutReadLogs: 'read-job-token' } });
    await h.call('POST', '/v1/jobs', { Job: aJob({ count: 1 }) }, { 'X-Nomad-Token': 'management-token' });
    await h.advance(seconds(5));
    const list = await h.call('GET', '/v1/job/web/allocations', undefined, { 'X-Nomad-Token': 'read-job-token' });
    expect(list.status).toBe(200);
    const path = `/v1/client/fs/logs/${list.json[0].ID}?task=web&type=stdout`;
    expect(await h.call('GET', path, undefined, { 'X-Nomad-Token': 'read-job-token' })).toMatchObject({ status: 403, text: 'Permission denied' });
    expect((await h.call('GET', path, undefined, { 'X-Nomad-Token': 'management-token' })).status).toBe(200);
  });
});
