// The Partner query string (MS-CCEIP 2.2.1): `Partner=<url>`, also `partner=`, the value maybe in
// double quotes (as in the 4.1 example), literal or percent-encoded. Valid = an absolute http(s) URL.
// The ABNF is `"Partner=" Url`, `Url = 1*CHAR`: the URL is the rest of the query, not a form field,
// so a literal URL keeps its own query (`&` included) and its `+`; see partnerFromQuery.

export type PartnerParse = { ok: true; url: string; form: PartnerForm } | { ok: false; reason: string };

/** How the value was written: quoted or not, literal or percent-encoded. */
export interface PartnerForm {
  quoted: boolean;
  encoded: boolean;
}

const NAME = /(?:^|&)partner=/i;
/** A value that is itself a URL (not percent-encoded): `http://` or `https://` as written. */
const LITERAL_URL = /^https?:\/\//i;
/** Space around an unquoted value: literal or `%20` (a `+` there belongs to the URL). */
const SPACE = /^(?: |%20)+|(?: |%20)+$/gi;
/** A closing quote (literal or `%22`), then maybe space, then the end or the next pair. */
const CLOSING = /(?:"|%22)(?: |%20|\+)*(?=&|$)/i;

/**
 * The partner URL of a request's query string (without or with its leading `?`).
 *
 * - The first `Partner=` (any case) at the start or after `&` is the one.
 * - Quoted (`"` or `%22`): the value ends at the closing quote that ends the pair, so a quoted URL
 *   keeps its own query whole: `partner="http://x/a?b=1&c=2"`.
 * - Unquoted and literal (`http://…`): the value is the rest of the query (2.2.1: `Url = 1*CHAR`)
 *   up to a following `&partner=`; `partner=http://x/a?b=1&c=2` is `http://x/a?b=1&c=2`.
 * - Unquoted and percent-encoded (`https%3A%2F%2F…`): its own `&` would be `%26`, so it ends at
 *   the next `&`, and it is decoded once.
 * - A literal URL is kept as written (its escapes belong to it); `+` is never a space: the value is
 *   a URL, not application/x-www-form-urlencoded text, and a URL holds no spaces.
 *
 * @example
 * partnerFromQuery('partner="http://x/a?b=1&c=2"') // { ok: true, url: 'http://x/a?b=1&c=2', form: { quoted: true, encoded: false } }
 */
export function partnerFromQuery(search: string): PartnerParse {
  const query = search.replace(/^\?/, '');
  const name = NAME.exec(query);
  if (!name) return { ok: false, reason: 'no Partner= in the query string' };
  const rest = query.slice(name.index + name[0].length);
  const raw = valueOf(rest);
  const encoded = !LITERAL_URL.test(raw.value);
  let value = raw.value;
  if (encoded) {
    try {
      value = decodeURIComponent(value);
    } catch {
      return { ok: false, reason: `Partner value is not valid percent-encoding: ${rest.slice(0, 200)}` };
    }
  }
  value = value.trim();
  if (!value) return { ok: false, reason: 'Partner= is empty' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: `Partner "${value.slice(0, 200)}" is not an absolute URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `Partner "${value.slice(0, 200)}" is not an http or https URL` };
  return { ok: true, url: value, form: { quoted: raw.quoted, encoded } };
}

/** The value's characters as written (quotes and surrounding space removed), and whether it was quoted. */
function valueOf(rest: string): { value: string; quoted: boolean } {
  const open = /^(?: |%20|\+)*(?:"|%22)/i.exec(rest);
  if (open) {
    const inner = rest.slice(open[0].length);
    const close = CLOSING.exec(inner);
    if (close && close.index > 0) return { value: inner.slice(0, close.index), quoted: true };
    if (close) return { value: '', quoted: true };
  }
  // Unquoted (or a quote that never closes, left in: then it is no URL). Space around quotes may
  // also be written `+`; around an unquoted value a `+` is part of it.
  const literal = LITERAL_URL.test(rest.replace(SPACE, ''));
  const end = literal ? rest.search(/&partner=/i) : rest.indexOf('&');
  return { value: (end < 0 ? rest : rest.slice(0, end)).replace(SPACE, ''), quoted: false };
}
