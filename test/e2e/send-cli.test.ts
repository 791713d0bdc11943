// `sqm-cer-mock send` against a running mock (each flow prints its answers, exits 0, and the mock
// captured the whole flow), against scenarios that decline (exit 3), and against wrong servers (exit 1, 2).

import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import '../../server/jest';
import { buildSqmSession } from '../../server/testing';
import { requireBuild, runCli } from '../helpers/cli';
import { closedPort } from '../helpers/http';
import { useMock, withMock } from '../helpers/lifecycle';
import { itWithOpenssl, selfSignedCert } from '../helpers/tls';

const mock = useMock();
beforeAll(requireBuild);
const send = (...args: string[]) => runCli(['send', ...args]);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'send-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = (name: string, bytes: Buffer) => {
  fs.writeFileSync(path.join(dir, name), bytes);
  return path.join(dir, name);
};

describe('against the mock', () => {
  it('v1 posts the sample capture, prints the answer and exits 0; the mock has the session', async () => {
    const r = await send('v1', '--url', mock.url);
    expect(r.stdout).toMatch(/^> POST \/sqm\/windows\/sqmserver\.dll \(SQM v1 session, 1078 bytes\)\n< 200 OK\n {2}\(empty body\)\nsend v1: ok: session accepted \(200\)\n$/);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    await expect(mock.current).toHaveReceivedSqmSession({ partner: 'windows', protocolVersion: 1, header: { clientUniqueIdentifier: '{F0DB6A46-CB0E-4E72-AD40-3EEDF0349BBE}' } });
    await expect(mock.current).toHaveNoViolations();
  });

  it('v1 after a 201 with ManifestVersion downloads that manifest, so no expectation is left unmet', async () => {
    await mock.client.setScenario({ partners: { office: { manifest: { version: 7, expires: '2030-01-01T00:00:00Z', rules: [], propertySets: [] } } } });
    const r = await send('v1', '--url', mock.url, '--partner', 'office', '--file', file('m.bin', buildSqmSession({ header: { internalFlags: 0x8, manifestVersion: 3 } })));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('< 201 Created\n  content-type: text/plain; charset=utf-8\n  manifestversion: "7"\n  ManifestVersion:"7"\n');
    expect(r.stdout).toMatch(
      /> GET \/sqm\/office\/manifests\/Sqm7\.bin \(the announced manifest, 0 bytes\)\n< 200 OK\n {2}content-type: application\/octet-stream\n {2}\(\d+ bytes, binary\)\n/,
    );
    expect(r.stdout).toMatch(/send v1: ok: session accepted \(201: manifest 7 fetched\)\n$/);
    await expect(mock.current).toHaveNoViolations({ level: 'expectation' });
  });

  it('v1 answered 403 by a throttle rule: exit 3, declined', async () => {
    await mock.client.setScenario({ rules: [{ respond: { sqm: { fixedThrottle: true } } }] });
    const r = await send('v1', '--url', mock.url);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('sqm-cer-mock send v1: declined: throttled: no upload for 14 days (403, MS-SQMCS 3.1.5.2.3)\n');
  });

  it('v2 asks for a token and uploads with it (two sessions, compressed); the mock has both and the token is used', async () => {
    const a = file('a.bin', buildSqmSession({ sections: [{ type: 'dword', datapoints: [{ id: 6, value: 9200 }] }] }));
    const r = await send('v2', '--url', mock.url, '--file', a, '--file', path.resolve('samples/win7-sp1-capture.bin'), '--compress');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^> POST \/sqm\/windows\/sqmserver\.dll \(SQM v2 requpload, \d+ bytes\)\n< 200 OK\n {2}content-type: text\/xml; charset=utf-8\n {2}<\?xml .*<cmd nm="approved">/,
    );
    expect(r.stdout).toContain('(SQM v2 dataupload of 2 sessions in a cabinet, ');
    const [token] = await mock.client.sqmTokens();
    expect(r.stdout).toContain(`send v2: ok: 2 sessions taken with token ${token.token} (receipts)\n`);
    expect(token.usedBy).toHaveLength(1);
    await expect(mock.current).toHaveReceivedSqmSession({ protocolVersion: 2, sections: [{ datapoints: [{ id: 6, value: 9200 }] }] });
    await expect(mock.current).toHaveReceivedSqmSession({ protocolVersion: 2, header: { clientUniqueIdentifier: '{F0DB6A46-CB0E-4E72-AD40-3EEDF0349BBE}' } });
  });

  it('v2 throttled by a rule: exit 3 and no dataupload', async () => {
    await mock.client.setScenario({ rules: [{ when: { protocol: 'sqm-v2' }, respond: { v2: { throttle: { period: 7, namespace: 'ptr' } } } }] });
    const r = await send('v2', '--url', mock.url);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('sqm-cer-mock send v2: declined: req 1 answered throttle (period=7, namespace=ptr)\n');
    expect(await mock.client.requests()).toHaveLength(1);
  });

  it('cer posts the sample report, then PUTs a cabinet of its FILES to the DumpFile as issued', async () => {
    const r = await send('cer', '--url', mock.url);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^> POST \/stage2\.htm \(CER level-1 WERREPORT, 1198 bytes\)\n< 200 OK\n {2}content-type: text\/plain; charset=windows-1252\n {2}Bucket=100\n/);
    const [report] = await mock.client.cerReports();
    expect(r.stdout).toContain(`> PUT ${report.dumpFile} (CER level-2 cabinet, `);
    expect(r.stdout).toContain(`send cer: ok: report taken (bucket 100), cabinet uploaded to ${report.dumpFile}\n`);
    await expect(mock.current).toHaveReceivedCerReport({ eventType: 'APPCRASH', level2: expect.objectContaining({ files: [expect.objectContaining({ name: 'Version.txt' })] }) });
    await expect(mock.current).toHaveNoViolations();
  });

  it('cer with --cab sends that cabinet', async () => {
    expect((await send('cer', '--url', mock.url, '--cab', path.resolve('samples/two-files-mszip.cab'))).code).toBe(0);
    await expect(mock.current).toHaveReceivedCerReport({
      level2: expect.objectContaining({ size: 8059, files: [expect.objectContaining({ name: 'first.txt' }), expect.objectContaining({ name: 'second.txt' })] }),
    });
  });

  it('ceip posts to /?partner= and exits 0 on the 200', async () => {
    const r = await send('ceip', '--url', mock.url, '--service', 'https://sqm.example/sqm/windows/sqmserver.dll');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '> POST /?partner=https%3A%2F%2Fsqm.example%2Fsqm%2Fwindows%2Fsqmserver.dll (CEIP data for https://sqm.example/sqm/windows/sqmserver.dll, 1078 bytes)\n< 200 OK\n',
    );
    expect((await mock.client.requests()).map((q) => q.protocol)).toEqual(['ceip']);
  });
});

