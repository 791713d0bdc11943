// Level-2 destinations of Corporate Error Reporting v2 (MS-CER2 2.2.2 DumpFile, 2.2.3): the path a
// level-1 answer issues, the lookup key of a level-2 PUT's target, and the fileshare segments.

const MAX_SEGMENT = 64;
const MAX_REQUEST_PATH = 1024;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Names Windows reserves for devices, with or without an extension. */
const RESERVED_RE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i;

/**
 * Makes one path segment out of untrusted text: only [A-Za-z0-9._-] (anything else → "_"), at most
 * 64 characters, never ".", ".." or a trailing dot (Windows drops those), never a Windows device
 * name (prefixed "_"), never empty.
 */

/** Control characters (C0 and DEL): never part of a path this service issues. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x1f\x7f]/;
export function sanitizeSegment(s: string): string {
  let out = '';
  for (const ch of s) out += /^[A-Za-z0-9._-]$/.test(ch) ? ch : '_';
  if (RESERVED_RE.test(out)) out = '_' + out;
  out = out.slice(0, MAX_SEGMENT).replace(/\.+$/, (dots) => '_'.repeat(dots.length));
  return out === '' ? '_' : out;
}

interface DumpParts {
  eventType: string;
  bucket: number;
  uuid: string;
}

/** Our own values: a bad one is a bug in the caller, so it throws. */
function checked(p: DumpParts): { eventType: string; bucket: string; uuid: string } {
  if (!Number.isSafeInteger(p.bucket) || p.bucket < 0) throw new Error(`dump-path: bucket must be a non-negative integer, got ${p.bucket}`);
  if (!UUID_RE.test(p.uuid)) throw new Error(`dump-path: uuid must be a UUID, got ${JSON.stringify(p.uuid)}`);
  return { eventType: sanitizeSegment(p.eventType), bucket: String(p.bucket), uuid: p.uuid.toLowerCase() };
}

/**
 * Segments of a stored file under the fileshare root, built only from sanitized parts:
 * `['PersistedCabs', <eventtype>, <bucket>, '<uuid>.<ext>']`. Throws on a bad uuid, bucket or ext.
 *
 * @example
 * path.join(root, ...fileshareRelPath({ eventType: 'APPCRASH', bucket: 100, uuid, ext: 'cab' }))
 */
export function fileshareRelPath(parts: DumpParts & { ext: 'cab' | 'xml' }): string[] {
  if (parts.ext !== 'cab' && parts.ext !== 'xml') throw new Error(`dump-path: ext must be cab or xml, got ${JSON.stringify(parts.ext)}`);
  const c = checked(parts);
  return ['PersistedCabs', c.eventType, c.bucket, `${c.uuid}.${parts.ext}`];
}

/**
 * The DumpFile a level-1 answer issues (INTERFACE.md): `\PersistedCabs\<eventtype>\<bucket>\<uuid>.cab`,
 * the same segments as the cab's place on the fileshare.
 *
 * @example
 * issueDumpPath({ eventType: 'APPCRASH', bucket: 100, uuid: '8747c307-c461-42ba-abf5-7fd98d8bb0ec' })
 * // '\\PersistedCabs\\APPCRASH\\100\\8747c307-c461-42ba-abf5-7fd98d8bb0ec.cab'
 */
export function issueDumpPath(parts: DumpParts): string {
  return '\\' + fileshareRelPath({ ...parts, ext: 'cab' }).join('\\');
}

