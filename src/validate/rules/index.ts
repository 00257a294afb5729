import type { Rule } from '../rule.ts';
import { checkHttpPathRule } from './check-http-path.ts';
import { checkRestartRule } from './check-restart.ts';
import { checkScriptRule } from './check-script.ts';
import { checkTimingRule } from './check-timing.ts';
import { checkTypeRule } from './check-type.ts';
import { configKeyRule } from './config-key.ts';
import { duplicateStaticPortRule } from './duplicate-static-port.ts';
import { durationFormatRule } from './duration-format.ts';
import { fabioHealthCheckRule } from './fabio-health-check.ts';
import { fabioRedirectRule } from './fabio-redirect.ts';
import { fabioRouteHostRule } from './fabio-route-host.ts';
import { fabioRouteKindRule } from './fabio-route-kind.ts';
import { fabioRoutePathRule } from './fabio-route-path.ts';
import { fabioStripPrefixRule } from './fabio-strip-prefix.ts';
import { fabioTcpPortRule } from './fabio-tcp-port.ts';
import { fabioTlsSkipVerifyRule } from './fabio-tls-skip-verify.ts';
import { fabioUniqueRouteRule } from './fabio-unique-route.ts';
import { groupCountRule } from './group-count.ts';
import { groupNameRule } from './group-name.ts';
import { jobDatacentersRule } from './job-datacenters.ts';
import { jobDependencyCycleRule } from './job-dependency-cycle.ts';
import { jobDependsOnRule } from './job-depends-on.ts';
import { jobDescriptionRule } from './job-description.ts';
import { jobGroupsRule } from './job-groups.ts';
import { jobIdRule } from './job-id.ts';
import { jobKindRule } from './job-kind.ts';
import { jobPriorityRule } from './job-priority.ts';
import { jobReservedIdRule } from './job-reserved-id.ts';
import { logsSinkRule } from './logs-sink.ts';
import { memoryMaxRule } from './memory-max.ts';
import { periodicCronRule } from './periodic-cron.ts';
import { periodicJobKindRule } from './periodic-job-kind.ts';
import { periodicTimeZoneRule } from './periodic-time-zone.ts';
import { placementAffinityRule } from './placement-affinity.ts';
import { placementConstraintRule } from './placement-constraint.ts';
import { placementSpreadRule } from './placement-spread.ts';
import { portLabelsRule } from './port-labels.ts';
import { portMappingRule } from './port-mapping.ts';
import { portRangeRule } from './port-range.ts';
import { scalingJobKindRule } from './scaling-job-kind.ts';
import { scalingRangeRule } from './scaling-range.ts';
import { scalingTargetRule } from './scaling-target.ts';
import { secretKeyRule } from './secret-key.ts';
import { secretPathRule } from './secret-path.ts';
import { secretPlainCredentialRule } from './secret-plain-credential.ts';
import { secretProcessEnvRule } from './secret-process-env.ts';
import { serviceMetaRule } from './service-meta.ts';
import { serviceNameRule } from './service-name.ts';
import { serviceShutdownDelayRule } from './service-shutdown-delay.ts';
import { smokePathRule } from './smoke-path.ts';
import { smokePatternRule } from './smoke-pattern.ts';
import { smokeRequestRule } from './smoke-request.ts';
import { smokeRouteRule } from './smoke-route.ts';
import { smokeStatusRule } from './smoke-status.ts';
import { smokeTimingRule } from './smoke-timing.ts';
import { staticPortCollisionRule } from './static-port-collision.ts';
import { taskDriverRule } from './task-driver.ts';
import { envDuplicateRule } from './task-env-duplicate.ts';
import { envNameRule } from './task-env-name.ts';
import { taskImageRule } from './task-image.ts';
import { taskLifecycleRule } from './task-lifecycle.ts';
import { taskMainRule } from './task-main.ts';
import { taskNameRule } from './task-name.ts';
import { taskResourcesRule } from './task-resources.ts';
import { templateDestinationRule } from './template-destination.ts';
import { updateCanariesRule } from './update-canaries.ts';
import { updateCanaryPromotionRule } from './update-canary-promotion.ts';
import { updateDeadlinesRule } from './update-deadlines.ts';
import { updateProgressiveCanaryRule } from './update-progressive-canary.ts';
import { updateJobKindRule } from './update-job-kind.ts';
import { updateMaxParallelRule } from './update-max-parallel.ts';
import { updateMaxParallelCountRule } from './update-max-parallel-count.ts';
import { updateAutoPromoteRule } from './update-auto-promote.ts';
import { volumeMountRule } from './volume-mount.ts';
import { volumeUnusedRule } from './volume-unused.ts';
import { jobUnknownKeyRule } from './unknown-keys.ts';
import { waitForRule } from './wait-for.ts';

/** Every rule `drover validate` runs, in no particular order (output is sorted). */
export const rules: readonly Rule[] = [
  checkHttpPathRule,
  checkRestartRule,
  checkScriptRule,
  checkTimingRule,
  checkTypeRule,
  configKeyRule,
  duplicateStaticPortRule,
  durationFormatRule,
  fabioHealthCheckRule,
  fabioRedirectRule,
  fabioRouteHostRule,
  fabioRouteKindRule,
  fabioRoutePathRule,
  fabioStripPrefixRule,
  fabioTcpPortRule,
  fabioTlsSkipVerifyRule,
  fabioUniqueRouteRule,
  groupCountRule,
  groupNameRule,
  jobDatacentersRule,
  jobDependencyCycleRule,
  jobDependsOnRule,
  jobDescriptionRule,
  jobGroupsRule,
  jobIdRule,
  jobReservedIdRule,
  jobKindRule,
  jobPriorityRule,
  logsSinkRule,
  memoryMaxRule,
  periodicCronRule,
  periodicJobKindRule,
  periodicTimeZoneRule,
  placementAffinityRule,
  placementConstraintRule,
  placementSpreadRule,
  portLabelsRule,
  portMappingRule,
  portRangeRule,
  scalingJobKindRule,
  scalingRangeRule,
  scalingTargetRule,
  secretKeyRule,
  secretPathRule,
  secretPlainCredentialRule,
  secretProcessEnvRule,
  serviceMetaRule,
  serviceNameRule,
  serviceShutdownDelayRule,
  smokePathRule,
  smokePatternRule,
  smokeRequestRule,
  smokeRouteRule,
  smokeStatusRule,
  smokeTimingRule,
  staticPortCollisionRule,
  taskDriverRule,
  envDuplicateRule,
  envNameRule,
  taskImageRule,
  taskLifecycleRule,
  taskMainRule,
  taskNameRule,
  taskResourcesRule,
  templateDestinationRule,
  updateCanariesRule,
  updateCanaryPromotionRule,
  updateProgressiveCanaryRule,
  updateDeadlinesRule,
  updateJobKindRule,
  updateMaxParallelRule,
  updateMaxParallelCountRule,
  updateAutoPromoteRule,
  volumeMountRule,
  volumeUnusedRule,
  waitForRule,
  jobUnknownKeyRule,
];