itWithOpenssl('send over HTTPS')('over HTTPS: --ca trusts a self-signed mock (both levels of cer); without it, exit 2 naming the certificate problem', async () => {
  const { key, cert } = selfSignedCert(fs.mkdtempSync(path.join(dir, 'tls-')));
  await withMock({ tlsCert: cert, tlsKey: key }, async (m) => {
    const r = await send('cer', '--url', m.url, '--ca', cert);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/send cer: ok: report taken \(bucket 100\), cabinet uploaded to /);
    // The admin client's fetch would not trust the certificate: read the store itself.
    expect(m.context.store.queries.requests({}).map((q) => [q.protocol, q.status])).toEqual([
      ['cer', 200],
      ['cer-level2', 200],
    ]);
    const untrusted = await send('v1', '--url', m.url);
    expect(untrusted).toMatchObject({
      code: 2,
      stderr: 'sqm-cer-mock send v1: --url: could not reach the server (DEPTH_ZERO_SELF_SIGNED_CERT) (its certificate is not trusted: give its CA with --ca FILE)\n',
    });
  });
});

describe('against a wrong server', () => {
  let server: http.Server;
  let url: string;
  let answer: { status: number; body: string } = { status: 500, body: 'boom' };
  beforeAll(async () => {
    server = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(answer.status).end(answer.body)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it.each([
    ['v1', 'expected 200, 201 or 403 (MS-SQMCS 3.1.5.2), got 500 Internal Server Error'],
    ['v2', 'expected 200 (MS-SQMCS2 3.1.5.1), got 500 Internal Server Error'],
    ['cer', 'expected 200 and a level-1 answer (MS-CER2 3.1.5), got 500 Internal Server Error'],
    ['ceip', 'expected a 2xx (MS-CCEIP 3.1.5), got 500 Internal Server Error'],
  ])('%s answered 500: exit 1, the answer printed and a one-line reason', async (flow, reason) => {
    answer = { status: 500, body: 'boom' };
    const r = await send(flow, '--url', url);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('< 500 Internal Server Error\n  boom\n');
    expect(r.stderr).toBe(`sqm-cer-mock send ${flow}: not as the protocol says: ${reason}\n`);
  });

  it.each([
    ['v2', 200, '', 'expected a <resp> (an empty 200 says the server could not read the message, MS-SQMCS2 3.1.5.1), got an empty body'],
    ['v2', 200, '<resp ver="2"><tlm></resp>', 'expected a TPXS <resp> (MS-SQMCS2 2.2.3), got not well-formed XML'],
    ['v1', 201, '', 'expected a 201 with ThrottleInterval or ManifestVersion (MS-SQMCS 3.1.5.2.2), got neither'],
    ['cer', 200, 'Bucket=5\r\niData=1\r\n', 'expected a DumpFile with iData=1 (MS-CER2 2.2.2), got none'],
  ])('%s answered %d %j: exit 1', async (flow, status, body, reason) => {
    answer = { status, body };
    const r = await send(flow, '--url', url);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`sqm-cer-mock send ${flow}: not as the protocol says: ${reason}`);
  });

  it('nothing listening: exit 2, naming --url', async () => {
    const r = await send('v1', '--url', `http://127.0.0.1:${await closedPort()}`);
    expect(r).toMatchObject({ code: 2, stderr: 'sqm-cer-mock send v1: --url: could not reach the server (ECONNREFUSED) (is it running?)\n' });
  });
});

describe('usage', () => {
  it.each([
    [[], 'sqm-cer-mock send: the flow: expected one of v1, v2, cer, ceip, got nothing'],
    [['v3', '--url', 'http://x'], 'sqm-cer-mock send: the flow: expected one of v1, v2, cer, ceip, got "v3"'],
    [['v1'], 'sqm-cer-mock send: --url: expected an absolute http(s) URL, got ""'],
    [['v1', '--url', 'http://x', '--bogus'], "sqm-cer-mock send: expected its flags (see sqm-cer-mock send --help), got \"Unknown option '--bogus'. "],
    [['v1', '--url', 'http://x', '--cab', 'c'], 'sqm-cer-mock send: --cab: expected it with send cer only, got send v1'],
    [['cer', '--url', 'http://x', '--file', '/nope/r.xml'], 'sqm-cer-mock send cer: --file: cannot read "/nope/r.xml" (ENOENT)'],
  ])('%j: exit 2, one line', async (args, message) => {
    const r = await send(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--help prints the usage with the exit codes', async () => {
    const r = await send('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: sqm-cer-mock send <v1\|v2\|cer\|ceip> --url URL/);
    expect(r.stdout).toContain('exit status    0 every answer');
  });
});
