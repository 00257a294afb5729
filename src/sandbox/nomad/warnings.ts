import type { Json, JobObject } from './model.ts';

/**
 * The `Warnings` string Nomad v2.0.5 answers a register, revert or plan with, for the warnings a
 * job can raise on its own (the server's admission validators), with Nomad's exact texts and
 * formats. Sources, in Nomad's order:
 * - nomad/structs/structs.go `Job.Warnings`: per group `TaskGroup.Warnings` wrapped as
 *   `Group %q has warnings: <go-multierror list>` (update max_parallel above the count, deprecated
 *   disconnect fields, mbits, and per task `Task.Warnings`: IOPS, task networks, vault_grace);
 *   then `generateServiceShutdownDelayWarnings`; then mixed `auto_promote`; then `cron`.
 * - nomad/job_endpoint_hooks.go `memoryOversubscriptionValidate`: `memory_max` while the
 *   scheduler configuration leaves memory oversubscription off (Nomad's default).
 * - helper/warning.go `MergeMultierrorWarnings`: `N warning(s):\n` then `\n* <warning>` each.
 * Service and task identity warnings, Connect sidecars and Vault identity warnings are not
 * simulated (drover renders none of those).
 */
export function jobWarnings(job: JobObject, options: { readonly memoryOversubscription: boolean }): string {
  return mergeWarnings([...structWarnings(job), ...(options.memoryOversubscription ? [] : memoryMaxWarnings(job))]);
}

/** `helper.MergeMultierrorWarnings`: `""` for none. */
export function mergeWarnings(warnings: readonly string[]): string {
  if (warnings.length === 0) return '';
  const head = warnings.length === 1 ? '1 warning:\n' : `${warnings.length} warnings:\n`;
  return head + warnings.map((w) => `\n* ${w.trim()}`).join('');
}

/** go-multierror's `ListFormatFunc` (the `%v` of a multierror). */
export function multierrorText(errors: readonly string[]): string {
  if (errors.length === 1) return `1 error occurred:\n\t* ${errors[0]}\n\n`;
  return `${errors.length} errors occurred:\n\t${errors.map((e) => `* ${e}`).join('\n\t')}\n\n`;
}

function structWarnings(job: JobObject): string[] {
  const warnings: string[] = [];
  let hasAutoPromote = false;
  let allAutoPromote = true;
  for (const group of job.TaskGroups) {
    const own = groupWarnings(group, job);
    if (own.length) warnings.push(`Group "${String(group.Name)}" has warnings: ${multierrorText(own)}`);
    const update = group.Update as Json | null | undefined;
    if (update) {
      hasAutoPromote ||= update.AutoPromote === true;
      // No canaries implies auto-promotion: there is nothing to promote.
      allAutoPromote &&= Number(update.Canary ?? 0) === 0 || update.AutoPromote === true;
    }
  }
  warnings.push(...job.TaskGroups.flatMap(shutdownDelayWarnings));
  if (hasAutoPromote && !allAutoPromote) warnings.push('auto_promote must be true for all groups to enable automatic promotion');
  const periodic = job.Periodic as Json | null | undefined;
  if (periodic && typeof periodic.Spec === 'string' && periodic.Spec !== '') warnings.push('cron is deprecated and may be removed in a future release. Use crons instead');
  return warnings;
}

/** `TaskGroup.Warnings`. */
function groupWarnings(group: Json, job: JobObject): string[] {
  const errors: string[] = [];
  const update = group.Update as Json | null | undefined;
  const count = Number(group.Count ?? 0);
  const multiregion = job.Multiregion !== null && job.Multiregion !== undefined;
  if (update && count > 1 && Number(update.MaxParallel ?? 0) > count && !(multiregion && count === 0)) {
    errors.push(
      `Update max parallel count is greater than task group count (${Number(update.MaxParallel)} > ${count}). A destructive change would result in the simultaneous replacement of all allocations.`,
    );
  }
  if (group.MaxClientDisconnect !== null && group.MaxClientDisconnect !== undefined) errors.push('MaxClientDisconnect is deprecated and ignored in favor of Disconnect.LostAfter');
  if (group.StopAfterClientDisconnect !== null && group.StopAfterClientDisconnect !== undefined) errors.push('StopAfterClientDisconnect is deprecated and ignored favor of Disconnect.StopOnClientAfter');
  if (group.PreventRescheduleOnLost === true) errors.push('PreventRescheduleOnLost is deprecated and ignored in favor of Disconnect.Replace');
  const networks = (group.Networks as Json[] | null | undefined) ?? [];
  if (networks.length > 0 && Number(networks[0]!.MBits ?? 0) > 0) errors.push('mbits has been deprecated as of Nomad 0.12.0. Please remove mbits from the network block');
  for (const task of (group.Tasks as Json[] | null | undefined) ?? []) {
    const own = taskWarnings(task);
    if (own.length) errors.push(`Task "${String(task.Name)}" has warnings: ${multierrorText(own)}`);
  }
  return errors;
}

