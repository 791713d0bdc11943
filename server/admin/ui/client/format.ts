// Pure helpers of the page (no DOM): hex dump rows, filters, what an answer set up, copy as curl,
// HAR 1.2 of one request, and the line of a scenario error. Unit-tested in format.test.ts.

import type { RequestDetail, RequestRow } from './types';

export const BYTES_PER_ROW = 16;

/** One hex dump row: its offset, each byte as two hex digits, and the ASCII column (`.` for the rest). */
export function hexRow(bytes: Uint8Array, row: number): { offset: string; hex: string[]; ascii: string[] } {
  const start = row * BYTES_PER_ROW;
  const hex: string[] = [];
  const ascii: string[] = [];
  for (let i = start; i < Math.min(start + BYTES_PER_ROW, bytes.length); i++) {
    const b = bytes[i];
    hex.push(b.toString(16).padStart(2, '0'));
    ascii.push(b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.');
  }
  return { offset: start.toString(16).padStart(8, '0'), hex, ascii };
}

export interface ListFilter {
  protocol?: string;
  /** `2`, `3`, `4`, `5` (status class) or `none` (no answer: a fault). */
  statusClass?: string;
  partner?: string;
  rule?: string;
  hasFindings?: boolean;
  /** Over path and rule name, case-insensitive. */
  search?: string;
}

export const statusClass = (status: number | null): string => (status === null || status === 0 ? 'none' : String(Math.floor(status / 100)));

export function matches(r: RequestRow, f: ListFilter, findings: number): boolean {
  if (f.protocol && r.protocol !== f.protocol) return false;
  if (f.statusClass && statusClass(r.status) !== f.statusClass) return false;
  if (f.partner && r.partner !== f.partner) return false;
  if (f.rule && (r.ruleName ?? '(default)') !== f.rule) return false;
  if (f.hasFindings && findings === 0) return false;
  if (f.search) {
    const s = f.search.toLowerCase();
    if (!r.path.toLowerCase().includes(s) && !(r.ruleName ?? '').toLowerCase().includes(s)) return false;
  }
  return true;
}

/** What this answer told the client to do next (INTERFACE.md section 5): throttles, tokens, DumpFiles, challenges. */
export function setUpRules(d: Pick<RequestDetail, 'protocol' | 'status' | 'responseHeaders' | 'responseBody'>): string[] {
  const out: string[] = [];
  const body = d.responseBody ?? '';
  // MS-SQMCS 3.1.5.2.2: the values are sent in double quotes (ThrottleInterval: "7").
  const header = (name: string) =>
    Object.entries(d.responseHeaders)
      .find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1]
      ?.replace(/^"(.*)"$/, '$1');
  if (d.protocol === 'sqm-v1') {
    if (d.status === 403) out.push('fixed throttle: no upload for 14 days');
    const throttle = header('ThrottleInterval');
    if (throttle) out.push(`throttle: no upload for ${throttle} days`);
    const manifest = header('ManifestVersion');
    if (manifest) out.push(`manifest version ${manifest} announced: fetch Sqm${manifest}.bin`);
  }
  for (const m of body.matchAll(/<cmd nm="(approved|throttle|error|rsrc)">(.*?)<\/cmd>/g)) {
    const args = Object.fromEntries([...m[2].matchAll(/<arg nm="([^"]+)" val="([^"]*)"/g)].map((a) => [a[1], a[2]]));
    if (m[1] === 'approved') out.push(`token issued ${args.token ?? ''} (expires FILETIME ${args.tokenexp ?? args.tm ?? '?'})`);
    if (m[1] === 'throttle') out.push(`throttle: ${args.period ?? '?'} days at namespace ${args.namespace ?? '?'}`);
    if (m[1] === 'error') out.push(`error retrv=${args.retrv ?? '?'}${args.retrv === '0' ? ': do not send this data again' : ': retry after 8 hours'}`);
    if (m[1] === 'rsrc' && args.path) out.push(`manifest ${args.ver ?? ''} at ${args.path}: fetch it`);
  }
  if (d.protocol === 'cer') {
    const dump = /^DumpFile=(.*)$/m.exec(body)?.[1]?.trim();
    const iData = /^iData=(\d)/m.exec(body)?.[1];
    if (dump) out.push(`DumpFile issued ${dump}${iData === '1' ? ' (iData=1: upload the cabinet)' : ''}`);
    if (d.status === 401) out.push('authentication challenge: send the next leg');
  }
  return out;
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
/** Headers curl sets itself, or that would be wrong when the request is sent again. */
const SKIP = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'accept-encoding']);

