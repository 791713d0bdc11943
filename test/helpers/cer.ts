// CER helpers for e2e tests: WERREPORT documents (MS-CER2 2.2.1) built from parts, UTF-16LE with a
// BOM as Windows sends them, and a node:http(s) client that sends a request path byte for byte
// (fetch would normalize "\", "%2e%2e" and "//"), for level-1 POSTs and level-2 PUTs.

import fs from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { parseLevel1Answer } from '../../server/protocols/cer/answer';

export interface WerParts {
  machine?: Record<string, string> | null;
  user?: Record<string, string> | null;
  application?: Record<string, string> | null;
  event?: Record<string, string> | null;
  parameters?: { id: string; name?: string; value: string }[];
  secondaryParameters?: { name: string; value: string }[];
  files?: { filename: string; filetype: string }[] | null;
  /** Put before the root element (a DOCTYPE, say). */
  prolog?: string;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const attrs = (a: Record<string, string>): string => Object.entries(a).map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
const element = (name: string, a: Record<string, string> | null | undefined): string => (a ? `<${name}${attrs(a)}/>\n` : '');

/** The MS-CER2 4.1 report's parts (its first two PARAMETERs); override any of them. */
export const DEFAULT_PARTS: Required<Omit<WerParts, 'prolog'>> = {
  machine: { machinename: 'client-machine.corp.cliendomain.com', os: '6.1.6561.2.0.0.256.1', lcid: '1033' },
  user: { username: 'Username' },
  application: { appname: 'WER GPF Test Utility', apppath: 'E:\\tools\\GPFMe.exe', appcompany: 'Test Corporation' },
  event: { reporttype: '2', eventtime: '128496925196486378', eventtype: 'APPCRASH', friendlyeventname: 'Stopped working' },
  parameters: [
    { id: '0', name: 'Application Name', value: 'GPFMe.exe' },
    { id: '1', name: 'Application Version', value: '6.0.4082.0' },
  ],
  secondaryParameters: [],
  files: [{ filename: 'Version.txt', filetype: '5' }],
};

/**
 * A WERREPORT document as text. `null` drops an element; parameters are written in the order given.
 * @example werXml({ event: { ...DEFAULT_PARTS.event, eventtype: 'MyEvent' } })
 */
export function werXml(parts: WerParts = {}): string {
  const p = { ...DEFAULT_PARTS, ...parts };
  const signature = [
    ...p.parameters.map((x) => element('PARAMETER', x)),
    ...p.secondaryParameters.map((x) => element('SECONDARYPARAMETER', x)),
  ].join('');
  const files = p.files ? `<FILES>\n${p.files.map((f) => element('FILE', f)).join('')}</FILES>\n` : '';
  return '<?xml version="1.0" encoding="UTF-16"?>\n' + (parts.prolog ?? '') +
    '<WERREPORT xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
    element('MACHINEINFO', p.machine) + element('USERINFO', p.user) + element('APPLICATIONINFO', p.application) +
    element('EVENTINFO', p.event) + `<SIGNATURE>\n${signature}</SIGNATURE>\n` + files + '</WERREPORT>\n';
}

/** Text as Windows sends a level-1 report: UTF-16LE after the BOM FF FE. */
export const utf16 = (text: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

/** A report built from parts, UTF-16LE with a BOM. */
export const werReport = (parts: WerParts = {}): Buffer => utf16(werXml(parts));

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
    const req = client.request({
      host: u.hostname, port: u.port, method: init.method ?? 'POST', path: init.path, agent: false, ca: init.ca,
      headers: { 'content-length': String(body.length), ...init.headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const all = Buffer.concat(chunks);
        // windows-1252 and latin1 agree on everything the tests send back.
        const text = all.toString('latin1');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: all, text, answer: parseLevel1Answer(text), requestId: Number(res.headers['x-mock-request-id']) });
      });
    });
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
