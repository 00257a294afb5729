import type { NomadDeployment } from '../wire/nomad-api.ts';

/**
 * Pure decisions for `drover promote`. A deployment awaits promotion while it runs with canaries
 * in a group that is not promoted yet (nomad.md §4.2); Nomad itself refuses to promote unhealthy
 * canaries, so health is not second-guessed here.
 */

/** Groups of `deployment` with canaries that are not promoted yet, sorted. */
export function unpromotedGroups(deployment: NomadDeployment): string[] {
  return Object.entries(deployment.TaskGroups)
    .filter(([, g]) => g.DesiredCanaries > 0 && !g.Promoted)
    .map(([name]) => name)
    .sort();
}

/** True when `deployment` is running and has canaries waiting for a promotion. */
export function awaitsPromotion(deployment: NomadDeployment | null): deployment is NomadDeployment {
  return deployment !== null && deployment.Status === 'running' && unpromotedGroups(deployment).length > 0;
}

/** "api 1/1 healthy canaries" per unpromoted group, for messages. */
export function describeCanaries(deployment: NomadDeployment): string {
  return unpromotedGroups(deployment)
    .map((name) => {
      const g = deployment.TaskGroups[name]!;
      return `${name} ${g.HealthyAllocs}/${g.DesiredCanaries} healthy canar${g.DesiredCanaries === 1 ? 'y' : 'ies'}`;
    })
    .join(', ');
}

/**
 * Nomad's RPC errors arrive as Go multierror text (`1 error occurred:\n\t* Task group "api" has
 * 0/1 healthy allocations\n\n`); this returns the individual errors, or the trimmed text when it
 * is a single plain message. For display only: drover never branches on it.
 */
export function nomadErrorLines(body: string): string[] {
  const items = body
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('* '))
    .map((line) => line.slice(2).trim());
  if (items.length) return items;
  const text = body.trim();
  return text ? [text] : [];
}
