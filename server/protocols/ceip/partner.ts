// The Partner query string (MS-CCEIP 2.2.1): `Partner=<url>`, also `partner=`, the value maybe in
// double quotes (as in the 4.1 example) and percent-encoded. Valid = an absolute http(s) URL.

export type PartnerParse = { ok: true; url: string } | { ok: false; reason: string };

export function partnerFromQuery(search: string): PartnerParse {
  const pairs = search.replace(/^\?/, '').split('&').filter(Boolean);
  const hit = pairs.find((p) => /^partner=/i.test(p));
  if (!hit) return { ok: false, reason: 'no Partner= in the query string' };
  let value = hit.slice(hit.indexOf('=') + 1);
  try {
    value = decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return { ok: false, reason: `Partner value is not valid percent-encoding: ${hit.slice(0, 200)}` };
  }
  value = value
    .trim()
    .replace(/^"(.*)"$/s, '$1')
    .trim();
  if (!value) return { ok: false, reason: 'Partner= is empty' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: `Partner "${value.slice(0, 200)}" is not an absolute URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `Partner "${value.slice(0, 200)}" is not an http or https URL` };
  return { ok: true, url: value };
}
