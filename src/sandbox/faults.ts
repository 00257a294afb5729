import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendText } from './http.ts';
import { createRandom, type SandboxRandom } from './random.ts';

/** Which service a fault applies to. */
export type FaultService = 'nomad' | 'consul' | 'vault';

/** Selects requests: every given field must match. */
export interface FaultMatcher {
  /** @default every service */
  readonly service?: FaultService;
  /** HTTP method, e.g. `GET`. @default any */
  readonly method?: string;
  /** Path prefix, e.g. `/v1/job/`. @default every path */
  readonly path?: string;
  /** Regular expression (source text) the path must match. */
  readonly pathPattern?: string;
  /** Apply to at most this many matching requests, then retire. @default unlimited */
  readonly times?: number;
}

/** What happens to a matching request. */
export type FaultEffect =
  /** Answers with an error status instead of the real handler, with probability `rate`. */
  | { readonly kind: 'error'; readonly rate?: number; readonly status?: number; readonly message?: string }
  /** Delays the request by real milliseconds (client timeouts run on real time). */
  | { readonly kind: 'latency'; readonly ms: number }
  /** Destroys the socket mid-request without an answer, with probability `rate`. */
  | { readonly kind: 'drop'; readonly rate?: number }
  /** Cuts matching event streams after `afterFrames` data frames (0 = right after the first heartbeat). */
  | { readonly kind: 'stream-disconnect'; readonly afterFrames?: number }
  /** No leader: Nomad/Consul answer `500 No cluster leader`, `GET /v1/status/leader` returns `""`. */
  | { readonly kind: 'leader-loss' };

/** A fault as injected: matcher plus effect. */
export type FaultRule = FaultMatcher & FaultEffect;

/** An injected fault with its ID and how often it fired. */
export type ActiveFault = FaultRule & { readonly id: string; readonly hits: number };

interface Entry {
  readonly id: string;
  readonly rule: FaultRule;
  readonly pattern?: RegExp;
  hits: number;
}

/** Errors Vault sends when it has no active node; Nomad and Consul use the same text. */
const NO_LEADER = 'No cluster leader';
const VAULT_NO_LEADER = 'local node not active but active cluster node not found';

/**
 * Fault injection for every listener. Random decisions come from a seeded generator so a failing
 * test replays identically.
 */
export class FaultInjector {
  private entries: Entry[] = [];
  private nextId = 1;
  private random: SandboxRandom;

  constructor(private readonly seed: number) {
    this.random = createRandom(seed ^ 0x5eed);
  }

  /** Adds a fault; returns its ID. */
  add(rule: FaultRule): string {
    const id = `fault-${this.nextId++}`;
    this.entries.push({ id, rule, hits: 0, ...(rule.pathPattern ? { pattern: new RegExp(rule.pathPattern) } : {}) });
    return id;
  }

  /** Removes one fault (by ID) or all of them; also re-seeds so a reset replays identically. */
  clear(id?: string): void {
    this.entries = id ? this.entries.filter((e) => e.id !== id) : [];
    if (!id) this.random = createRandom(this.seed ^ 0x5eed);
  }

  /** The active faults. */
  list(): ActiveFault[] {
    return this.entries.map((e) => ({ ...e.rule, id: e.id, hits: e.hits }));
  }

  /** True while a leader-loss fault covers `service` and `path`. */
  leaderLost(service: FaultService, path: string, method = 'GET'): boolean {
    return this.entries.some((e) => e.rule.kind === 'leader-loss' && this.matches(e, service, method, path));
  }

  /** How many data frames a new event stream on `path` may carry, or undefined for no limit. */
  streamFrameLimit(service: FaultService, path: string): number | undefined {
    const entry = this.entries.find((e) => e.rule.kind === 'stream-disconnect' && this.matches(e, service, 'GET', path));
    if (!entry || entry.rule.kind !== 'stream-disconnect') return undefined;
    this.hit(entry);
    return entry.rule.afterFrames ?? 0;
  }

  /**
   * Applies request-level faults. Returns true when the fault answered (or dropped) the request,
   * so the real handler must not run.
   */
  async apply(service: FaultService, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const method = req.method ?? 'GET';
    const matching = this.entries.filter((e) => this.matches(e, service, method, url.pathname));
    for (const entry of matching) {
      const { rule } = entry;
      if (rule.kind !== 'latency') continue;
      this.hit(entry);
      await new Promise((resolve) => setTimeout(resolve, rule.ms));
    }
    for (const entry of matching) {
      if (entry.rule.kind === 'leader-loss') return this.hit(entry), answerNoLeader(service, res, url), true;
      if (entry.rule.kind === 'drop' && this.roll(entry.rule.rate)) return this.hit(entry), req.socket.destroy(), true;
      if (entry.rule.kind === 'error' && this.roll(entry.rule.rate)) {
        this.hit(entry);
        answerError(service, res, entry.rule.status ?? 500, entry.rule.message ?? 'sandbox: injected fault');
        return true;
      }
    }
    return false;
  }

  private matches(entry: Entry, service: FaultService, method: string, path: string): boolean {
    const { rule } = entry;
    if (rule.times !== undefined && entry.hits >= rule.times) return false;
    if (rule.service && rule.service !== service) return false;
    if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
    if (rule.path && !path.startsWith(rule.path)) return false;
    return !entry.pattern || entry.pattern.test(path);
  }

  private hit(entry: Entry): void {
    entry.hits++;
  }

  private roll(rate = 1): boolean {
    return this.random.next() < rate;
  }
}

function answerError(service: FaultService, res: ServerResponse, status: number, message: string): void {
  // Vault wraps errors in JSON; Nomad and Consul write plain text.
  if (service === 'vault') sendJson(res, status, { errors: [message] });
  else sendText(res, status, message);
}

function answerNoLeader(service: FaultService, res: ServerResponse, url: URL): void {
  if (service !== 'vault' && url.pathname === '/v1/status/leader') return sendJson(res, 200, '');
  if (service === 'vault') return sendJson(res, 500, { errors: [VAULT_NO_LEADER] });
  const headers: Record<string, string> = service === 'nomad' ? { 'X-Nomad-KnownLeader': 'false' } : { 'X-Consul-KnownLeader': 'false' };
  sendText(res, 500, NO_LEADER, headers);
}
