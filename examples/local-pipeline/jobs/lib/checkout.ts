import type { Constraint, ExecDriver } from '../../../../src/index.ts';

/**
 * How the example apps run on drover up's local clusters: straight from this repository's
 * checkout, with raw_exec. Not a job (drover loads only the files directly in jobs/).
 *
 * drover up sets the Nomad client's meta `drover_checkout` to the project root, this folder
 * (examples/local-pipeline); Nomad interpolates it when it starts the task. The apps live two
 * levels up, in examples/apps/, and the repository root holds the node_modules tsx resolves from.
 */

/** Client meta key holding the absolute path of the project on the agent's host. */
export const CHECKOUT_META = 'drover_checkout';

/**
 * Places the group only on agents that name their checkout: without it Nomad would start `node`
 * with a literal `${meta.drover_checkout}` path; with it, a missing meta is a placement failure
 * that names the constraint.
 */
export const CHECKOUT_IS_SET: Constraint = { attribute: `\${meta.${CHECKOUT_META}}`, operator: 'is_set' };

/** Runs `examples/apps/<app>/main.ts` with `node --import tsx`, in the repository root. */
export function fromCheckout(app: string): ExecDriver {
  const project = `\${meta.${CHECKOUT_META}}`;
  return { driver: 'raw_exec', command: 'node', args: ['--import', 'tsx', `${project}/../apps/${app}/main.ts`], workDir: `${project}/../..` };
}
