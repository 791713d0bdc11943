// The Partner query string (MS-CCEIP 2.2.1, 3.1.3): found case-insensitively among the pairs, the
// value unquoted (the 4.1 example quotes it), decoded when percent-encoded, a literal URL kept as
// written with its own query; valid = an absolute http(s) URL.

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
    ['encoded, then another pair: the encoded value ends at the next &', `partner=${ENCODED}&x=1`, SERVICE],
    // Issue 12: a URL with a query of its own, as clients write it.
    ['quoted, its own query kept whole', 'Partner="http://x/a?b=1&c=2"', 'http://x/a?b=1&c=2'],
    ['quoted with its own query, then another pair', 'partner="http://x/a?b=1&c=2"&d=3', 'http://x/a?b=1&c=2'],
    ['unquoted and literal: the rest of the query is the URL (2.2.1 Url = 1*CHAR)', 'partner=http://x/a?b=1&c=2', 'http://x/a?b=1&c=2'],
    ['unquoted and literal, up to another Partner=', 'partner=http://x/a?b=1&c=2&PARTNER=http://y/', 'http://x/a?b=1&c=2'],
    // A URL, not form text: `+` stays `+`, a literal URL keeps its own escapes.
    ['+ is kept', 'partner=https://sqm.example/a+b?q=1+2', 'https://sqm.example/a+b?q=1+2'],
    ['+ is kept in quotes', 'partner="https://sqm.example/a+b"', 'https://sqm.example/a+b'],
    ['+ is kept at the end', 'partner=https://sqm.example/a+', 'https://sqm.example/a+'],
    ['a literal URL keeps its escapes', 'partner=https://sqm.example/a%2Bb?q=%26', 'https://sqm.example/a%2Bb?q=%26'],
    ['an encoded URL is decoded once', `partner=${encodeURIComponent('https://sqm.example/a%2Bb')}`, 'https://sqm.example/a%2Bb'],
  ];
  it.each(cases)('%s', (_name, query, url) => {
    expect(partnerFromQuery(query)).toMatchObject({ ok: true, url });
  });

  it.each<[string, string, { quoted: boolean; encoded: boolean }]>([
    ['the 4.1 example', `partner="${SERVICE}"`, { quoted: true, encoded: false }],
    ['the ABNF', `Partner=${SERVICE}`, { quoted: false, encoded: false }],
    ['encoded in quotes', `partner=%22${ENCODED}%22`, { quoted: true, encoded: true }],
  ])('reports the form: %s', (_name, query, form) => {
    expect(partnerFromQuery(query)).toMatchObject({ ok: true, form });
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
    ['only + (a +, not a space)', 'partner=+', /not an absolute URL/],
    ['+ around empty quotes', 'partner=+""+', /empty/],
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
