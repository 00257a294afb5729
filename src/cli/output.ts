/**
 * Where a command's words go. Machine output (`--output ndjson` events, `--output json`
 * documents) owns stdout alone, so `drover … | jq` never meets a table; everything written for
 * people (tables, "→ next step" lines, notes) then goes to stderr instead.
 */
import type { CliIo } from './io.ts';

/** The modes whose stdout is read by a program. */
export function isMachineOutput(output: string | undefined): boolean {
  return output === 'ndjson' || output === 'json';
}

/** The stream for text meant for people: stdout normally, stderr when stdout carries machine output. */
export function humanStream(io: CliIo, output: string | undefined): CliIo['stdout'] {
  return isMachineOutput(output) ? io.stderr : io.stdout;
}

/** `io` whose stdout is its stderr when stdout carries machine output (for commands run inside another, like the demo's render). */
export function humanIo(io: CliIo, output: string | undefined): CliIo {
  return isMachineOutput(output) ? { ...io, stdout: io.stderr } : io;
}
