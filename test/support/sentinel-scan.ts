import { findSentinels, findSentinelsInTree, SENTINELS } from './sentinels.ts';

/** Where to look for leaked sentinels after drover ran. */
export interface SentinelScan {
  /** Name → value of everything that must never appear: tokens, seeded secret values. @default SENTINELS */
  readonly sentinels?: Readonly<Record<string, string>>;
  /** Captured streams by name, e.g. `{ stdout, stderr }`. */
  readonly outputs?: Readonly<Record<string, string>>;
  /** Parsed NDJSON events (scanned as JSON text). */
  readonly events?: readonly unknown[];
  /** Folders drover wrote into (build dirs, the project): every file under them. */
  readonly dirs?: readonly string[];
  /** The sandbox's Consul: every KV key and decoded value (`GET /v1/kv/?recurse`). */
  readonly consul?: { readonly address: string; readonly token?: string };
  /** The sandbox's Nomad: every registered job spec in the namespace. */
  readonly nomad?: { readonly address: string; readonly token?: string; readonly namespace: string };
}

/**
 * Scans everything drover produced for sentinel values; returns `<where>: <SENTINEL NAME>`
 * findings, empty when clean. Findings name the sentinel, never print its value.
 */
export async function scanForSentinels(scan: SentinelScan): Promise<string[]> {
  const sentinels = scan.sentinels ?? SENTINELS;
  const findings: string[] = [];
  const check = (where: string, text: string) => findings.push(...findSentinels(text, sentinels).map((name) => `${where}: ${name}`));
  for (const [name, text] of Object.entries(scan.outputs ?? {})) check(name, text);
  if (scan.events) check('events', JSON.stringify(scan.events));
  for (const dir of scan.dirs ?? []) findings.push(...(await findSentinelsInTree(dir, sentinels)).map((f) => `${dir}/${f}`));
  if (scan.consul) for (const [key, value] of await consulKv(scan.consul)) check(`consul kv ${key}`, `${key}\n${value}`);
  if (scan.nomad) for (const [id, spec] of await nomadJobs(scan.nomad)) check(`nomad job ${id}`, spec);
  return findings;
}

async function consulKv({ address, token }: { address: string; token?: string }): Promise<[string, string][]> {
  const response = await fetch(`${address}/v1/kv/?recurse=true`, { headers: token ? { 'X-Consul-Token': token } : {} });
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`consul kv dump: ${response.status} ${await response.text()}`);
  const entries = (await response.json()) as { Key: string; Value: string | null }[];
  return entries.map((e) => [e.Key, e.Value === null ? '' : Buffer.from(e.Value, 'base64').toString('utf8')]);
}

async function nomadJobs({ address, token, namespace }: { address: string; token?: string; namespace: string }): Promise<[string, string][]> {
  const headers: Record<string, string> = token ? { 'X-Nomad-Token': token } : {};
  const get = async (path: string) => {
    const response = await fetch(`${address}${path}${path.includes('?') ? '&' : '?'}namespace=${encodeURIComponent(namespace)}`, { headers });
    if (!response.ok) throw new Error(`nomad GET ${path}: ${response.status} ${await response.text()}`);
    return response.text();
  };
  const stubs = JSON.parse(await get('/v1/jobs')) as { ID: string }[];
  return Promise.all(stubs.map(async (s): Promise<[string, string]> => [s.ID, await get(`/v1/job/${encodeURIComponent(s.ID)}`)]));
}
