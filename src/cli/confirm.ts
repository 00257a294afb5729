import { UsageError } from '../errors.ts';
import type { CliIo } from './io.ts';

/**
 * An environment's `promotion.confirm`: `--yes` answers it; on a terminal drover asks; anywhere
 * else (CI, pipes) a missing `--yes` is a usage error, so an unattended run never deploys to an
 * environment that wants a human to say so.
 */
/** Fails at once when confirmation is needed but cannot be given: no `--yes` and no terminal. */
export function assertCanConfirm(io: CliIo, yes: boolean, env: string): void {
  if (yes || io.prompt) return;
  throw new UsageError(`Deploying to ${env} needs confirmation, and this is not a terminal`, { hint: 'Pass --yes to confirm (the environment sets promotion.confirm).' });
}

export async function confirmed(io: CliIo, yes: boolean, question: string): Promise<boolean> {
  if (yes) return true;
  if (!io.prompt) {
    throw new UsageError(`${question.replace(/\?$/, '')} needs confirmation, and this is not a terminal`, {
      hint: 'Pass --yes to confirm (the environment sets promotion.confirm).',
    });
  }
  const answer = await io.prompt(`${question} [y/N] `);
  return /^\s*y(es)?\s*$/i.test(answer);
}
