// CER helpers for e2e tests: a node:http(s) client that sends a request path byte for byte (fetch
// would normalize "\", "%2e%2e" and "//"), for level-1 POSTs and level-2 PUTs, and a tree lister.
// WERREPORT bodies come from the public builders (server/testing: buildWerReport).

import fs from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { parseLevel1Answer } from '../../server/protocols/cer/answer';

export interface CerReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** The body read as a level-1 answer (key → value). */
  answer: Record<string, string>;
  requestId: number;
}

/**
 * Sends one request with `requestPath` exactly as given (no URL normalization), on a fresh
 * connection. `ca` trusts a self-signed certificate for https URLs.
 */
export function cerRequest(baseUrl: string, init: { method?: string; path: string; body?: Buffer; headers?: Record<string, string>; ca?: Buffer }): Promise<CerReply> {
  const u = new URL(baseUrl);
  const body = init.body ?? Buffer.alloc(0);
  const client = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      {
        host: u.hostname,
        port: u.port,
        method: init.method ?? 'POST',
        path: init.path,
        agent: false,
        ca: init.ca,
        headers: { 'content-length': String(body.length), ...init.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const all = Buffer.concat(chunks);
          // windows-1252 and latin1 agree on everything the tests send back.
          const text = all.toString('latin1');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: all, text, answer: parseLevel1Answer(text), requestId: Number(res.headers['x-mock-request-id']) });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** POST /stage2.htm (MS-CER2 4.1 step 5). */
export const postReport = (baseUrl: string, body: Buffer, opts: { headers?: Record<string, string>; ca?: Buffer; path?: string } = {}) =>
  cerRequest(baseUrl, { method: 'POST', path: opts.path ?? '/stage2.htm', body, headers: opts.headers, ca: opts.ca });

/** PUT of a level-2 cabinet to `requestPath`, sent as is. */
export const putCab = (baseUrl: string, requestPath: string, cab: Buffer, opts: { headers?: Record<string, string>; ca?: Buffer } = {}) =>
  cerRequest(baseUrl, { method: 'PUT', path: requestPath, body: cab, headers: opts.headers, ca: opts.ca });

/** A DumpFile (`\PersistedCabs\…`) as a request path with slashes: `/PersistedCabs/…`. */
export const slashed = (dumpFile: string): string => dumpFile.replace(/\\/g, '/');

/** Every file and folder under `dir`, as sorted paths relative to it ("/" separators). */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      out.push(path.relative(dir, full).split(path.sep).join('/') + (e.isDirectory() ? '/' : ''));
      if (e.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out.sort();
}
