// The Partner query string (MS-CCEIP 2.2.1, 3.1.3): found case-insensitively among the pairs, the
// value percent-decoded and unquoted (the 4.1 example quotes it); valid = an absolute http(s) URL.

import { partnerFromQuery } from './partner';

const SERVICE = 'https://sqm.microsoft.com/sqm/windows/sqmserver.dll';
const ENCODED = encodeURIComponent(SERVICE); // https%3A%2F%2Fsqm.microsoft.com%2F…

describe('partnerFromQuery: accepted', () => {
  const cases: [string, string, string][] = [
    ['the 4.1 example: lower-case, double quotes', `partner="${SERVICE}"`, SERVICE],
    ['the 2.2.1 ABNF: Partner=, no quotes', `Partner=${SERVICE}`, SERVICE],
    ['upper case name', `PARTNER=${SERVICE}`, SERVICE],
    ['with the leading ?', `?partner=${SERVICE}`, SERVICE],
    ['quotes percent-encoded', `partner=%22${SERVICE}%22`, SERVICE],
    ['fully percent-encoded, quoted', `partner=${encodeURIComponent(`"${SERVICE}"`)}`, SERVICE],
    ['fully percent-encoded, no quotes', `Partner=${ENCODED}`, SERVICE],
    ['among other pairs', `a=1&partner="${SERVICE}"&b=2`, SERVICE],
    ['the first Partner= wins', `partner=${SERVICE}&partner=http://other.example/`, SERVICE],
    ['white space around the quotes', `partner=%20%22${SERVICE}%22%20`, SERVICE],
    ['http, with a port and a query of its own (encoded)', `partner=${encodeURIComponent('http://ceip.example:8080/up?x=1&y=2')}`, 'http://ceip.example:8080/up?x=1&y=2'],
    // Form encoding (as URLSearchParams reads a query): `+` is a space, `%2B` a plus.
    ['+ is a space', 'partner=https://sqm.example/a+b', 'https://sqm.example/a b'],
    ['%2B is a plus', 'partner=https://sqm.example/a%2Bb', 'https://sqm.example/a+b'],
  ];
  it.each(cases)('%s', (_name, query, url) => {
    expect(partnerFromQuery(query)).toEqual({ ok: true, url });
  });
});

describe('partnerFromQuery: refused (MS-CCEIP 3.1.3: no parameter, or an invalid one)', () => {
  const cases: [string, string, RegExp][] = [
    ['empty query', '', /no Partner=/],
    ['other pairs only', 'a=1&b=2', /no Partner=/],
    ['a longer name is not Partner', `partners=${SERVICE}`, /no Partner=/],
    ['Partner without =', 'partner', /no Partner=/],
    ['empty value', 'partner=', /empty/],
    ['empty quotes', 'partner=""', /empty/],
    ['only + (a space)', 'partner=+', /empty/],
    ['broken percent-encoding', 'partner=%ZZhttps://sqm.example/', /percent-encoding/],
    ['not a URL', 'partner=not%20a%20url', /not an absolute URL/],
    ['a relative path', 'partner=/sqm/windows/sqmserver.dll', /not an absolute URL/],
    ['one quote only', `partner="${SERVICE}`, /not an absolute URL/],
    ['ftp', 'partner=ftp://sqm.example/upload', /not an http or https URL/],
    ['file', 'partner=file:///etc/passwd', /not an http or https URL/],
    ['mailto', 'partner=mailto:sqm@example.com', /not an http or https URL/],
  ];
  it.each(cases)('%s', (_name, query, reason) => {
    const r = partnerFromQuery(query);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toMatch(reason);
  });

  it('quotes at most 200 characters of a long bad value in its reason', () => {
    const r = partnerFromQuery(`partner=${'x'.repeat(5000)}`);
    expect(r.ok ? '' : r.reason.length).toBeLessThan(300);
  });
});
