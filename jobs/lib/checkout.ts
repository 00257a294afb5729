import type { Constraint, ExecDriver } from '../../src/index.ts';

/**
 * How the example apps run on a dev agent: straight from a checkout of this repository, with
 * raw_exec. Not a job (drover loads only the files directly in jobs/).
 *
 * The checkout's path reaches the job as the agent's client meta `drover_checkout` (set with
 * `nomad agent -dev -meta drover_checkout=$PWD`, see README "Run the examples on a real dev
 * agent"), which Nomad interpolates when it starts the task. So the rendered job, its snapshots
 * and its hash are the same on every machine, and only the agent knows where its files are.
 */

/** Client meta key holding the absolute path of the checkout on the agent's host. */
export const CHECKOUT_META = 'drover_checkout';

/**
 * Places the group only on agents that name their checkout. Without it Nomad would start
 * `node` with a literal `${meta.drover_checkout}` path; with it, a forgotten `-meta` is a
 * placement failure that names the constraint.
 */
export const CHECKOUT_IS_SET: Constraint = { attribute: `\${meta.${CHECKOUT_META}}`, operator: 'is_set' };

/**
 * Runs `examples/apps/<app>/main.ts` with `node --import tsx` from the checkout: the working
 * directory is the checkout so that `tsx` resolves from its node_modules, and `node` comes from
 * the agent's PATH (raw_exec tasks inherit the agent's environment).
 */
export function fromCheckout(app: string, args: readonly string[] = []): ExecDriver {
  const checkout = `\${meta.${CHECKOUT_META}}`;
  return { driver: 'raw_exec', command: 'node', args: ['--import', 'tsx', `${checkout}/examples/apps/${app}/main.ts`, ...args], workDir: checkout };
}
