import { describe, expect, it } from 'vitest';
import { renderUrlprefixTag, routeKey } from '../../../src/render/fabio-tags.ts';

describe('Fabio urlprefix tags', () => {
  it.each([
    [{ path: '/css' }, 'urlprefix-/css'],
    [{ host: 'i.com', path: '/static' }, 'urlprefix-i.com/static'],
    [{ host: 'MySite.com' }, 'urlprefix-mysite.com/'],
    [{ path: '/foo/bar', strip: '/foo' }, 'urlprefix-/foo/bar strip=/foo'],
    [{ path: '/foo/bar', proto: 'https', tlsSkipVerify: true }, 'urlprefix-/foo/bar proto=https tlsskipverify=true'],
    [{ path: '/my.service', proto: 'grpcs' }, 'urlprefix-/my.service proto=grpcs'],
    [{ path: '/', proto: 'http' }, 'urlprefix-/'],
    [{ kind: 'tcp', port: 3306 }, 'urlprefix-:3306 proto=tcp'],
    [{ kind: 'redirect', path: '/path', code: 301, to: 'https://www.example.com/' }, 'urlprefix-/path redirect=301,https://www.example.com/'],
  ] as const)('renders %j as %s', (route, tag) => {
    expect(renderUrlprefixTag(route)).toBe(tag);
  });

  it('separates route and options by the first space only, as Fabio parses them', () => {
    const tag = renderUrlprefixTag({ host: 'a.example.com', path: '/x', strip: '/x', proto: 'https', tlsSkipVerify: true });
    const [route, ...options] = tag.slice('urlprefix-'.length).split(' ');
    expect(route).toBe('a.example.com/x');
    expect(options).toEqual(['proto=https', 'strip=/x', 'tlsskipverify=true']);
  });

  it('keys routes by host and path case-insensitively, and TCP routes by port', () => {
    expect(routeKey({ host: 'A.example.com', path: '/' })).toBe(routeKey({ host: 'a.example.com' }));
    expect(routeKey({ kind: 'tcp', port: 1 })).not.toBe(routeKey({ kind: 'tcp', port: 2 }));
  });
});