/**
 * Where the fileshare copies of a report go (INTERFACE.md): named after the DumpFile issued,
 * whatever its form, each of its folders and its file name made safe with sanitizeSegment. The
 * cabinet takes the file name; the level-1 report the same name with `.xml` (a final `.cab`
 * replaced, else added), so both lie side by side, never on each other.
 *
 * @example
 * fileshareCopyPath('\\PersistedCabs\\Blue\\c2428d43-b50a-4622-9d55-cce4602834b3.cab', 'xml')
 * // ['PersistedCabs', 'Blue', 'c2428d43-b50a-4622-9d55-cce4602834b3.xml']
 * fileshareCopyPath('\\PersistedCabs\\Generic\\MikeTest\\41ed848b-30fe-4db5-92e9-7745d2ceb2b8', 'xml')
 * // ['PersistedCabs', 'Generic', 'MikeTest', '41ed848b-30fe-4db5-92e9-7745d2ceb2b8.xml']
 */
export function fileshareCopyPath(dumpFile: string, ext: 'cab' | 'xml'): string[] {
  const raw = dumpFile.split(/[\\/]+/).filter((seg) => seg !== '');
  const segs = (raw.length ? raw : ['_']).map(sanitizeSegment);
  if (ext === 'xml') {
    const last = segs.length - 1;
    // Room for ".xml" within the segment limit, so a long name cannot lose it and land on the cabinet.
    segs[last] = sanitizeSegment(segs[last].replace(/\.cab$/i, '').slice(0, MAX_SEGMENT - 4) + '.xml');
  }
  return segs;
}

const isDotsOnly = (seg: string): boolean => /^\.+$/.test(seg);

/**
 * Segments of a decoded path, or null when it tries to leave the root: "."/".." (any dots-only
 * segment), a Windows device prefix ("\\?\"), or a drive letter ("C:").
 */
function segmentsOf(decoded: string): string[] | null {
  const slashed = decoded.replace(/\\/g, '/').replace(/^\/+/, '');
  if (/^[A-Za-z]:/.test(slashed)) return null;
  const segs = slashed.split(/\/+/);
  if (segs.some(isDotsOnly) || segs[0] === '?') return null;
  return segs;
}

/**
 * The lookup key of a level-2 PUT's target (INTERFACE.md: "exactly as issued … backslashes or
 * slashes, percent-encoded or not"), or null, which matches nothing. Apply it to the issued path
 * and to the request's path and compare the keys.
 *
 * Steps: a raw "?" and what follows (the query) is dropped; percent-decode once (malformed or
 * not UTF-8 → null); "\" → "/"; the leading run of slashes and
 * backslashes is the root and is dropped; repeated separators collapse; lower-cased.
 * Null for: longer than 1024, NUL or other control characters, "."/".." segments (also after a
 * second decoding, so "%252e%252e" is refused too), a drive letter ("C:\", "c:/"), "\\?\".
 *
 * A leading "\\" is the root, not a UNC server: MS-CER2 4.1 step 8 shows the client PUTting
 * `\\PersistedCabs\...` for an issued `\PersistedCabs\...`. That is safe because the key is never a
 * filesystem path (files are written under fileshareRelPath), and "\\server\share" only finds an
 * issued `\server\share`.
 *
 * @example
 * normalizeDumpPath('\\\\PersistedCabs\\Blue\\X.cab') === normalizeDumpPath('/persistedcabs/blue/x.cab') // 'persistedcabs/blue/x.cab'
 */
export function normalizeDumpPath(requestPath: string): string | null {
  if (requestPath.length > MAX_REQUEST_PATH) return null;
  // RFC 3986 3.4: a raw "?" starts the query, which is not part of the path (req.url carries it).
  const q = requestPath.indexOf('?');
  const pathPart = q < 0 ? requestPath : requestPath.slice(0, q);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    return null;
  }
  if (CONTROL.test(decoded)) return null;
  const segs = segmentsOf(decoded);
  if (!segs) return null;
  // Refuse double-encoded traversal ("..%252f"): harmless to us, but never something we issued.
  let twice: string | null = null;
  try {
    twice = decodeURIComponent(decoded);
  } catch {
    // not decodable a second time: nothing hidden
  }
  if (twice !== null && (CONTROL.test(twice) || !segmentsOf(twice))) return null;
  const key = segs.join('/').toLowerCase();
  return key === '' ? null : key;
}
