import type { DeployEvent, Report } from '../events.ts';
import { formatEvent } from '../formatters.ts';
import type { Style } from '../style.ts';

/** One line per state change, for CI logs. Progress goes to stderr. */
export function plainReporter(write: (text: string) => void, style: Style): Report {
  return (event: DeployEvent) => {
    const line = formatEvent(event, style);
    if (line !== undefined) write(`${line}\n`);
  };
}
