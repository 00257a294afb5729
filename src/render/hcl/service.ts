import type { NomadService, NomadServiceCheck } from '../../wire/nomad-job.ts';
import { attr, block, durationAttr, listAttr, mapBlock, optionalBlock, type HclItem } from './syntax.ts';

/** A group `service` block with its checks. */
export function serviceBlock(service: NomadService): HclItem[] {
  return block('service', [], [
    ...attr('name', service.Name),
    ...attr('port', service.PortLabel),
    ...attr('provider', service.Provider),
    ...listAttr('tags', service.Tags),
    ...listAttr('canary_tags', service.CanaryTags),
    // Nomad decodes service meta only in block form (no `meta = {}` shortcut as for job meta).
    ...mapBlock('meta', service.Meta, `service "${service.Name}"`),
    ...(service.Checks ?? []).flatMap(checkBlock),
  ]);
}

function checkBlock(check: NomadServiceCheck): HclItem[] {
  return block('check', [], [
    ...attr('name', check.Name),
    ...attr('type', check.Type),
    ...attr('port', check.PortLabel),
    ...attr('path', check.Path),
    ...attr('method', check.Method),
    ...attr('protocol', check.Protocol),
    ...attr('tls_skip_verify', check.TLSSkipVerify),
    ...attr('grpc_service', check.GRPCService),
    ...attr('grpc_use_tls', check.GRPCUseTLS),
    ...attr('command', check.Command),
    ...listAttr('args', check.Args),
    ...attr('task', check.TaskName),
    ...durationAttr('interval', check.Interval),
    ...durationAttr('timeout', check.Timeout),
    ...optionalBlock('check_restart', check.CheckRestart, (r) => [
      ...attr('limit', r.Limit),
      ...durationAttr('grace', r.Grace),
      ...attr('ignore_warnings', r.IgnoreWarnings),
    ]),
  ]);
}
