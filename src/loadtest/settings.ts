/**
 * What one `drover loadtest` run may do, decided before any request is sent: the target URL, the
 * rate, and the hard bounds on time and request count that no flag can lift. Pure: flag values
 * in, settings (or every problem at once) out.
 */
import { toNanoseconds } from '../model/duration.ts';

/** Hard bounds of one run. A flag asking for more is refused, never silently clipped. */
export const LOADTEST_LIMITS = {
  /** Longest run: 10 minutes. */
  maxDurationSeconds: 600,
  /** Most requests one run sends, whatever the rate and duration. */
  maxRequests: 1_000_000,
  /** Highest `--rps` (20 000/s is well beyond one Fabio instance on a small host). */
  maxRps: 20_000,
  maxConnections: 1_000,
} as const;

/** Defaults when a flag is absent. */
export const LOADTEST_DEFAULTS = { route: '/', rps: 100, durationSeconds: 10 } as const;

/** Flag values as the command line gives them (all strings, all optional). */
export interface LoadtestFlags {
  readonly route?: string | undefined;
  readonly rps?: string | undefined;
  readonly duration?: string | undefined;
  readonly connections?: string | undefined;
  readonly requests?: string | undefined;
  readonly host?: string | undefined;
  readonly splitHeader?: string | undefined;
  readonly allowRemote?: boolean | undefined;
}

/** A run's settings, every bound applied. */
export interface LoadtestSettings {
  /** Fabio's base URL plus the route, e.g. `http://127.0.0.1:9999/api/products`. */
  readonly url: string;
  readonly route: string;
  /** `Host` header for host-based routes; absent = the target's own host. */
  readonly host?: string;
  /** Requests per second across all connections; `undefined` = as fast as the connections allow (`--rps max`). */
  readonly rps: number | undefined;
  readonly durationSeconds: number;
  readonly connections: number;
  /** The run stops after this many requests even if time is left. */
  readonly maxRequests: number;
  /** Response header whose values split the counts (e.g. an instance or version header). */
  readonly splitHeader?: string;
  /** The target is not on this machine (needed `--allow-remote`). */
  readonly remote: boolean;
}

/** The outcome of {@link resolveLoadtestSettings}: settings, or every problem found. */
export type SettingsResult = { readonly ok: true; readonly settings: LoadtestSettings } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Resolves the flags against Fabio's base URL. Problems are collected, not thrown one by one, so
 * a user fixes every flag in one go.
 */
export function resolveLoadtestSettings(fabioAddress: string, flags: LoadtestFlags): SettingsResult {
  const problems: string[] = [];
  const route = flags.route ?? LOADTEST_DEFAULTS.route;
  if (!route.startsWith('/')) problems.push(`--route ${route} must start with "/" (a path on Fabio, e.g. /api/products)`);
  const base = parseBase(fabioAddress, problems);
  const rps = parseRps(flags.rps, problems);
  const durationSeconds = parseDuration(flags.duration, problems);
  const connections = parseCount('--connections', flags.connections, LOADTEST_LIMITS.maxConnections, problems) ?? defaultConnections(rps);
  const requestCap = parseCount('--requests', flags.requests, LOADTEST_LIMITS.maxRequests, problems) ?? LOADTEST_LIMITS.maxRequests;
  if (rps !== undefined && connections > rps) problems.push(`--connections ${connections} exceeds --rps ${rps}: each connection sends at least one request a second`);
  // autocannon shares the cap between connections; a connection with a share of 0 would be unbounded.
  if (connections > requestCap) problems.push(`--connections ${connections} exceeds --requests ${requestCap}: each connection sends at least one request`);
  const remote = base !== undefined && !isLoopbackHost(base.hostname);
  if (remote && !flags.allowRemote) {
    problems.push(`${base.origin} is not on this machine; load on a shared environment needs --allow-remote (and the owners' consent)`);
  }
  if (problems.length > 0 || base === undefined) return { ok: false, problems };
  const settings: LoadtestSettings = {
    url: new URL(route, base).href,
    route,
    ...(flags.host ? { host: flags.host } : {}),
    rps,
    durationSeconds,
    connections,
    maxRequests: requestCap,
    ...(flags.splitHeader ? { splitHeader: flags.splitHeader.toLowerCase() } : {}),
    remote,
  };
  return { ok: true, settings };
}

/** 127.0.0.0/8, ::1 and `localhost`: the addresses that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Enough connections for the rate at ~20 requests a second each (a 50 ms round trip), between 10
 * and 100: autocannon spreads `--rps` over the connections, and too few cap the rate.
 */
export function defaultConnections(rps: number | undefined): number {
  if (rps === undefined) return 50;
  return Math.min(100, Math.max(10, Math.ceil(rps / 20)), rps);
}

function parseBase(address: string, problems: string[]): URL | undefined {
  try {
    const url = new URL(address);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
    problems.push(`Fabio address ${address} is not http(s)`);
  } catch {
    problems.push(`Fabio address "${address}" is not a URL (expected e.g. http://127.0.0.1:9999)`);
  }
  return undefined;
}

function parseRps(raw: string | undefined, problems: string[]): number | undefined {
  if (raw === undefined) return LOADTEST_DEFAULTS.rps;
  if (raw === 'max') return undefined;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= 1 && value <= LOADTEST_LIMITS.maxRps) return value;
  problems.push(`--rps ${raw} must be a whole number from 1 to ${LOADTEST_LIMITS.maxRps}, or "max"`);
  return LOADTEST_DEFAULTS.rps;
}

function parseDuration(raw: string | undefined, problems: string[]): number {
  if (raw === undefined) return LOADTEST_DEFAULTS.durationSeconds;
  const nanos = toNanoseconds(raw);
  const seconds = nanos === undefined ? Number.NaN : nanos / 1e9;
  if (seconds >= 1 && seconds <= LOADTEST_LIMITS.maxDurationSeconds) return seconds;
  problems.push(`--duration ${raw} must be a duration from 1s to ${LOADTEST_LIMITS.maxDurationSeconds / 60}m (e.g. 30s, 2m)`);
  return LOADTEST_DEFAULTS.durationSeconds;
}

function parseCount(flag: string, raw: string | undefined, max: number, problems: string[]): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= 1 && value <= max) return value;
  problems.push(`${flag} ${raw} must be a whole number from 1 to ${max}`);
  return undefined;
}
