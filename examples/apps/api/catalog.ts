/**
 * The api's product catalog and its answers, as pure functions. The catalog is built in: this
 * example opens no database connection (the repository carries no Postgres driver), though it
 * requires the database settings a real backend needs.
 */
import { type Answer, json } from '../shared/answers.ts';

export interface Product {
  readonly id: number;
  readonly name: string;
  readonly priceCents: number;
}

export const CATALOG: readonly Product[] = [
  { id: 1, name: 'Espresso beans, 1 kg', priceCents: 2490 },
  { id: 2, name: 'Pour-over kettle', priceCents: 5900 },
  { id: 3, name: 'Ceramic dripper', priceCents: 2200 },
  { id: 4, name: 'Paper filters (100)', priceCents: 690 },
  { id: 5, name: 'Burr grinder', priceCents: 12900 },
  { id: 6, name: 'Milk jug, 350 ml', priceCents: 1890 },
  { id: 7, name: 'Tamper, 58 mm', priceCents: 3450 },
  { id: 8, name: 'Cupping spoon', priceCents: 990 },
];

/** The most products one page can hold. */
export const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 20;

/** `GET /products?limit=N`: the first N products, a JSON array. */
export function listProducts(catalog: readonly Product[], limit: string | null): Answer {
  const count = limit === null ? DEFAULT_LIMIT : /^\d+$/.test(limit) ? Number(limit) : Number.NaN;
  if (!(count >= 1 && count <= MAX_LIMIT)) return json(400, { error: `limit must be an integer from 1 to ${MAX_LIMIT}` });
  return json(200, catalog.slice(0, count));
}

/** `GET /products/<id>`: one product, or 404. */
export function productById(catalog: readonly Product[], id: string | undefined): Answer {
  const found = catalog.find((p) => String(p.id) === id);
  return found ? json(200, found) : json(404, { error: `no product ${JSON.stringify(id ?? '')}` });
}
