/**
 * The Fabio facts other modules need without rendering fabio.properties: kept apart from
 * fabio-properties.ts, whose handlebars import (~15 ms) `drover validate` then does not load
 * (its cluster version check reads only the version).
 */

/** Consul KV prefix Fabio watches for manual route commands (default `/fabio/config`). */
export const FABIO_KV_PATH = '/fabio/config';

/** The Fabio release drover renders fabio.properties for (and jobs/fabio.ts downloads). */
export const FABIO_VERSION = '1.7.3';
