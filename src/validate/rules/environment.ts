import type { EnvironmentDefinition } from '../../config/environment.ts';
import { sortDiagnostics, type Diagnostic } from '../diagnostic.ts';
import { envAddressRule } from './env-address.ts';
import { envCredentialsRule } from './env-credentials.ts';
import { envDatacentersRule } from './env-datacenters.ts';
import { envFabioDomainRule } from './env-fabio-domain.ts';
import { envFabioMetricsPrefixRule } from './env-fabio-metrics-prefix.ts';
import { envFabioPortsRule } from './env-fabio-ports.ts';
import { envLogsRule } from './env-logs.ts';
import { envNameRule } from './env-name.ts';
import { envNomadNamesRule } from './env-nomad-names.ts';
import { envPromotionRule } from './env-promotion.ts';
import { envRegistriesRule } from './env-registries.ts';
import { envReleasesFromRule } from './env-releases-from.ts';
import { envVaultRule } from './env-vault.ts';
import { dropShadowedUnknownKeys, envUnknownKeyRule } from './unknown-keys.ts';
import type { EnvironmentCheck, EnvironmentRule } from './lib/environment-rule.ts';
import { isRecord } from './lib/shape.ts';

export type { EnvironmentCheck, EnvironmentRule } from './lib/environment-rule.ts';

/** Every rule run on each `environments/*.ts`, in no particular order (output is sorted). */
export const environmentRules: readonly EnvironmentRule[] = [
  envNameRule,
  envAddressRule,
  envNomadNamesRule,
  envDatacentersRule,
  envFabioPortsRule,
  envFabioMetricsPrefixRule,
  envFabioDomainRule,
  envPromotionRule,
  envReleasesFromRule,
  envRegistriesRule,
  envVaultRule,
  envCredentialsRule,
  envLogsRule,
  envUnknownKeyRule,
];

/**
 * Validates one environment definition loaded from `file` (project-relative, e.g.
 * `environments/qa.ts`). `known` lists every environment name of the project so that
 * cross-references (promotion.releasesFrom) can be checked. Never throws.
 */
export function validateEnvironment(env: EnvironmentDefinition, file: string, known?: readonly string[]): Diagnostic[] {
  return runEnvironmentRules({ env, file, known }, environmentRules);
}

/** Runs `ruleSet` on one environment; a rule that throws on a malformed definition becomes a diagnostic. */
export function runEnvironmentRules(input: EnvironmentCheck, ruleSet: readonly EnvironmentRule[]): Diagnostic[] {
  const { file } = input;
  if (!isRecord(input.env)) {
    return [{ rule: 'env/shape', severity: 'error', message: 'The default export is not an environment definition', location: { file, path: '' }, hint: 'Export `defineEnvironment({ name, nomad, consul, vault, fabio })` as the default.' }];
  }
  return sortDiagnostics(dropShadowedUnknownKeys(
    ruleSet.flatMap((rule) => {
      try {
        return rule.check(input);
      } catch (error) {
        return [{
          rule: rule.id,
          severity: 'error' as const,
          message: `Rule ${rule.id} could not check the environment: ${error instanceof Error ? error.message : String(error)}`,
          location: { file, path: '' },
          hint: 'The environment definition is malformed in a way drover did not expect; fix its shape, and report this as a drover bug.',
        }];
      }
    }),
  ));
}
