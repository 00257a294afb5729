import type { ConsulClient } from '../clients/consul/index.ts';
import type { NomadClient } from '../clients/nomad/index.ts';
import type { Report } from '../report/events.ts';
import { allocationChecks, describeHealthWait, healthPolicies, type CheckObservation, type GroupHealthPolicy, type HealthWait } from '../watch/health-wait.ts';
import { currentAllocations, rolloutDeployment, type RolloutState } from '../watch/state.ts';
import type { ConsulServiceEntry } from '../wire/consul.ts';

export interface HealthWatchOptions {
  readonly job: string;
  readonly nomad: { readonly jobs: Pick<NomadClient['jobs'], 'read'> };
  /** Where the checks are; without it nothing is read or reported. */
  readonly consul?: Pick<ConsulClient, 'health'>;
  readonly report: Report;
  readonly signal: AbortSignal;
  /** drover's own clock, only to measure how long it has seen a check fail. @default Date.now */
  readonly now?: () => number;
}

/** Reads between two Consul reads at the least (the watch wakes on every fact). */
const MIN_READ_INTERVAL_MS = 1000;

/**
 * While a deployment waits on allocations that run but are not healthy, reads their Consul checks
 * and reports (`health-check-failing`) the ones failing, with the deadline that will end the wait —
 * once per change, not per read. A check counts as failing once drover has seen it fail for its
 * interval + timeout (Nomad registers every check critical and Consul's first run comes within an
 * interval, so a healthy rollout would otherwise show one), or at once when Nomad already marked
 * the allocation unhealthy. Nomad 2.0.5's own `Alloc Unhealthy` text never names the check (see
 * src/sandbox/nomad/health.ts), so this is the only place a user learns which one fails.
 */
export function createHealthWatch(options: HealthWatchOptions) {
  const now = options.now ?? Date.now;
  const firstSeen = new Map<string, number>();
  /** When a check seen failing but not yet long enough becomes due (drover's clock). */
  const pending = new Map<string, number>();
  const reported = new Map<string, string>();
  const latest = new Map<string, HealthWait>();
  let policies: { version: number; byGroup: ReadonlyMap<string, GroupHealthPolicy> } | undefined;
  let lastRead = -Infinity;

  const policiesFor = async (version: number) => {
    if (policies?.version === version) return policies.byGroup;
    const job = (await options.nomad.jobs.read(options.job, { signal: options.signal })).value;
    // Another version is current (a revert, a newer deploy): not this rollout's deadlines.
    if (job.Version !== version) return undefined;
    policies = { version, byGroup: healthPolicies(job) };
    return policies.byGroup;
  };

  const observe = async (state: RolloutState): Promise<void> => {
    const consul = options.consul;
    const deployment = rolloutDeployment(state);
    if (!consul || deployment?.Status !== 'running' || now() - lastRead < MIN_READ_INTERVAL_MS) return;
    const waiting = currentAllocations(state).filter((a) => a.ClientStatus === 'running' && a.DeploymentStatus?.Healthy !== true);
    if (waiting.length === 0) return;
    const byGroup = await policiesFor(state.version);
    const watched = waiting.flatMap((alloc) => {
      const policy = byGroup?.get(alloc.TaskGroup);
      return policy && policy.healthCheck === 'checks' && policy.checks.length > 0 ? [{ alloc, policy }] : [];
    });
    if (watched.length === 0) return;
    lastRead = now();
    const entries = await readServices(consul, [...new Set(watched.flatMap((w) => w.policy.checks.map((c) => c.service)))].sort(), options.signal);
    for (const { alloc, policy } of watched) {
      const failing = dueChecks(alloc.ID, alloc.DeploymentStatus?.Healthy === false, allocationChecks(entries, alloc.ID), policy);
      const wait = describeHealthWait({ alloc, policy, deployment, failing });
      if (!wait) continue;
      latest.set(alloc.ID, wait);
      const key = waitKey(wait);
      if (reported.get(alloc.ID) === key) continue;
      reported.set(alloc.ID, key);
      options.report({ type: 'health-check-failing', job: options.job, wait });
    }
  };

  /** Checks seen failing for longer than they take to run once; the clock restarts when one passes. */
  const dueChecks = (allocId: string, unhealthy: boolean, checks: readonly CheckObservation[], policy: GroupHealthPolicy): CheckObservation[] => {
    const at = now();
    return checks.filter((c) => {
      const id = `${allocId}\n${c.service}\n${c.check}`;
      pending.delete(id);
      if (c.status === 'passing') {
        firstSeen.delete(id);
        return false;
      }
      if (!firstSeen.has(id)) firstSeen.set(id, at);
      const since = firstSeen.get(id)!;
      const grace = policy.checks.find((p) => p.service === c.service && p.check === c.check)?.graceMs ?? 10_000;
      if (unhealthy || at - since >= grace) return true;
      pending.set(id, since + grace);
      return false;
    });
  };

  return {
    /** Reads and reports if due; never throws for a failed read (the watch goes on without it). */
    observe: (state: RolloutState) =>
      observe(state).catch((error: unknown) => {
        if (options.signal.aborted) throw error;
      }),
    /** How long until a check seen failing becomes worth a report, so the watch wakes then; undefined when none waits. */
    nextDueInMs: (): number | undefined => (pending.size ? Math.max(MIN_READ_INTERVAL_MS, Math.min(...pending.values()) - now()) : undefined),
    /** The latest failing-check picture of the first allocation seen failing, for the failure reason. */
    explain: (): HealthWait | undefined => [...latest.values()][0],
  };
}

export type HealthWatch = ReturnType<typeof createHealthWatch>;

async function readServices(consul: Pick<ConsulClient, 'health'>, names: readonly string[], signal: AbortSignal): Promise<ConsulServiceEntry[]> {
  const reads = await Promise.all(names.map((name) => consul.health.service(name, { signal })));
  return reads.flatMap((r) => r.value);
}

/** What counts as a change worth a line: which checks fail and how, Nomad's verdict, the deadline. Not the output text. */
function waitKey(wait: HealthWait): string {
  const checks = wait.checks.map((c) => `${c.service}/${c.check}=${c.status}${c.output ? '+output' : ''}`).join(',');
  const d = wait.deadline;
  return `${checks}|${wait.markedUnhealthy}|${d.ends}|${d.ends === 'progress_deadline' ? d.progressDeadlineAt : d.healthyDeadlineAt}`;
}
