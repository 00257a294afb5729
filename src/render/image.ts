import { splitImageReference } from '../model/image-reference.ts';

/** The repository of `registry:5000/team/app:1.2@sha256:…` as written (`registry:5000/team/app`): the key of a repository's pin. */
export function imageRepository(reference: string): string {
  return splitImageReference(reference).name;
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
