import { problem, type Rule } from '../rule.ts';
import { field, isRecord, show } from './lib/index.ts';
import { jobsOf } from './lib/visit.ts';

const ID = 'periodic/time-zone';

let zones: Set<string> | undefined;
/** Zones this Node lists (ICU's canonical names; `UTC` is not listed by V8, so added). */
function knownZones(): Set<string> {
  zones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  return zones;
}

/** The name ICU resolves `zone` to, or undefined when it is not a zone at all. */
function resolveZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * Nomad loads the zone with Go's time.LoadLocation on its servers, which is case-sensitive,
 * while ICU matches case-insensitively and lists older names for some zones (it knows
 * `Asia/Kolkata` but lists `Asia/Calcutta`). So: a listed name, or a name ICU resolves that is
 * written the IANA way (every segment capitalised). `Local` would mean each server's own zone.
 */
export function isTimeZone(zone: unknown): boolean {
  if (typeof zone !== 'string' || zone === 'Local') return false;
  if (knownZones().has(zone)) return true;
  return resolveZone(zone) !== undefined && zone.split('/').every((segment) => /^[A-Z]/.test(segment));
}

/** Rule `periodic/time-zone`: periodic time zones are IANA time zone names such as "Europe/Berlin" or "UTC". */
export const periodicTimeZoneRule: Rule = {
  id: ID,
  description: 'Periodic time zones are IANA time zone names such as "Europe/Berlin" or "UTC".',
  check({ jobs }) {
    return jobsOf(jobs).flatMap(({ file, job }) => {
      const periodic = field(job, 'periodic');
      const zone = isRecord(periodic) ? periodic.timeZone : undefined;
      if (zone === undefined || isTimeZone(zone)) return [];
      const resolved = typeof zone === 'string' && zone !== 'Local' ? resolveZone(zone) : undefined;
      const hint = resolved ? `Write it with IANA capitalisation, e.g. "${resolved}" (Nomad's lookup is case-sensitive).` : 'Use an IANA name such as "UTC", "Europe/Berlin" or "America/New_York".';
      return [problem(ID, { file, path: 'periodic.timeZone' }, `Time zone ${show(zone)} is not an IANA time zone name`, hint)];
    });
  },
};
