import { rfc3339 } from '../json.ts';
import { appendEvent, deriveClientStatus, imageOf, initialTaskStates, isEphemeral, mainTaskNames, setTaskState, tasksOf, vaultReads } from './alloc-state.ts';
import { ConsulRegistry, consulHttp503, type FailingCheck } from './consul-sync.ts';
import { HealthTracker } from './health.ts';
import { type Allocation, type Json, isTerminal } from './model.ts';
import type { ConsulSink, DeploymentHooks, EvalQueue, Run, RunSteps, SimState } from './runtime-types.ts';
import { TIMING } from './scenarios.ts';
import { newEvaluation } from './scheduler.ts';
import type { Txn } from './store.ts';
import { RESTART_WITHIN_POLICY, exceededAttempts, missingBinary, pullFailure, taskEvent } from './task-events.ts';
import { OUTPUT_TICK_MS, TASK_OUTPUT, type OutputLine } from './task-output.ts';

/** What the simulated client works with besides the cluster state. */
export interface ClientPeers {
  /** Where running allocations' services are registered; none = no Consul. */
  readonly consul: ConsulSink | undefined;
  readonly scheduler: EvalQueue;
  readonly watcher: Pick<DeploymentHooks, 'isUnpromotedCanary' | 'onHealth'>;
}

/**
 * Simulates the Nomad client for every allocation: receipt, image pull, start, checks, crashes and
 * restarts per the group's restart policy, kills on stop, Consul registration, and deployment
 * health through {@link HealthTracker}. Each step is one `AllocationUpdated` raft entry.
 */
export class ClientSim implements RunSteps {
  readonly consul: ConsulRegistry;
  readonly health: HealthTracker;
  private readonly runs = new Map<string, Run>();

  constructor(
    private readonly rt: SimState,
    private readonly peers: ClientPeers,
  ) {
    this.consul = new ConsulRegistry(peers.consul);
    this.health = new HealthTracker(rt, { client: this, watcher: peers.watcher });
  }

  /** Starts simulating a newly placed allocation. */
  start(allocId: string): void {
    const alloc = this.rt.store.allocs.get(allocId);
    if (!alloc) return;
    const run: Run = { allocId, scenario: this.rt.scenarios.resolve(alloc.Namespace, alloc.JobID, alloc.Job.Version), timers: new Set(), restarts: 0, running: false, checksPassing: false };
    this.runs.set(allocId, run);
    this.later(run, TIMING.receive, () => this.receive(run));
  }

  /** An in-place update moved the allocation into a new deployment: track its health again. */
  rejoin(allocId: string): void {
    const run = this.runs.get(allocId);
    if (!run) return;
    this.health.begin(run);
    if (run.running) this.health.onRunning(run);
    if (run.checksPassing) this.health.onChecksPassing(run);
  }

  /** Re-registers services (canary tags change on promotion). */
  refreshServices(allocId: string): void {
    const run = this.runs.get(allocId);
    if (run?.running) this.register(run);
  }

  /** The server told the allocation to stop: deregister, kill, mark complete. */
  stop(allocId: string): void {
    const run = this.runs.get(allocId);
    if (run) this.cancel(run);
    if (run?.running) this.say(allocId, TASK_OUTPUT.stopping());
    this.runs.delete(allocId);
    this.consul.deregister(allocId);
    const alloc = this.rt.store.allocs.get(allocId);
    if (!alloc || alloc.ClientStatus === 'failed' || alloc.ClientStatus === 'complete') return;
    const main = mainTaskNames(alloc);
    const killTimeout = Number(tasksOf(alloc)[0]?.KillTimeout ?? 5e9);
    this.update(alloc, (a, now) => appendEvent(a, main, taskEvent('Killing', now, { KillTimeout: killTimeout })));
    this.rt.clock.setTimer(TIMING.kill, () => {
      const current = this.rt.store.allocs.get(allocId);
      if (!current || current.ClientStatus === 'failed' || current.ClientStatus === 'complete') return;
      this.update(current, (a, now) => {
        a.TaskStates ??= initialTaskStates(a);
        appendEvent(a, Object.keys(a.TaskStates), taskEvent('Killed', now));
        setTaskState(a, Object.keys(a.TaskStates), 'dead', now);
      });
    });
  }

  /** Stops all simulation (reset/close). */
  close(): void {
    for (const run of this.runs.values()) this.cancel(run);
    this.runs.clear();
    this.consul.clear();
  }

