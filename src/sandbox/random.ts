/** Deterministic randomness: the same seed gives the same IDs, ports and fault decisions. */
export interface SandboxRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** A Nomad-style ID: 36 characters of random hex in 8-4-4-4-12 groups (not an RFC 4122 v4). */
  uuid(): string;
}

/** Creates a seeded generator (mulberry32: tiny, fast, good enough for simulation). */
export function createRandom(seed: number): SandboxRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (length: number): string => {
    let out = '';
    while (out.length < length) out += Math.floor(next() * 0x10000).toString(16).padStart(4, '0');
    return out.slice(0, length);
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    uuid: () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
  };
}
