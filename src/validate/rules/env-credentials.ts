import type { Diagnostic } from '../diagnostic.ts';
import { problem } from '../rule.ts';
import { credentialShape, isSecretName } from './lib/credentials.ts';
import type { EnvironmentRule } from './lib/environment-rule.ts';
import { stringLeaves } from './lib/strings.ts';

const ID = 'env/credentials';

/**
 * Environment files are committed and shared; tokens come from the shell (NOMAD_TOKEN, …). Checks
 * every string field, including ones the type does not know. Never quotes the value.
 */
export const envCredentialsRule: EnvironmentRule = {
  id: ID,
  description: 'No token, password or other credential in any field of an environment file.',
  check({ env, file }) {
    return stringLeaves(env).flatMap((leaf): Diagnostic[] => {
      // env/address reports credentials inside addresses, with a more specific hint.
      if (/(^|\.)address$/.test(leaf.path)) return [];
      const named = leaf.key !== undefined && isSecretName(leaf.key) && leaf.value.trim() !== '';
      const kind = named ? 'by its name' : credentialShape(leaf.value);
      if (!kind) return [];
      return [problem(ID, { file, path: leaf.path }, `${leaf.path} looks like a credential (${kind})`, 'Remove it: drover reads NOMAD_TOKEN, CONSUL_HTTP_TOKEN and VAULT_TOKEN from the shell, never from environment files. Rotate the credential.')];
    });
  },
};
