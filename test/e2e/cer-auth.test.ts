// CER authentication end to end (MS-CER2 1.7, 2.1; MS-NLMP): real NTLM clients — curl --ntlm and the
// httpntlm package — run the three legs against a listening mock; NTLM raw inside Negotiate, as
// Windows sends it; the 401 offering every scheme; cer.credentials verifying NTLMv2 and Basic.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as httpntlm from 'httpntlm';
import { decodeChallenge, encodeAuthenticate } from '../../server/codecs/ntlm/messages';
import { lmV2Response, ntlmV2Response } from '../../server/codecs/ntlm/ntlmv2';
import { buildWerReport } from '../../server/testing';
import { useMock } from '../helpers/lifecycle';

const mock = useMock();
const run = promisify(execFile);
const report = buildWerReport();
const CREDENTIALS = [{ user: 'alice', domain: 'CORP', password: 'S3cret!' }];
const findingRules = async () => (await mock.client.violations({ level: 'all' })).map((v) => v.rule);

describe('curl --ntlm (a real NTLMv2 client)', () => {
  let curlNtlm = false;
  let file = '';
  beforeAll(async () => {
    curlNtlm = /\bNTLM\b/.test((await run('curl', ['-V'])).stdout);
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cer-auth-')), 'report.xml');
    fs.writeFileSync(file, report);
  });
  const curl = async (user: string, extra: string[] = []) => {
    const { stdout } = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--ntlm', '-u', user, '--data-binary', `@${file}`, ...extra, `${mock.url}/stage2.htm`]);
    return Number(stdout);
  };

  it.each([
    ['no credentials configured: any well-formed type 3', undefined, 'CORP\\alice:anything', 200, null],
    ['cer.credentials, the right password', CREDENTIALS, 'CORP\\alice:S3cret!', 200, true],
  ])('%s → %d; user and domain stored', async (_n, credentials, user, status, verified) => {
    if (!curlNtlm) return console.warn('skipped: this curl has no NTLM (curl -V lists no NTLM feature)');
    await mock.client.setScenario({ cer: { requireAuth: 'ntlm', credentials } });
    expect(await curl(user)).toBe(status);
    // Leg 1 (type 1, empty body) got 401 with the type 2, leg 3 the report's answer: never cer.empty.
    expect((await mock.client.requests()).map((r) => r.status)).toEqual([401, 200]);
    expect(await mock.client.cerAuth()).toMatchObject([{ scheme: 'NTLM', user: 'alice', domain: 'CORP', verified }]);
    expect(await findingRules()).not.toContain('cer.empty');
    expect(await findingRules()).toContain('cer.auth-plain-http');
    expect(await mock.client.cerReports()).toHaveLength(1);
  });

  it('cer.credentials, a wrong password → 401 and cer.auth-credentials', async () => {
    if (!curlNtlm) return console.warn('skipped: this curl has no NTLM (curl -V lists no NTLM feature)');
    await mock.client.setScenario({ cer: { requireAuth: 'ntlm', credentials: CREDENTIALS } });
    expect(await curl('CORP\\alice:wrong')).toBe(401);
    expect(await mock.client.cerReports()).toEqual([]);
    expect(await findingRules()).toContain('cer.auth-credentials');
  });

  // (curl --anyauth would pick Negotiate and, with no Kerberos ticket, send no token: curl's limit, not the mock's.)
  it('a 401 offering Negotiate and NTLM (as IIS does): curl finds NTLM among the headers and gets through', async () => {
    if (!curlNtlm) return console.warn('skipped: this curl has no NTLM (curl -V lists no NTLM feature)');
    await mock.client.setScenario({ cer: { requireAuth: ['negotiate', 'ntlm'], credentials: CREDENTIALS } });
    expect(await curl('CORP\\alice:S3cret!')).toBe(200);
    expect(await mock.client.cerAuth()).toMatchObject([{ scheme: 'NTLM', user: 'alice', verified: true }]);
  });
});