/** `Task.Warnings` (identities left out). */
function taskWarnings(task: Json): string[] {
  const errors: string[] = [];
  const resources = task.Resources as Json | null | undefined;
  if (resources && Number(resources.IOPS ?? 0) !== 0) errors.push('IOPS has been deprecated as of Nomad 0.9.0. Please remove IOPS from resource block.');
  if (resources && Array.isArray(resources.Networks) && resources.Networks.length !== 0) {
    errors.push('task network resources have been deprecated as of Nomad 0.12.0. Please configure networking via group network block.');
  }
  ((task.Templates as Json[] | null | undefined) ?? []).forEach((template, i) => {
    // multierror.Prefix wraps each error as "<prefix> <error>".
    if (Number(template.VaultGrace ?? 0) !== 0) errors.push(`Template[${i}] VaultGrace has been deprecated as of Nomad 0.11 and ignored since Vault 0.5. Please remove VaultGrace / vault_grace from template block.`);
  });
  return errors;
}

/** `generateTaskGroupServiceShutdownDelayWarnings`. */
function shutdownDelayWarnings(group: Json): string[] {
  const warnings: string[] = [];
  const referenced = new Set<string>();
  let unscopedGroupService = false;
  for (const service of (group.Services as Json[] | null | undefined) ?? []) {
    if (typeof service.TaskName === 'string' && service.TaskName !== '') {
      referenced.add(service.TaskName);
      continue;
    }
    const sidecar = (service.Connect as Json | null | undefined)?.SidecarTask as Json | null | undefined;
    if (sidecar) {
      if (sidecar.ShutdownDelay === null || sidecar.ShutdownDelay === undefined) {
        warnings.push(`service "${String(service.Name)}" defines a sidecar task in Consul Connect definition, but the task has no shutdown_delay set`);
      }
      continue;
    }
    unscopedGroupService = true;
  }
  let anyTaskDelay = false;
  for (const task of (group.Tasks as Json[] | null | undefined) ?? []) {
    const delay = Number(task.ShutdownDelay ?? 0);
    if (referenced.has(String(task.Name)) && delay === 0) warnings.push(`group "${String(group.Name)}" references task "${String(task.Name)}" in a service definition, but the task has no shutdown_delay set`);
    if (delay > 0) anyTaskDelay = true;
    else if (Array.isArray(task.Services) && task.Services.length > 0) warnings.push(`task "${String(task.Name)}" in group "${String(group.Name)}" defines services, but has no shutdown_delay set`);
  }
  const groupDelay = group.ShutdownDelay !== null && group.ShutdownDelay !== undefined && Number(group.ShutdownDelay) > 0;
  if (unscopedGroupService && !groupDelay && !anyTaskDelay) warnings.push(`group "${String(group.Name)}" defines services, but neither the group nor any of its tasks have shutdown_delay set`);
  return warnings;
}

/** `memoryOversubscriptionValidate`, when oversubscription is off. */
function memoryMaxWarnings(job: JobObject): string[] {
  return job.TaskGroups.flatMap((group) =>
    ((group.Tasks as Json[] | null | undefined) ?? [])
      .filter((task) => Number((task.Resources as Json | null | undefined)?.MemoryMaxMB ?? 0) !== 0)
      .map((task) => `Memory oversubscription is not enabled; Task "${String(group.Name)}.${String(task.Name)}" memory_max value will be ignored. Update the Scheduler Configuration to allow oversubscription.`),
  );
}
