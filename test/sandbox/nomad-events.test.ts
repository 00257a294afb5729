import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, aJob, deployment, seconds, startHarness } from './nomad-harness.ts';
import { eventsOf, openEventStream } from './nomad-stream.ts';

let h: Harness;
afterEach(() => h.close());

describe('event stream', () => {
  it('sends a {} heartbeat at once and every 30 s of sandbox time', async () => {
    h = await startHarness();
    const stream = await openEventStream(h.nomad);
    await stream.until((f) => f.length >= 1);
    expect(stream.frames[0]).toEqual({});
    await h.advance(seconds(30));
    await stream.until((f) => f.length >= 2);
    expect(stream.frames).toEqual([{}, {}]);
    stream.close();
  });

  it('names events after the raft operation that produced them', async () => {
    h = await startHarness();
    const stream = await openEventStream(h.nomad);
    await h.register(aJob({ count: 1 }));
    await h.advance(seconds(20));
    const d = await deployment(h, 'web');
    await stream.until((f) => eventsOf(f).some((e) => e.Topic === 'Deployment' && e.Payload.Deployment.Status === 'successful'));
    const seen = new Set(eventsOf(stream.frames).map((e) => `${e.Topic}/${e.Type}`));
    for (const pair of ['Job/JobRegistered', 'Evaluation/JobRegistered', 'Allocation/PlanResult', 'Deployment/PlanResult', 'Evaluation/EvaluationUpdated', 'Allocation/AllocationUpdated', 'Deployment/AllocationUpdated', 'Job/PlanResult']) {
      expect(seen).toContain(pair);
    }
    const alloc = eventsOf(stream.frames).find((e) => e.Topic === 'Allocation');
    expect(alloc.FilterKeys).toEqual(['web', d.ID]);
    expect(alloc.Payload.Allocation).not.toHaveProperty('Job');
    expect(alloc.Namespace).toBe('default');
    const frame = stream.frames.find((f) => f.Events);
    expect(frame.Events.every((e: any) => e.Index === frame.Index)).toBe(true);
    stream.close();
  });

  it('filters by topic and key, matching Key or FilterKeys', async () => {
    h = await startHarness();
    const jobOnly = await openEventStream(h.nomad, '?topic=Job:web');
    const deployments = await openEventStream(h.nomad, '?topic=Deployment');
    const byJob = await openEventStream(h.nomad, '?topic=Allocation:api');
    await h.register(aJob({ id: 'web', count: 1 }));
    await h.register(aJob({ id: 'api', count: 1 }));
    await h.advance(seconds(1));
    await byJob.until((f) => eventsOf(f).length >= 1);
    await deployments.until((f) => eventsOf(f).length >= 2);
    expect(eventsOf(jobOnly.frames).every((e) => e.Topic === 'Job' && e.Key === 'web')).toBe(true);
    expect(eventsOf(deployments.frames).every((e) => e.Topic === 'Deployment')).toBe(true);
    expect(eventsOf(byJob.frames).every((e) => e.Topic === 'Allocation' && e.FilterKeys[0] === 'api')).toBe(true);
    for (const s of [jobOnly, deployments, byJob]) s.close();
    expect((await h.get('/v1/event/stream?topic=Job:a:b')).status).toBe(400);
  });

  it('delivers a burst of 1,000 events without loss or reordering', async () => {
    h = await startHarness({ nomad: { eventBufferSize: 2000 } });
    const stream = await openEventStream(h.nomad, '?topic=Job');
    const ids = Array.from({ length: 1000 }, (_, i) => `job-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < ids.length; i += 100) await Promise.all(ids.slice(i, i + 100).map((id) => h.register(aJob({ id }))));
    await stream.until((f) => eventsOf(f).length >= 1000, 20_000);
    const events = eventsOf(stream.frames);
    expect(events).toHaveLength(1000);
    expect(new Set(events.map((e) => e.Key))).toEqual(new Set(ids));
    const indexes = events.map((e) => e.Index);
    expect(indexes.every((index, i) => i === 0 || index > indexes[i - 1])).toBe(true);
    stream.close();
  });

  it('resumes with ?index after an injected disconnect, missing nothing', async () => {
    h = await startHarness({ nomad: { eventBufferSize: 1000 } });
    const first = await openEventStream(h.nomad, '?topic=Job');
    for (const id of ['a', 'b', 'c']) await h.register(aJob({ id }));
    await first.until((f) => eventsOf(f).length === 3);
    const last = eventsOf(first.frames).at(-1).Index;
    await h.call('POST', '/_sandbox/event-stream/disconnect');
    await first.ended;
    for (const id of ['d', 'e']) await h.register(aJob({ id }));
    const resumed = await openEventStream(h.nomad, `?topic=Job&index=${last + 1}`);
    await resumed.until((f) => eventsOf(f).length >= 2);
    expect(eventsOf(resumed.frames).map((e) => e.Key)).toEqual(['d', 'e']);
    resumed.close();
  });

  it('cuts streams after N frames with a stream-disconnect fault', async () => {
    h = await startHarness();
    await h.fault({ kind: 'stream-disconnect', afterFrames: 2, path: '/v1/event/stream', times: 1 });
    const cut = await openEventStream(h.nomad, '?topic=Job');
    for (const id of ['a', 'b', 'c']) await h.register(aJob({ id }));
    await cut.ended;
    expect(eventsOf(cut.frames).map((e) => e.Key)).toEqual(['a', 'b']);
    const whole = await openEventStream(h.nomad, '?topic=Job&index=1');
    await whole.until((f) => eventsOf(f).length === 3);
    whole.close();
  });
});
