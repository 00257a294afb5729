/** Splits `registry:5000/team/app:1.2@sha256:…` into its repository and the rest. */
export function imageRepository(reference: string): string {
  const withoutDigest = reference.split('@', 1)[0] ?? reference;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const lastColon = withoutDigest.lastIndexOf(':');
  return lastColon > lastSlash ? withoutDigest.slice(0, lastColon) : withoutDigest;
}

/**
 * The pinned form of `reference`: a pin for the reference itself (`api:1.4.2` → its digest, from
 * the environment's registries), else one for its repository (prod: the release's references),
 * else `reference` as written.
 */
export function pinImage(reference: string, pins: Readonly<Record<string, string>> | undefined): string {
  if (!pins) return reference;
  const own = (key: string) => (Object.hasOwn(pins, key) ? pins[key] : undefined);
  return own(reference) ?? own(imageRepository(reference)) ?? reference;
}
