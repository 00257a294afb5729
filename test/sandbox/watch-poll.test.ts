/**
 * drover's poll-mode watcher against the sandbox, which answers X-Nomad-Index 0 for tables never
 * written, as a fresh Nomad 2.0.5 does (pinned in nomad-real-behaviour.test.ts). Before the index
 * was floored at 1, the deployments loop re-asked without blocking: thousands of requests a second.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createNomadClient, type NomadClient } from '../../src/clients/nomad/index.ts';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.ts';
import { startFactFeed } from '../../src/watch/feed.ts';

let sandbox: RunningSandbox;
let nomad: NomadClient;
beforeAll(async () => {
  sandbox = await startSandbox();
  nomad = createNomadClient({ address: sandbox.addresses.nomad });
});
afterAll(async () => {
  nomad?.close();
  await sandbox?.close();
});

it('blocks on every table of a job nobody has deployed, instead of spinning on index 0', async () => {
  const controller = new AbortController();
  const feed = startFactFeed(nomad, { signal: controller.signal, report: () => undefined, mode: 'poll' });
  const facts: unknown[] = [];
  feed.subscribe('nobody-deployed-this', (fact) => facts.push(fact));
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const asked = feed.requests();
  controller.abort();
  // Three tables: one non-blocking read each, one read at index 1 each, then they block.
  expect(asked).toBeGreaterThanOrEqual(3);
  expect(asked).toBeLessThanOrEqual(6);
  expect(facts).toEqual([]);
});
