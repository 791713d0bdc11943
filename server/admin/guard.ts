// What keeps a web page out of a token-less admin API: a Host the listener answers to (no DNS
// rebinding) and no state change from another origin or as a browser form (no CSRF). curl, scripts
// and the typed client send no Origin or Sec-Fetch-* header and are not affected; --admin-token
// replaces these checks with the token.

import type { NextFunction, Request, Response } from 'express';
import type { MockConfig } from '../config';
import { sendError } from './json';

/** Body types an HTML form (or a no-cors fetch) sends to another origin without a CORS preflight. */
const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `localhost:8080` → `localhost`; `[::1]:8080` → `::1`; lower case, without a trailing dot. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  const name = h.startsWith('[') ? h.slice(1, h.indexOf(']') < 0 ? undefined : h.indexOf(']')) : h.replace(/:\d*$/, '');
  return name.replace(/\.$/, '');
}

/** An IPv4 dotted quad, or an IPv6 literal (a host name never holds ":"; hostName took off the brackets). */
const isIpLiteral = (name: string): boolean =>
  name.includes(':') ? /^[0-9a-f:.]+$/.test(name) : /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(name);

/** `--admin-allowed-hosts a.example,b.example` (or `*`) as a list of names. */
export const allowedHostList = (flag: string | undefined): string[] =>
  (flag ?? '')
    .split(',')
    .map((s) => hostName(s))
    .filter((s) => s !== '');

/**
 * Whether the admin API answers a request whose Host header names `host`: an IP literal, a
 * loopback name (`localhost`, `*.localhost`), the `--host` bind address, or a listed name (`*`: any).
 * A name a page's DNS could point at 127.0.0.1 (rebinding) is none of those.
 */
export function hostAllowed(host: string, bindHost: string, allowed: readonly string[]): boolean {
  const name = hostName(host);
  if (isIpLiteral(name) || name === 'localhost' || name.endsWith('.localhost')) return true;
  return name === hostName(bindHost) || allowed.includes('*') || allowed.includes(name);
}

/** Why a state-changing request looks like it came from another site's page, or null. */
export function crossSiteReason(req: { method: string; headers: Request['headers'] }, scheme: 'http' | 'https'): string | null {
  if (SAFE_METHODS.has(req.method)) return null;
  const { origin, host } = req.headers;
  const site = req.headers['sec-fetch-site'];
  const mode = req.headers['sec-fetch-mode'];
  if (origin !== undefined && !sameOrigin(origin, `${scheme}://${host ?? ''}`)) return `Origin ${origin} is not this listener (${scheme}://${host ?? '?'})`;
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site: ${String(site)}`;
  const browser = origin !== undefined || site !== undefined || mode === 'navigate' || mode === 'no-cors';
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (req.method === 'POST' && browser && FORM_TYPES.has(type)) return `a browser's POST with Content-Type ${type} (send JSON: application/json)`;
  return null;
}

function sameOrigin(origin: string, expected: string): boolean {
  try {
    return new URL(origin).origin === new URL(expected).origin;
  } catch {
    return false; // "null" (a sandboxed or file: page) or garbage
  }
}

/** The admin API's guard without --admin-token: the Host check on every request, the CSRF checks on state changes. */
export function browserGuard(config: MockConfig) {
  const allowed = allowedHostList(config.adminAllowedHosts);
  const scheme = config.tlsCert ? 'https' : 'http';
  return (req: Request, res: Response, next: NextFunction) => {
    const host = req.headers.host;
    if (host !== undefined && !hostAllowed(host, config.host, allowed)) {
      const hint = `allow it with --admin-allowed-hosts ${hostName(host)}, or use --admin-token`;
      return sendError(res, 403, 'HOST_NOT_ALLOWED', `Host ${host} is not a name this admin API answers to (DNS rebinding guard; ${hint})`);
    }
    const why = crossSiteReason(req, scheme);
    if (why) return sendError(res, 403, 'CROSS_ORIGIN', `refused a cross-site ${req.method} ${req.originalUrl}: ${why} (CSRF guard; use --admin-token for browser access)`);
    next();
  };
}

/** Byte answers of the admin API are downloads: never sniffed or rendered by a browser. */
export function sendDownload(res: Response, bytes: Buffer, contentType: string, filename?: string): void {
  res
    .status(200)
    .set({
      'content-type': contentType,
      'x-content-type-options': 'nosniff',
      'content-disposition': filename ? `attachment; filename="${filename}"` : 'attachment',
    })
    .send(bytes);
}