/** The request as a curl command; the body from the file the page's "Download body" saves. */
export function curlCommand(d: Pick<RequestDetail, 'id' | 'method' | 'path' | 'headers' | 'bodySize'>, origin: string): string {
  const parts = ['curl', '-X', d.method, shellQuote(origin + d.path)];
  for (const [k, v] of d.headers) if (!SKIP.has(k.toLowerCase())) parts.push('-H', shellQuote(`${k}: ${v}`));
  if (d.bodySize > 0) parts.push('--data-binary', `@request-${d.id}-body.bin`);
  return parts.join(' ');
}

const base64 = (bytes: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

/** HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) of one captured request, body base64. */
export function harOf(d: RequestDetail, body: Uint8Array, origin: string, creator = 'sqm-cer-mock'): unknown {
  const url = new URL(d.path, origin);
  const reqType = d.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? 'application/octet-stream';
  const resBody = d.responseBody ?? '';
  return {
    log: {
      version: '1.2',
      creator: { name: creator, version: '1' },
      entries: [
        {
          startedDateTime: d.receivedAt,
          time: 0,
          request: {
            method: d.method,
            url: url.href,
            httpVersion: `HTTP/${d.httpVersion ?? '1.1'}`,
            cookies: [],
            headers: d.headers.map(([name, value]) => ({ name, value })),
            queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
            postData: { mimeType: reqType, text: base64(body), encoding: 'base64' },
            headersSize: -1,
            bodySize: d.bodySize,
          },
          response: {
            status: d.status ?? 0,
            statusText: '',
            httpVersion: `HTTP/${d.httpVersion ?? '1.1'}`,
            cookies: [],
            headers: Object.entries(d.responseHeaders).map(([name, value]) => ({ name, value })),
            content: { size: resBody.length, mimeType: d.responseHeaders['content-type'] ?? '', text: resBody },
            redirectURL: '',
            headersSize: -1,
            bodySize: resBody.length,
          },
          cache: {},
          timings: { send: 0, wait: 0, receive: 0 },
          comment: `request ${d.id}, protocol ${d.protocol}, rule ${d.ruleName ?? '(default)'}`,
        },
      ],
    },
  };
}

/** Every line named in a scenario error (`… (line 5): …`, `line 2, column 1: …`), in order, once each. */
export function errorLines(message: string): number[] {
  const lines = [...message.matchAll(/\(line (\d+)\)|\bline (\d+), column \d+/g)].map((m) => Number(m[1] ?? m[2]));
  return [...new Set(lines)];
}

/** The innermost range (the deepest; the shortest on ties) that holds `offset`, or -1. */
export function innermost(ranges: readonly { start: number; end: number; depth: number; space?: string }[], offset: number): number {
  let best = -1;
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i];
    if (r.space !== undefined || offset < r.start || offset >= r.end) continue;
    const b = ranges[best];
    if (best < 0 || r.depth > b.depth || (r.depth === b.depth && r.end - r.start < b.end - b.start)) best = i;
  }
  return best;
}

/** XML with one element per line, indented by depth (text kept as sent). */
export function prettyXml(xml: string): string {
  const out: string[] = [];
  let depth = 0;
  for (const m of xml.matchAll(/<[^>]+>|[^<]+/g)) {
    const t = m[0];
    if (!t.startsWith('<')) {
      if (t.trim()) out.push('  '.repeat(depth) + t.trim());
      continue;
    }
    if (t.startsWith('</')) depth = Math.max(0, depth - 1);
    out.push('  '.repeat(depth) + t);
    if (!t.startsWith('</') && !t.startsWith('<?') && !t.startsWith('<!') && !t.endsWith('/>')) depth++;
  }
  return out.join('\n');
}
