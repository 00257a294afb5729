import type { DeployEvent, Report } from '../events.ts';

/** One JSON object per event with a timestamp, for machines. Events never carry secrets. */
export function ndjsonReporter(write: (text: string) => void, now: () => Date = () => new Date()): Report {
  return (event: DeployEvent) => write(`${JSON.stringify({ time: now().toISOString(), ...event })}\n`);
}
