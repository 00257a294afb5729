import type { NomadNetwork, NomadPort, NomadTaskGroup, NomadVolumeRequest } from '../../wire/nomad-job.ts';
import { placementBlocks } from './placement.ts';
import { migrateBlock, rescheduleBlock, restartBlock, scalingBlock, updateBlock } from './policies.ts';
import { serviceBlock } from './service.ts';
import { attr, block, durationAttr, mapAttr, optionalBlock, sortedRecord, type HclItem } from './syntax.ts';
import { taskBlock } from './task.ts';

/** A `group` block: placement, network, services, volumes, policies, then its tasks in order. */
export function groupBlock(group: NomadTaskGroup): HclItem[] {
  return block('group', [group.Name], [
    ...attr('count', group.Count),
    ...durationAttr('shutdown_delay', group.ShutdownDelay),
    ...mapAttr('meta', group.Meta),
    ...placementBlocks(group),
    ...(group.Networks ?? []).flatMap((network) => networkBlock(network, group.Name)),
    ...(group.Services ?? []).flatMap(serviceBlock),
    ...volumeBlocks(group.Volumes),
    ...updateBlock(group.Update),
    ...restartBlock(group.RestartPolicy),
    ...rescheduleBlock(group.ReschedulePolicy),
    ...migrateBlock(group.Migrate),
    ...scalingBlock(group.Scaling),
    ...optionalBlock('ephemeral_disk', group.EphemeralDisk, (disk) => attr('size', disk.SizeMB)),
    ...group.Tasks.flatMap(taskBlock),
  ]);
}

/**
 * HCL has a single `port "label" {}` block; Nomad's parser files ports with `static > 0` under
 * ReservedPorts and the rest under DynamicPorts (jobspec2 `normalizeNetworkPorts`), keeping their
 * order. So reserved ports are written first with `static`, dynamic ones without it, which
 * reproduces both lists exactly. A wire port that contradicts its list could not survive that
 * split, so it is refused rather than silently moved.
 */
function networkBlock(network: NomadNetwork, groupName: string): HclItem[] {
  const reserved = network.ReservedPorts ?? [];
  const dynamic = network.DynamicPorts ?? [];
  for (const port of reserved) {
    if (!(port.Value > 0)) throw new Error(`internal: group "${groupName}" reserved port "${port.Label}" has no static value`);
  }
  for (const port of dynamic) {
    if (port.Value !== 0) throw new Error(`internal: group "${groupName}" dynamic port "${port.Label}" has static value ${port.Value}`);
  }
  return block('network', [], [
    ...attr('mode', network.Mode),
    ...reserved.flatMap((port) => portBlock(port, true)),
    ...dynamic.flatMap((port) => portBlock(port, false)),
  ]);
}

function portBlock(port: NomadPort, reserved: boolean): HclItem[] {
  return block('port', [port.Label], [
    ...attr('static', reserved ? port.Value : undefined),
    ...attr('to', port.To),
    ...attr('host_network', port.HostNetwork),
  ]);
}

function volumeBlocks(volumes: Readonly<Record<string, NomadVolumeRequest>> | undefined): HclItem[] {
  return Object.entries(sortedRecord(volumes ?? {})).flatMap(([key, volume]) => {
    // The map key is what volume_mount refers to; the wire repeats it as Name.
    if (volume.Name !== key) throw new Error(`internal: volume "${key}" is named "${volume.Name}"`);
    return block('volume', [key], [
      ...attr('type', volume.Type),
      ...attr('source', volume.Source),
      ...attr('read_only', volume.ReadOnly),
      ...attr('access_mode', volume.AccessMode),
      ...attr('attachment_mode', volume.AttachmentMode),
      ...attr('per_alloc', volume.PerAlloc),
    ]);
  });
}
