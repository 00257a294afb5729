import { parseRouteConfig, type RouteWeight } from '../../src/canary/route-grammar.ts';
import { nextBlockingIndex, type ConsulClient } from '../../src/clients/consul/index.ts';

/** What a watcher of `fabio/config` saw. */
export interface FabioConfigSeen {
  /** Every `route weight` value, in order, consecutive repeats dropped. */
  readonly weights: number[];
  /** Lines that did not parse under Fabio's route grammar. */
  readonly errors: string[];
  /** The concatenated config at the end (`''` once every key is gone). */
  readonly last: string;
}

/**
 * Watches `fabio/config` as Fabio does: blocking recursive reads, keys concatenated in key order,
 * every line checked against the route grammar. `onWeight` hears each new weight as it appears.
 */
export function watchFabioConfig(consul: ConsulClient, onWeight?: (weight: number) => void): { stop(): Promise<FabioConfigSeen> } {
  const controller = new AbortController();
  const weights: number[] = [];
  const errors: string[] = [];
  let last = '';
  const loop = (async () => {
    let index = 0;
    while (!controller.signal.aborted) {
      const answer = await consul.kv.list('fabio/config', { index, wait: '5s', signal: controller.signal }).catch(() => undefined);
      if (!answer) return;
      last = [...answer.value].sort((a, b) => a.key.localeCompare(b.key)).map((e) => `# --- ${e.key}\n${e.value.trim()}`).join('\n\n');
      const parsed = parseRouteConfig(last);
      errors.push(...parsed.errors);
      for (const c of parsed.commands) {
        if (c.cmd !== 'route weight' || c.weight === weights.at(-1)) continue;
        const { weight } = c as RouteWeight;
        weights.push(weight);
        onWeight?.(weight);
      }
      index = nextBlockingIndex(index, answer.index);
    }
  })();
  return {
    stop: async () => {
      // Let the watcher see the final delete before stopping it.
      await new Promise((resolve) => setTimeout(resolve, 200));
      controller.abort();
      await loop;
      return { weights, errors, last };
    },
  };
}
