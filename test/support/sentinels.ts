import { readTree } from './temp-project.ts';

/**
 * Sentinel values that must never appear in anything drover writes or prints. Seeded into process
 * environments (and, in later suites, into the sandbox Vault); `findSentinels` scans outputs.
 */
export const SENTINELS = {
  NOMAD_TOKEN: 'sentinel-nomad-token-6f1c2a9e-7b4d-4e0a-9c3f-1d2e3f4a5b6c',
  CONSUL_HTTP_TOKEN: 'sentinel-consul-token-0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d',
  VAULT_TOKEN: 'hvs.SENTINELvaulttoken0123456789abcdefABCDEF',
  DATABASE_PASSWORD: 'sentinel-db-password-Zq8!xR2#kL5',
  AWS_SECRET_ACCESS_KEY: 'sentinelAwsSecretKey/0123456789abcdefghijKLMNOP',
} as const;

/** Names of the sentinels found in `text` (empty when clean). */
export function findSentinels(text: string, sentinels: Readonly<Record<string, string>> = SENTINELS): string[] {
  return Object.entries(sentinels)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}

/** Scans every file under `dir`; returns `file: SENTINEL` findings. */
export async function findSentinelsInTree(dir: string, sentinels: Readonly<Record<string, string>> = SENTINELS): Promise<string[]> {
  const findings: string[] = [];
  for (const [file, content] of await readTree(dir)) {
    for (const name of findSentinels(content, sentinels)) findings.push(`${file}: ${name}`);
  }
  return findings;
}
