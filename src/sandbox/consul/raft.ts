/**
 * The simulated Raft log: one monotonically increasing index shared by every table (KV, sessions,
 * catalog), as on a real server, and a change signal that re-runs blocked queries. Consul wakes a
 * blocked query when a memdb watch fires and then re-runs it, answering only if the query's index
 * moved past the client's; re-running every blocked query on every write gives the same observable
 * result for a sandbox-sized state.
 */

/** What a write touched; KV writes name their keys (see radix-watch.ts). */
export interface RaftChange {
  readonly kvKeys?: readonly string[];
}

/** The shared index and change signal. */
export interface Raft {
  /** The latest applied index. */
  current(): number;
  /** Allocates the index of the next write. */
  next(): number;
  /** Signals blocked readers that state changed (call once per write, after it is applied). */
  changed(change?: RaftChange): void;
  /** Listens for changes; returns an unsubscribe function. */
  subscribe(listener: (change: RaftChange) => void): () => void;
}

/**
 * Creates the log. A fresh dev agent has applied about a dozen entries by the time it answers
 * (autopilot, the leader's own registration), so the sandbox starts there too.
 */
export function createRaft(start = 10): Raft {
  let index = start;
  const listeners = new Set<(change: RaftChange) => void>();
  return {
    current: () => index,
    next: () => ++index,
    changed: (change = {}) => {
      // Copy first: listeners unsubscribe themselves while we iterate.
      for (const listener of [...listeners]) listener(change);
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Highest of several indexes, never below 1 (Consul never answers `X-Consul-Index: 0`). */
export function maxIndex(...indexes: readonly number[]): number {
  return Math.max(1, ...indexes);
}
