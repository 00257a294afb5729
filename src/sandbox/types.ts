import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Contracts between the sandbox's parts. The sandbox is a simulator of the subset of the Nomad,
 * Consul and Vault HTTP APIs drover uses, for tests and demos — never a scheduler.
 */

/** Time as the sandbox sees it. Tests speed it up; every timer in the sandbox goes through it. */
export interface SandboxClock {
  /** Current sandbox time in milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` after `ms` of sandbox time; returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
  /** Resolves after `ms` of sandbox time, or rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Sandbox milliseconds per real millisecond (1 = real time). */
  readonly speed: number;
}

/** One of the three simulated services; each gets its own listener on 127.0.0.1. */
export interface SandboxService {
  readonly name: 'nomad' | 'consul' | 'vault';
  /**
   * Answers one request. `body` is the raw request body (already read). Must write a complete
   * response (or keep a stream open for Nomad's event stream) and never throw for bad input:
   * bad input gets the real service's error status and body.
   */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void | Promise<void>;
  /** Stops timers and closes open streams. */
  close(): void;
}

/** What the sandbox server gives each service factory. */
export interface SandboxServiceContext {
  readonly clock: SandboxClock;
  /** The dev root token Vault accepts (printed as VAULT_TOKEN); other services ignore it. */
  readonly rootToken: string;
}

/** Builds one simulated service around the shared clock (the Consul and Vault modules export these). */
export type SandboxServiceFactory<S extends SandboxService = SandboxService> = (ctx: SandboxServiceContext) => S;

