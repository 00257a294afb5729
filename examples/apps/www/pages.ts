/** The storefront's page and script, as pure functions of its configuration. */
import { type Answer, html } from '../shared/answers.ts';

/** `GET /`: the shell page; its script fills in the products from the api. */
export function indexPage(apiBaseUrl: string): Answer {
  return html(200, [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<title>Example shop</title>',
    `<meta name="api-base-url" content="${escapeHtml(apiBaseUrl)}">`,
    '<script src="/app.js" defer></script>',
    '</head>',
    '<body>',
    '<h1>Example shop</h1>',
    '<ul id="products"><li>Loading products…</li></ul>',
    '</body>',
    '</html>',
    '',
  ].join('\n'));
}

/** `GET /app.js`: lists the first products from `<api-base-url>/products`. */
export const APP_SCRIPT: Answer = {
  status: 200,
  contentType: 'text/javascript; charset=utf-8',
  body: `const base = document.querySelector('meta[name="api-base-url"]').content;
const list = document.getElementById('products');
fetch(base + '/products?limit=12')
  .then((r) => (r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status))))
  .then((products) => {
    list.replaceChildren(...products.map((p) => {
      const item = document.createElement('li');
      item.textContent = p.name + ' — ' + (p.priceCents / 100).toFixed(2);
      return item;
    }));
  })
  .catch((error) => { list.textContent = 'Products are unavailable (' + error.message + ').'; });
`,
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