describe('httpntlm (an npm NTLM client)', () => {
  const post = (o: { username: string; password: string }) =>
    new Promise<httpntlm.NtlmResponse>((resolve, reject) =>
      httpntlm.post({ url: `${mock.url}/stage2.htm`, domain: 'CORP', workstation: 'WS01', body: report, ...o }, (e, res) => (e ? reject(e) : resolve(res))),
    );

  it('the right password → 200 with the level-1 answer; user, domain, workstation stored and verified', async () => {
    await mock.client.setScenario({ cer: { requireAuth: 'ntlm', credentials: CREDENTIALS } });
    const res = await post({ username: 'alice', password: 'S3cret!' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/^Bucket=\d+/m);
    expect(await mock.client.cerAuth()).toMatchObject([{ scheme: 'NTLM', user: 'alice', domain: 'CORP', workstation: 'WS01', verified: true }]);
  });

  it('a wrong password → 401', async () => {
    await mock.client.setScenario({ cer: { requireAuth: 'ntlm', credentials: CREDENTIALS } });
    expect((await post({ username: 'alice', password: 'nope' })).statusCode).toBe(401);
    expect(await mock.client.cerAuth()).toEqual([]);
  });
});

/** Requests on one keep-alive connection (NTLM authenticates the connection, MS-NLMP 1.3.1.1). */
function connection() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const send = (headers: Record<string, string>, body: Buffer = Buffer.alloc(0)) =>
    new Promise<{ status: number; raw: string[]; wwwAuth: string[] }>((resolve, reject) => {
      const req = http.request(`${mock.url}/stage2.htm`, { method: 'POST', agent, headers: { 'content-length': String(body.length), ...headers } }, (res) => {
        res.resume();
        res.on('end', () => {
          const wwwAuth = res.rawHeaders.filter((_, i) => i % 2 === 1 && res.rawHeaders[i - 1].toLowerCase() === 'www-authenticate');
          resolve({ status: res.statusCode ?? 0, raw: res.rawHeaders, wwwAuth });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}

describe('NTLM inside Negotiate (RFC 4559), as Windows sends it', () => {
  const type1 = 'TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw==';

  it('the 401 offers each scheme in its own WWW-Authenticate; raw NTLMSSP after Negotiate runs the exchange', async () => {
    await mock.client.setScenario({ cer: { requireAuth: ['negotiate', 'ntlm'], credentials: [{ user: 'bob', password: 'pw' }] } });
    const c = connection();
    try {
      expect((await c.send({})).wwwAuth).toEqual(['Negotiate', 'NTLM']);
      const leg2 = await c.send({ authorization: `Negotiate ${type1}` });
      expect(leg2.status).toBe(401);
      expect(leg2.wwwAuth).toEqual([expect.stringMatching(/^Negotiate TlRMTVNTUAACAAAA/)]);
      const challenge = decodeChallenge(Buffer.from(leg2.wwwAuth[0].split(' ')[1], 'base64')).value!;
      const o = { user: 'bob', domain: 'HOME', password: 'pw', serverChallenge: challenge.challenge, clientChallenge: Buffer.alloc(8, 0x5a) };
      const type3 = encodeAuthenticate({
        flags: challenge.flags,
        lmResponse: lmV2Response(o),
        ntResponse: ntlmV2Response({ ...o, time: Buffer.alloc(8), targetInfo: challenge.targetInfo }),
        domain: 'HOME',
        user: 'bob',
        workstation: 'PC7',
        sessionKey: Buffer.alloc(0),
      });
      const leg3 = await c.send({ authorization: `Negotiate ${type3.toString('base64')}` }, report);
      expect(leg3.status).toBe(200);
      // The connection stays authenticated: a level-1 POST without Authorization on it is taken.
      expect((await c.send({}, report)).status).toBe(200);
    } finally {
      c.close();
    }
    expect(await mock.client.cerAuth()).toMatchObject([
      { scheme: 'Negotiate', user: 'bob', domain: 'HOME', workstation: 'PC7', verified: true },
      { scheme: 'Negotiate', user: 'bob' },
    ]);
    expect((await mock.client.violations({ kind: 'expectation', level: 'all' })).map((v) => v.rule)).toEqual(['cer.level2-missing', 'cer.level2-missing']);
  });
});

describe('Basic (RFC 7617) with cer.credentials', () => {
  const basic = (id: string) => `Basic ${Buffer.from(id).toString('base64')}`;
  it.each([
    ['the right password', 'CORP\\alice:S3cret!', 200],
    ['a wrong password', 'CORP\\alice:wrong', 401],
    ['another domain', 'OTHER\\alice:S3cret!', 401],
  ])('%s → %d', async (_n, id, status) => {
    await mock.client.setScenario({ cer: { requireAuth: 'basic', credentials: CREDENTIALS } });
    const c = connection();
    expect((await c.send({ authorization: basic(id) }, report)).status).toBe(status);
    c.close();
    if (status === 401) expect(await findingRules()).toContain('cer.auth-credentials');
    else expect(await mock.client.cerAuth()).toMatchObject([{ scheme: 'Basic', user: 'alice', domain: 'CORP', verified: true }]);
  });
});
