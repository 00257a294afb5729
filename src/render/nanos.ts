import { toNanoseconds } from '../model/duration.ts';

/**
 * Nomad JSON durations are integer nanoseconds (a string such as "30s" is a 400 from the API).
 * Validation has already rejected malformed durations, so a failure here is a drover bug.
 */
export function nanos(duration: string): number {
  const value = toNanoseconds(duration);
  if (value === undefined) throw new Error(`internal: unvalidated duration ${JSON.stringify(duration)} reached the renderer`);
  return value;
}

/** `nanos()` for optional fields: undefined stays undefined. */
export function optionalNanos(duration: string | undefined): number | undefined {
  return duration === undefined ? undefined : nanos(duration);
}
