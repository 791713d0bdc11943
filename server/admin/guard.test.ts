// The token-less admin API's guard (guard.ts): which Host names it answers to (DNS rebinding) and
// which state changes it takes for a web page's (CSRF). End to end: test/e2e/admin-guard.test.ts.

import { allowedHostList, crossSiteReason, hostAllowed, hostName } from './guard';

describe('hostName', () => {
  it.each([
    ['localhost:8080', 'localhost'],
    ['LOCALHOST', 'localhost'],
    ['[::1]:8080', '::1'],
    ['[::1]', '::1'],
    ['example.test.:80', 'example.test'],
    ['10.0.0.1:1', '10.0.0.1'],
  ])('%s → %s', (host, name) => expect(hostName(host)).toBe(name));
});

describe('hostAllowed', () => {
  const allowed = allowedHostList('mock.test, Other.Test ,');
  it.each<[string, string, boolean]>([
    ['localhost:8080', '127.0.0.1', true],
    ['api.localhost:8080', '127.0.0.1', true],
    ['127.0.0.1:8080', '127.0.0.1', true],
    ['[::1]:8080', '127.0.0.1', true],
    ['192.168.1.5:8080', '0.0.0.0', true],
    ['mock.test:8080', '127.0.0.1', true],
    ['other.test', '127.0.0.1', true],
    ['buildhost:8080', 'buildhost', true],
    ['evil.example:8080', '127.0.0.1', false],
    ['localhost.evil.example', '127.0.0.1', false],
    ['mock.test.evil.example', '127.0.0.1', false],
    ['', '127.0.0.1', false],
    ['1.2.3.4.evil.example', '127.0.0.1', false],
    ['256.1.1.1', '127.0.0.1', false],
    ['[fe80::1%25eth0]:80', '127.0.0.1', false],
    ['[::ffff:127.0.0.1]:80', '127.0.0.1', true],
  ])('Host %j with --host %s: %s', (host, bind, ok) => expect(hostAllowed(host, bind, allowed)).toBe(ok));

  it('"*" allows any name', () => expect(hostAllowed('evil.example', '127.0.0.1', allowedHostList('*'))).toBe(true));
});

describe('crossSiteReason', () => {
  const req = (method: string, headers: Record<string, string>) => ({ method, headers: { host: '127.0.0.1:8080', ...headers } });
  it.each<[string, string, Record<string, string>, RegExp | null]>([
    ['curl -X POST', 'POST', {}, null],
    ['curl --data-binary (a form type, no Origin)', 'PUT', { 'content-type': 'application/x-www-form-urlencoded' }, null],
    ["Node's fetch with a string body", 'POST', { 'content-type': 'text/plain;charset=UTF-8', 'sec-fetch-mode': 'cors' }, null],
    ['a same-origin JSON POST', 'POST', { origin: 'http://127.0.0.1:8080', 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' }, null],
    ['a GET from anywhere', 'GET', { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }, null],
    ['another Origin', 'POST', { origin: 'http://evil.example' }, /^Origin http:\/\/evil\.example is not this listener/],
    ['another port', 'DELETE', { origin: 'http://127.0.0.1:9' }, /^Origin/],
    ['Origin: null', 'POST', { origin: 'null' }, /^Origin null/],
    ['Sec-Fetch-Site: cross-site', 'POST', { 'sec-fetch-site': 'cross-site' }, /^Sec-Fetch-Site: cross-site/],
    ['a form navigation', 'POST', { 'sec-fetch-mode': 'navigate', 'content-type': 'multipart/form-data; boundary=b' }, /Content-Type multipart\/form-data/],
    ['a same-origin page posting text/plain', 'POST', { origin: 'http://127.0.0.1:8080', 'content-type': 'Text/Plain' }, /Content-Type text\/plain/],
  ])('%s', (_name, method, headers, why) => {
    const got = crossSiteReason(req(method, headers), 'http');
    if (why === null) expect(got).toBeNull();
    else expect(got).toMatch(why);
  });

  it('compares the scheme too: an http Origin on an https listener is another origin', () => {
    expect(crossSiteReason(req('POST', { origin: 'http://127.0.0.1:8080' }), 'https')).toMatch(/^Origin/);
    expect(crossSiteReason(req('POST', { origin: 'https://127.0.0.1:8080' }), 'https')).toBeNull();
  });
});
