/**
 * Grafana provisioning for one environment: the Prometheus data source the dashboards name by
 * uid, and a file provider that loads `grafana/<env>/dashboards/` into a folder of its own.
 * @see https://grafana.com/docs/grafana/latest/administration/provisioning/
 */
import type { Environment } from '../config/environment.ts';
import { GENERATED_MARKER } from '../secrets/derive.ts';
import { datasourceUid } from './naming.ts';
import { quote } from './promql.ts';

/** Where Grafana finds the dashboards: mount `grafana/<env>/dashboards/` here. */
export function dashboardsMountPath(env: string): string {
  return `/var/lib/grafana/dashboards/drover-${env}`;
}

/** `provisioning/datasources/drover.yml`: Prometheus of `env`, by the uid every panel uses. */
export function renderDatasourceYaml(env: Environment): string {
  const address = env.prometheus?.address ?? 'http://127.0.0.1:9090';
  const note = env.prometheus ? `environments/${env.name}.ts prometheus.address` : `environments/${env.name}.ts sets no prometheus; a local one is assumed`;
  return [
    `# ${GENERATED_MARKER}; source: environments/${env.name}.ts via src/dashboards/provisioning.ts`,
    `# The Prometheus every drover dashboard of ${env.name} queries (uid ${datasourceUid(env.name)}); url from ${note}.`,
    'apiVersion: 1',
    'datasources:',
    `  - name: ${quote(`Prometheus (${env.name})`)}`,
    '    type: prometheus',
    `    uid: ${datasourceUid(env.name)}`,
    '    access: proxy',
    `    url: ${quote(address)}`,
    '    isDefault: false',
    '    editable: false',
    '    jsonData:',
    `      timeInterval: ${quote(env.prometheus?.scrapeInterval ?? '15s')}`,
    '',
  ].join('\n');
}

/** `provisioning/dashboards/drover.yml`: a read-only file provider for `env`'s dashboards. */
export function renderDashboardProviderYaml(env: Environment): string {
  return [
    `# ${GENERATED_MARKER}; source: src/dashboards/provisioning.ts`,
    `# Loads grafana/${env.name}/dashboards/*.json, mounted at ${dashboardsMountPath(env.name)}, into the folder "drover ${env.name}".`,
    'apiVersion: 1',
    'providers:',
    `  - name: ${quote(`drover-${env.name}`)}`,
    `    folder: ${quote(`drover ${env.name}`)}`,
    `    folderUid: ${quote(`drover-${env.name}`)}`,
    '    type: file',
    '    disableDeletion: true',
    '    allowUiUpdates: false',
    '    updateIntervalSeconds: 60',
    '    options:',
    `      path: ${quote(dashboardsMountPath(env.name))}`,
    '      foldersFromFilesStructure: false',
    '',
  ].join('\n');
}