  /** Schedules a step of `run`; cancelled when the allocation stops. */
  later(run: Run, ms: number, fn: () => void): () => void {
    const cancel = this.rt.clock.setTimer(ms, () => {
      run.timers.delete(cancel);
      if (this.runs.get(run.allocId) === run) fn();
    });
    run.timers.add(cancel);
    return cancel;
  }

  /** Mutates an allocation in one `AllocationUpdated` entry and re-derives its client status. */
  update(alloc: Allocation, mutate: (alloc: Allocation, now: number) => void, after?: (alloc: Allocation) => void): void {
    const wasTerminal = isTerminal(alloc);
    this.rt.store.commit('AllocationUpdated', (tx) => {
      mutate(alloc, tx.now);
      deriveClientStatus(alloc);
      tx.putAlloc(alloc);
      if (!wasTerminal && alloc.ClientStatus === 'failed') this.onFailed(alloc, tx);
    });
    after?.(alloc);
    if (!wasTerminal && isTerminal(alloc)) this.peers.scheduler.unblock();
  }

  private cancel(run: Run): void {
    for (const cancel of run.timers) cancel();
    run.timers.clear();
  }

  private alloc(run: Run): Allocation | undefined {
    return this.rt.store.allocs.get(run.allocId);
  }

  private receive(run: Run): void {
    const alloc = this.alloc(run);
    if (!alloc) return;
    const all = tasksOf(alloc).map((t) => String(t.Name));
    this.update(alloc, (a, now) => {
      a.TaskStates = initialTaskStates(a);
      appendEvent(a, all, taskEvent('Received', now));
      appendEvent(a, all, taskEvent('Task Setup', now, { Message: 'Building Task Directory' }));
    });
    this.health.begin(run);
    if (run.scenario.kind === 'template-missing-secret') return void this.later(run, TIMING.templateEvent, () => this.templateMissing(run));
    this.later(run, TIMING.start, () => this.pull(run));
  }

  private templateMissing(run: Run): void {
    const alloc = this.alloc(run);
    if (!alloc || run.scenario.kind !== 'template-missing-secret') return;
    const paths = run.scenario.path ? [run.scenario.path] : vaultReads(alloc);
    const message = `Missing: ${(paths.length ? paths : ['secret/data/missing']).map((p) => `vault.read(${p})`).join(', ')}`;
    // consul-template keeps waiting for the secret: the task stays pending and never starts.
    this.update(alloc, (a, now) => appendEvent(a, mainTaskNames(a), taskEvent('Template', now, { DisplayMessage: message })));
  }

  private pull(run: Run): void {
    const alloc = this.alloc(run);
    if (!alloc) return;
    const docker = tasksOf(alloc).filter((t) => t.Driver === 'docker');
    this.update(alloc, (a, now) => {
      for (const task of docker) appendEvent(a, [String(task.Name)], taskEvent('Driver', now, { DriverMessage: `Downloading image ${imageOf(task)}` }));
    });
    if (run.scenario.kind === 'image-pull-fails') return void this.later(run, 500, () => this.pullFailed(run, docker));
    if (run.scenario.kind === 'missing-binary') return void this.later(run, 100, () => this.binaryMissing(run));
    this.later(run, 300, () => this.startTasks(run));
  }

  private pullFailed(run: Run, docker: readonly Json[]): void {
    const alloc = this.alloc(run);
    if (!alloc || run.scenario.kind !== 'image-pull-fails') return;
    const scenario = run.scenario;
    // The scenario is about the job's own image: prestart helpers (busybox) pull fine.
    const main = new Set(mainTaskNames(alloc));
    const failing = docker.filter((t) => main.has(String(t.Name)));
    this.update(alloc, (a, now) => {
      for (const task of failing.length ? failing : tasksOf(a).filter((t) => main.has(String(t.Name)))) {
        const error = scenario.message ?? pullFailure(imageOf(task));
        appendEvent(a, [String(task.Name)], taskEvent('Driver Failure', now, { DriverError: error }));
      }
    });
    // The docker driver treats pull errors as recoverable unless they say "Error: image … not found".
    this.afterExit(run, scenario.recoverable === false ? 'unrecoverable' : 'recoverable', () => this.pull(run));
  }

