/** Splits `registry:5000/team/app:1.2@sha256:…` into its repository and the rest. */
export function imageRepository(reference: string): string {
  const withoutDigest = reference.split('@', 1)[0] ?? reference;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const lastColon = withoutDigest.lastIndexOf(':');
  return lastColon > lastSlash ? withoutDigest.slice(0, lastColon) : withoutDigest;
}

/** The pinned reference for `reference` when the release pins its repository, else `reference`. */
export function pinImage(reference: string, pins: Readonly<Record<string, string>> | undefined): string {
  return pins?.[imageRepository(reference)] ?? reference;
}
