/**
 * The promotion chain of a project's environments: which take releases from which
 * (`promotion.releasesFrom`), e.g. qa → prod.
 */
interface Link {
  readonly name: string;
  readonly promotion: { readonly releasesFrom?: string };
}

/** Names of the environments that take releases from `source`, sorted (qa → ["prod"]). */
export function releaseTargetsOf(environments: readonly Link[], source: string): string[] {
  return environments.filter((e) => e.promotion.releasesFrom === source).map((e) => e.name).sort();
}

/** Environments in promotion order: those that take releases from another come after it (qa before prod). */
export function promotionOrder<T extends Link>(environments: readonly T[]): T[] {
  const rank = (env: T): number => (env.promotion.releasesFrom ? 1 + rank(environments.find((e) => e.name === env.promotion.releasesFrom) ?? env) : 0);
  return [...environments].sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : 1));
}

/**
 * The environments a release made in or taken by `name` travels through: `name` and every
 * environment linked to it by `releasesFrom`, in either direction, sorted (qa → ["prod", "qa"]).
 * Just `[name]` for an environment outside any chain, such as a standalone dev cluster.
 */
export function releaseChainOf(environments: readonly Link[], name: string): string[] {
  const chain = new Set([name]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const env of environments) {
      const from = env.promotion.releasesFrom;
      if (!from || chain.has(env.name) === chain.has(from)) continue;
      chain.add(env.name).add(from);
      grown = true;
    }
  }
  return [...chain].sort();
}
