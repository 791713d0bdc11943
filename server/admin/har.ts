// GET /__admin/requests?format=har: the captured requests as an HTTP Archive (HAR 1.2), so captures
// open in browser devtools and HAR tools. Bodies are base64 (`encoding: "base64"`), the request's as
// captured (cut at its route's limit: `_bodyTruncated`), the answer's as sent before any fault.

import fs from 'node:fs';
import { STATUS_CODES } from 'node:http';
import path from 'node:path';
import { LazyList } from '../core/query';
import type { Queries, RequestRow } from '../store';

type NameValue = { name: string; value: string };

const header = (headers: Record<string, string | string[]> | [string, string][], name: string): string | undefined => {
  const pairs = Array.isArray(headers)
    ? headers
    : Object.entries(headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]]));
  return pairs.find(([k]) => k.toLowerCase() === name)?.[1];
};

/** The version of the package this file is part of (HAR `creator.version`). */
function packageVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'sqm-cer-mock') return pkg.version ?? '0.0.0';
    } catch {
      // no package.json here: one folder up
    }
  }
  return '0.0.0';
}
/** This package's version (HAR creator, OpenAPI info). */
export const PACKAGE_VERSION = packageVersion();

/** The absolute URL of a captured target: absolute-form as is, else the scheme and Host it was sent to. */
function urlOf(target: string, host: string | undefined, scheme: string): string {
  if (/^https?:\/\//i.test(target)) return target;
  return `${scheme}://${host ?? 'localhost'}${target.startsWith('/') ? '' : '/'}${target}`;
}

function queryString(target: string): NameValue[] {
  const q = target.indexOf('?');
  return q < 0 ? [] : [...new URLSearchParams(target.slice(q + 1))].map(([name, value]) => ({ name, value }));
}

function entry(q: Queries, row: RequestRow, scheme: string) {
  const d = q.request(row.id)!;
  const body = q.requestBody(row.id) ?? Buffer.alloc(0);
  const responseBody = d.responseBody ?? Buffer.alloc(0);
  const httpVersion = `HTTP/${row.httpVersion ?? '1.1'}`;
  const responseHeaders: NameValue[] = Object.entries(d.responseHeaders).flatMap(([name, v]) => (Array.isArray(v) ? v : [v]).map((value) => ({ name, value: String(value) })));
  return {
    startedDateTime: row.receivedAt,
    time: row.durationMs,
    request: {
      method: row.method,
      url: urlOf(row.path, header(d.headers, 'host'), scheme),
      httpVersion,
      cookies: [],
      headers: d.headers.map(([name, value]) => ({ name, value })),
      queryString: queryString(row.path),
      ...(row.bodySize > 0 ? { postData: { mimeType: header(d.headers, 'content-type') ?? 'application/octet-stream', text: body.toString('base64'), encoding: 'base64' } } : {}),
      headersSize: -1,
      bodySize: row.bodySize,
    },
    response: {
      // A fault sent no status (-1 in the store); HAR's 0 is "no response".
      status: Math.max(0, row.status),
      statusText: STATUS_CODES[row.status] ?? '',
      httpVersion,
      cookies: [],
      headers: responseHeaders,
      content: { size: responseBody.length, mimeType: header(d.responseHeaders, 'content-type') ?? '', text: responseBody.toString('base64'), encoding: 'base64' },
      redirectURL: header(d.responseHeaders, 'location') ?? '',
      headersSize: -1,
      bodySize: row.status < 0 ? 0 : responseBody.length,
    },
    cache: {},
    timings: { send: 0, wait: row.durationMs, receive: 0 },
    ...(d.remoteAddress ? { _remoteAddress: d.remoteAddress } : {}),
    _requestId: row.id,
    _protocol: row.protocol,
    _ruleName: row.ruleName,
    _fault: row.fault,
    _bodyTruncated: row.bodyTruncated,
  };
}

/**
 * The HAR document of these rows; entries are made while the answer is written (LazyList).
 * @example sendJsonStream(res, 200, harOf(q, page.rows, 'http'))
 */
export function harOf(q: Queries, rows: RequestRow[], scheme: string) {
  return {
    log: {
      version: '1.2',
      creator: { name: 'sqm-cer-mock', version: PACKAGE_VERSION },
      entries: new LazyList(rows.length, function* () {
        for (const row of rows) yield entry(q, row, scheme);
      }),
    },
  };
}
