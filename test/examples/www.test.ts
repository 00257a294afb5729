/** The www example app over real HTTP on 127.0.0.1: what the job's smoke checks and Fabio expect. */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../examples/apps/www/app.ts';
import { escapeHtml } from '../../examples/apps/www/pages.ts';
import { wwwConfig } from './fixtures.ts';
import { metric, request, serveApp, type ServedApp } from './harness.ts';

describe('the www example app', () => {
  let served: ServedApp | undefined;
  afterEach(async () => {
    await served?.server.shutdown('test over');
    served = undefined;
  });

  it('serves the storefront page and its script, with the api base from API_BASE_URL', async () => {
    served = await serveApp((log) => createApp(wwwConfig({ API_BASE_URL: 'https://shop.example.com/api?x="1"' }), { log }));
    const page = await request(`${served.url}/`);
    expect([page.status, page.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    expect(page.body).toMatch(/<html/); // the smoke check's bodyPattern
    expect(page.body).toContain('<meta name="api-base-url" content="https://shop.example.com/api?x=&#34;1&#34;">');
    const script = await request(`${served.url}/app.js`);
    expect([script.status, script.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(script.body).toContain("base + '/products?limit=12'");
    expect((await request(`${served.url}/cart`)).status).toBe(404);
  });

  it('answers exactly "ok" on /healthz, as the smoke check ^ok$ wants', async () => {
    served = await serveApp((log) => createApp(wwwConfig(), { log }));
    expect(await request(`${served.url}/healthz`)).toMatchObject({ status: 200, body: 'ok' });
  });

  it('counts the page and the chaos knob\'s 503s under route "index"', async () => {
    served = await serveApp((log) => createApp(wwwConfig({ EXAMPLE_ERROR_RATIO: '0.5' }), { log }));
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await request(`${served.url}/`)).status);
    expect(statuses).toEqual([200, 503, 200, 503, 200, 503]);
    expect(await metric(served.url, 'http_requests_total{code="503",route="index",method="GET"}')).toBe(3);
    expect(await metric(served.url, 'http_requests_total{code="200",route="index",method="GET"}')).toBe(3);
  });

  it('escapes the characters HTML gives meaning to', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });
});