  /** The driver cannot find the task's command (client/allocrunner/taskrunner/task_runner.go runDriver). */
  private binaryMissing(run: Run): void {
    const alloc = this.alloc(run);
    if (!alloc || run.scenario.kind !== 'missing-binary') return;
    const path = run.scenario.path;
    const main = new Set(mainTaskNames(alloc));
    this.update(alloc, (a, now) => {
      for (const task of tasksOf(a).filter((t) => main.has(String(t.Name)))) {
        const command = (task.Config as Json | null)?.command;
        const error = missingBinary(path ?? (typeof command === 'string' ? command : `/nonexistent/bin/${String(task.Name)}`));
        appendEvent(a, [String(task.Name)], taskEvent('Driver Failure', now, { DriverError: error }));
      }
    });
    this.afterExit(run, 'unrecoverable', () => this.pull(run));
  }

  private startTasks(run: Run): void {
    const alloc = this.alloc(run);
    if (!alloc) return;
    const ephemeral = tasksOf(alloc).filter(isEphemeral).map((t) => String(t.Name));
    const main = mainTaskNames(alloc);
    this.update(alloc, (a, now) => {
      for (const name of [...ephemeral, ...main]) if (a.TaskStates?.[name]?.State !== 'dead') appendEvent(a, [name], taskEvent('Started', now));
      setTaskState(a, ephemeral.filter((n) => a.TaskStates?.[n]?.State !== 'dead'), 'running', now);
      setTaskState(a, main, 'running', now);
    });
    if (ephemeral.length) this.later(run, 200, () => this.finishEphemeral(run, ephemeral));
    run.running = true;
    run.checksPassing = false;
    for (const task of main) this.say(alloc.ID, TASK_OUTPUT.started(alloc, task), [task]);
    this.register(run);
    this.health.onRunning(run);
    this.continueScenario(run, alloc);
    this.tick(run);
  }

  /** Appends scripted lines to the logs of `tasks` (default: the allocation's main tasks). */
  private say(allocId: string, lines: readonly OutputLine[], tasks?: readonly string[]): void {
    const alloc = this.rt.store.allocs.get(allocId);
    if (!alloc) return;
    for (const task of tasks ?? mainTaskNames(alloc)) for (const line of lines) this.rt.logs.write(allocId, task, line.type, line.text);
  }

  /** A running task's periodic line (and, while its checks fail, what it says about them). */
  private tick(run: Run): void {
    this.later(run, OUTPUT_TICK_MS, () => {
      if (!run.running) return;
      this.say(run.allocId, run.scenario.kind === 'health-check-fails' ? TASK_OUTPUT.unready(run.scenario) : TASK_OUTPUT.tick());
      this.tick(run);
    });
  }

  private continueScenario(run: Run, alloc: Allocation): void {
    const batch = alloc.Job.Type === 'batch' || alloc.Job.Type === 'sysbatch';
    const s = run.scenario;
    if (s.kind === 'crash-loop') return void this.later(run, s.crashAfterMs ?? TIMING.crashAfter, () => this.crash(run));
    if (s.kind === 'health-check-fails') return void this.say(run.allocId, TASK_OUTPUT.unready(s));
    if (batch) return void this.later(run, s.kind === 'healthy' ? (s.runMs ?? TIMING.batchRun) : TIMING.batchRun, () => this.exit(run, 0));
    const after = s.kind === 'healthy' ? (s.healthyAfterMs ?? TIMING.healthyAfter) : s.kind === 'slow-healthy' ? (s.healthyAfterMs ?? TIMING.slowHealthyAfter) : TIMING.healthyAfter;
    this.later(run, after, () => this.checksPass(run));
  }

  private finishEphemeral(run: Run, names: readonly string[]): void {
    const alloc = this.alloc(run);
    if (!alloc) return;
    this.update(alloc, (a, now) => {
      const live = names.filter((n) => a.TaskStates?.[n]?.State === 'running');
      appendEvent(a, live, taskEvent('Terminated', now, { ExitCode: 0 }));
      setTaskState(a, live, 'dead', now);
    });
  }

  private checksPass(run: Run): void {
    run.checksPassing = true;
    this.say(run.allocId, TASK_OUTPUT.ready());
    this.register(run);
    this.health.onChecksPassing(run);
  }

  /** Registers services with the current canary state and check status. */
  register(run: Run): void {
    const alloc = this.alloc(run);
    const node = this.rt.nodes.find((n) => n.ID === alloc?.NodeID);
    if (!alloc || !node) return;
    this.consul.register(alloc, node, { canary: this.peers.watcher.isUnpromotedCanary(alloc), checks: run.checksPassing ? 'passing' : 'critical', ...this.failingOutput(run) });
  }

