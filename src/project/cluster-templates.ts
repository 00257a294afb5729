import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CLUSTER_TEMPLATE_NAMES, type ClusterTemplates } from '../render/cluster/render-cluster.ts';

const TEMPLATES_DIR = new URL('../render/cluster/templates/', import.meta.url);

/** The handlebars templates `renderCluster` takes, read from drover's own tree (rendering itself reads no files). */
export async function readClusterTemplates(): Promise<ClusterTemplates> {
  const entries = await Promise.all(CLUSTER_TEMPLATE_NAMES.map(async (name) => [name, await readFile(fileURLToPath(new URL(`${name}.hbs`, TEMPLATES_DIR)), 'utf8')] as const));
  return Object.fromEntries(entries) as ClusterTemplates;
}
