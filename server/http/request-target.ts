// Request-targets as clients send them (RFC 7230 5.3) and as Node's HTTP parser takes them. A CER
// client PUTs the DumpFile exactly as issued (`\PersistedCabs\…`, MS-CER2 2.2.2; `\\…` in 4.1 step
// 8), which the parser refuses; the connection pre-parser marks such a target so it parses, and
// the dispatcher unmarks it. Pure: no sockets here.

/**
 * Prefix of a marked target. Marking is lossless: every target that does not start with `/` is
 * marked, and so is every target that starts with the marker itself.
 */
export const TARGET_MARKER = '/~sqm-cer-mock-target~/';

/** RFC 7230 5.3.2 absolute-form: scheme "://" authority; the authority ends at `/`, `\`, `?` or `#`. */
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/\\?#]*/;

/** True when Node's parser could refuse the target, or when it could be taken for a marked one. */
export function needsMarking(method: string, target: string): boolean {
  // RFC 7230 5.3.3 authority-form (CONNECT) and 5.3.4 asterisk-form are the parser's own business.
  if (method === 'CONNECT' || target === '*') return false;
  return !target.startsWith('/') || target.startsWith(TARGET_MARKER);
}

/** The target as sent: the marker taken off a marked one. */
export const unmarkTarget = (url: string): string => (url.startsWith(TARGET_MARKER) ? url.slice(TARGET_MARKER.length) : url);

/**
 * The request line with its target marked when `needsMarking` says so, else null (leave it as is).
 * `line` is one request line with its line ending, read as latin1 (byte for byte).
 *
 * @example
 * markRequestLine('PUT \\PersistedCabs\\x.cab HTTP/1.1\r\n') // 'PUT /~sqm-cer-mock-target~/\\PersistedCabs\\x.cab HTTP/1.1\r\n'
 */
export function markRequestLine(line: string): string | null {
  const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) ([^ \r\n]+)( [^\r\n]*)?(\r?\n)$/.exec(line);
  if (!m || !needsMarking(m[1], m[2])) return null;
  return `${m[1]} ${TARGET_MARKER}${m[2]}${m[3] ?? ''}${m[4]}`;
}

/**
 * The origin-form of a target (RFC 7230 5.3.2: a server MUST accept the absolute-form): its path
 * and query; any other target unchanged.
 *
 * @example
 * originForm('http://cer.corp:1273/stage2.htm') // '/stage2.htm'
 * originForm('http://cer.corp\\PersistedCabs\\x.cab') // '\\PersistedCabs\\x.cab'
 */
export function originForm(target: string): string {
  const m = ABSOLUTE_FORM.exec(target);
  if (!m) return target;
  const rest = target.slice(m[0].length);
  return rest === '' || rest.startsWith('?') || rest.startsWith('#') ? '/' + rest : rest;
}