  /**
   * Nomad registers checks without output; the agent's first results keep the status (critical), so
   * Consul defers writing their output to the catalog (TIMING.checkOutputSync).
   */
  private failingOutput(run: Run): { output?: string | ((check: FailingCheck) => string) } {
    if (run.scenario.kind !== 'health-check-fails') return {};
    if (run.checkOutputSynced) return { output: run.scenario.output ?? consulHttp503 };
    if (run.checkOutputSynced === undefined) {
      run.checkOutputSynced = false;
      this.later(run, TIMING.checkOutputSync, () => {
        run.checkOutputSynced = true;
        if (run.running) this.register(run);
      });
    }
    return { output: '' };
  }

  private crash(run: Run): void {
    const alloc = this.alloc(run);
    if (!alloc || run.scenario.kind !== 'crash-loop') return;
    const code = run.scenario.exitCode ?? 1;
    this.say(run.allocId, TASK_OUTPUT.crashing(run.scenario));
    this.exit(run, code);
  }

  /** Main tasks exit with `code`: 0 completes a batch alloc; otherwise the restart policy decides. */
  private exit(run: Run, code: number): void {
    const alloc = this.alloc(run);
    if (!alloc) return;
    run.running = false;
    if (code === 0) this.say(alloc.ID, TASK_OUTPUT.finished());
    this.consul.deregister(alloc.ID);
    this.health.onStopped(run);
    const main = mainTaskNames(alloc);
    this.update(alloc, (a, now) => {
      appendEvent(a, main, taskEvent('Terminated', now, { ExitCode: code }));
      if (code === 0) setTaskState(a, main, 'dead', now);
    });
    if (code !== 0) this.afterExit(run, 'recoverable', () => this.startTasks(run));
  }

  /** Applies the task restart policy after a failure (client restart tracker). */
  private afterExit(run: Run, kind: 'recoverable' | 'unrecoverable', retry: () => void): void {
    const alloc = this.alloc(run);
    if (!alloc) return;
    const policy = (tasksOf(alloc)[0]?.RestartPolicy as Json | null) ?? { Attempts: 0, Interval: 0, Delay: 0, Mode: 'fail' };
    const attempts = Number(policy.Attempts ?? 0);
    const main = mainTaskNames(alloc);
    run.restarts++;
    // The restart tracker's order (client/allocrunner/taskrunner/restarts/restarts.go GetState): a
    // policy without attempts answers first, whatever the error; then an unrecoverable start error.
    if (attempts === 0 || kind === 'unrecoverable' || (run.restarts > attempts && policy.Mode !== 'delay')) {
      const reason = attempts === 0 ? 'Policy allows no restarts' : kind === 'unrecoverable' ? 'Error was unrecoverable' : exceededAttempts(attempts, Number(policy.Interval ?? 0));
      return this.update(alloc, (a, now) => {
        appendEvent(a, main, taskEvent('Not Restarting', now, { RestartReason: reason, FailsTask: true }));
        setTaskState(a, main, 'dead', now, true);
      }, () => this.health.onFailed(run));
    }
    const delayNs = Math.round(Number(policy.Delay ?? 15e9) * (1 + this.rt.random.next() * 0.25));
    const reason = run.restarts > attempts ? 'Exceeded allowed attempts, applying a delay' : RESTART_WITHIN_POLICY;
    this.update(alloc, (a, now) => {
      appendEvent(a, main, taskEvent('Restarting', now, { RestartReason: reason, StartDelay: delayNs }));
      setTaskState(a, main, 'pending', now);
      for (const name of main) {
        const state = a.TaskStates?.[name];
        if (state) (state.Restarts++, (state.LastRestart = rfc3339(now)));
      }
    });
    this.later(run, delayNs / 1e6, retry);
  }

  /** A client update that fails an allocation also creates an `alloc-failure` evaluation (rescheduling). */
  private onFailed(alloc: Allocation, tx: Txn): void {
    this.rt.failedAt.set(alloc.ID, tx.now);
    const evaluation = newEvaluation(this.rt, { job: alloc.Job, triggeredBy: 'alloc-failure' });
    evaluation.JobModifyIndex = this.rt.store.job(alloc.Namespace, alloc.JobID)?.versions.at(-1)?.JobModifyIndex ?? alloc.Job.JobModifyIndex;
    tx.putEval(evaluation);
    this.peers.scheduler.enqueue(evaluation.ID);
  }
}
