/** Project-relative folder of an environment's rendered cluster files (apart from the renderer, which loads handlebars). */
export function clusterOutputDir(envName: string): string {
  return `cluster/${envName}`;
}
