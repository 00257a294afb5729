/**
 * Go duration strings as HashiCorp agents parse them in query parameters (`wait=30s`), and the
 * caps they apply to blocking queries.
 * @see https://developer.hashicorp.com/nomad/api-docs#blocking-queries
 */

/** A Go duration string: `"30s"`, `"250ms"`, `"1m30s"`. */
export type GoDuration = `${number}${GoDurationUnit}` | `${number}${GoDurationUnit}${number}${GoDurationUnit}`;
type GoDurationUnit = 'ns' | 'us' | 'µs' | 'ms' | 's' | 'm' | 'h';

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a Go duration string, or `undefined` when Go's `time.ParseDuration` would reject it. */
export function parseGoDurationMs(text: string): number | undefined {
  if (text === '0') return 0;
  let total = 0;
  let consumed = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0);
    consumed += match[0].length;
  }
  return consumed > 0 && consumed === text.length ? total : undefined;
}

/** Formats milliseconds as a Go duration: whole minutes as `"5m"`, whole seconds as `"30s"`, anything else as `"1500ms"`. */
export function formatGoDuration(ms: number): GoDuration {
  const whole = Math.max(0, Math.round(ms));
  if (whole % 60_000 === 0 && whole > 0) return `${whole / 60_000}m`;
  if (whole % 1000 === 0) return `${whole / 1000}s`;
  return `${whole}ms`;
}

/**
 * The `wait` to send for a blocking query and how long the server may hold it. Servers silently
 * clamp longer waits (Nomad to 5 minutes although its docs say 10), so the client clamps too and
 * sizes its timeout from the clamped value; an unparsable `wait` falls back to the default.
 */
export function blockingWait(wait: string | undefined, maxMs: number, defaultMs: number): { readonly wait: GoDuration; readonly holdMs: number } {
  const parsed = wait === undefined ? undefined : parseGoDurationMs(wait);
  const ms = Math.min(parsed === undefined || parsed <= 0 ? defaultMs : parsed, maxMs);
  // Agents add up to wait/16 of jitter so that many watchers do not wake up together.
  return { wait: formatGoDuration(ms), holdMs: Math.ceil(ms + ms / 16) };
}
