// CER level-2 request-targets in every form a client may send (INTERFACE.md section 2; MS-CER2
// 2.2.2 DumpFile, 4.1 step 8; RFC 7230 5.3.2), over raw sockets against a real listening server:
// the bare-backslash DumpFile as issued, doubled, %5C, absolute form, split across TCP segments,
// pipelined, and over HTTPS. Each is answered 200, copied to the fileshare and captured as sent.

import fs from 'node:fs';
import path from 'node:path';
import { buildWerReport } from '../../server/testing';
import { postReport, slashed } from '../helpers/cer';
import { fixture } from '../helpers/fixtures';
import { parseResponses, rawSend } from '../helpers/raw-http';
import type { MockServer } from '../../server';
import { useMock, withMock } from '../helpers/lifecycle';
import { itWithOpenssl, selfSignedCert } from '../helpers/tls';

const helloCab = fixture('cab', 'hello-mszip.cab');
const mock = useMock();
// Several exchanges per test (and a certificate made with openssl): more than the default 5 s on a busy machine.
jest.setTimeout(30000);

const put = (target: string, cab: Buffer, extra = '') =>
  Buffer.concat([Buffer.from(`PUT ${target} HTTP/1.1\r\nHost: cer\r\nContent-Length: ${cab.length}\r\n${extra}\r\n`, 'latin1'), cab]);
const CLOSE = 'Connection: close\r\n';

/** A level-1 report answered with iData=1; its DumpFile as issued (`\PersistedCabs\…`). */
async function issue(m: Pick<MockServer, 'url'> = mock, opts: { ca?: Buffer } = {}): Promise<string> {
  const l1 = await postReport(m.url, buildWerReport(), opts);
  expect(l1.status).toBe(200);
  return l1.answer.DumpFile;
}

const fileshareCopy = (dir: string, dumpFile: string) => fs.readFileSync(path.join(dir, 'fileshare', ...slashed(dumpFile).split('/')));

/** The level-2 requests as captured, oldest first, with their request-scope findings (all levels). */
async function captured() {
  const rows = await mock.client.requests({ protocol: 'cer-level2' });
  return Promise.all(
    rows.map(async (r) => ({
      status: r.status,
      path: (await mock.client.request(r.id)).path,
      rules: (await mock.client.violations({ requestId: r.id, level: 'all', kind: 'request' })).map((v) => [v.rule, v.level]),
    })),
  );
}

describe('each form of the DumpFile as a PUT request-target', () => {
  const forms: [string, (dump: string, port: string) => string, boolean][] = [
    ['the DumpFile as issued (a bare backslash)', (d) => d, false],
    ['a doubled backslash (MS-CER2 4.1 step 8)', (d) => '\\' + d, true],
    ['percent-encoded (%5C)', (d) => d.replace(/\\/g, '%5C'), true],
    ['absolute form with slashes', (d, port) => `http://127.0.0.1:${port}${slashed(d)}`, true],
    ['absolute form with the DumpFile', (d, port) => `http://127.0.0.1:${port}${d}`, true],
    ['slashes', (d) => slashed(d), true],
  ];

  it.each(forms)('%s: 200, copied to the fileshare, captured as sent', async (_name, form, differs) => {
    const dump = await issue();
    const target = form(dump, new URL(mock.url).port);
    const [answer] = parseResponses(await rawSend(mock.url, [put(target, helloCab, CLOSE)]));
    expect(answer.status).toBe(200);
    expect(answer.headers['x-mock-request-id']).toMatch(/^\d+$/);
    expect(fileshareCopy(mock.dir, dump).equals(helloCab)).toBe(true);
    const [row] = await captured();
    expect(row).toEqual({ status: 200, path: target, rules: differs ? [['cer.dumpfile-form', 'info']] : [] });
    expect(await mock.client.requests({ path: target })).toHaveLength(1);
    const [report] = await mock.client.cerReports();
    expect(report.level2).toMatchObject({ requestId: Number(answer.headers['x-mock-request-id']), size: helloCab.length });
  });

  it('the info finding names the difference', async () => {
    const dump = await issue();
    const [answer] = parseResponses(await rawSend(mock.url, [put('\\' + dump, helloCab, CLOSE)]));
    const [finding] = await mock.client.violations({ requestId: Number(answer.headers['x-mock-request-id']), level: 'all' });
    expect(finding).toMatchObject({ rule: 'cer.dumpfile-form', level: 'info', specRef: 'MS-CER2 2.2.2' });
    expect(finding.message).toContain('leading "\\\\" for "\\"');
  });
});

describe('framing on the connection', () => {
  it('a request line and body split across TCP segments', async () => {
    const dump = await issue();
    const bytes = put(dump, helloCab, CLOSE);
    const cuts = [5, 12, 30, bytes.indexOf('\r\n'), bytes.indexOf('\r\n') + 1, bytes.length - helloCab.length + 3, bytes.length - 10];
    const pieces = [0, ...cuts].map((c, i) => bytes.subarray(c, cuts[i] ?? bytes.length));
    expect(Buffer.concat(pieces).equals(bytes)).toBe(true);
    const [answer] = parseResponses(await rawSend(mock.url, pieces, { gapMs: 15 }));
    expect(answer.status).toBe(200);
    expect(fileshareCopy(mock.dir, dump).equals(helloCab)).toBe(true);
    expect(await captured()).toEqual([{ status: 200, path: dump, rules: [] }]);
  });

  it('two pipelined PUTs in one write, then a level-1 report on the same connection', async () => {
    const [first, second] = [await issue(), await issue()];
    const other = fixture('cab', 'two-files-mszip.cab');
    const report = buildWerReport();
    const post = Buffer.concat([Buffer.from(`POST /stage2.htm HTTP/1.1\r\nHost: cer\r\nContent-Length: ${report.length}\r\n${CLOSE}\r\n`), report]);
    const answers = parseResponses(await rawSend(mock.url, [Buffer.concat([put(first, helloCab), put('\\' + second, other), post])]));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers[2].body.toString('latin1')).toMatch(/^Bucket=/m);
    expect(fileshareCopy(mock.dir, first).equals(helloCab)).toBe(true);
    expect(fileshareCopy(mock.dir, second).equals(other)).toBe(true);
    expect(await captured()).toEqual([
      { status: 200, path: first, rules: [] },
      { status: 200, path: '\\' + second, rules: [['cer.dumpfile-form', 'info']] },
    ]);
  });

  it('a second PUT written after the first, on the same keep-alive connection, is answered in turn', async () => {
    const [first, second] = [await issue(), await issue()];
    const answers = parseResponses(await rawSend(mock.url, [put(first, helloCab), put(second, helloCab, CLOSE)], { gapMs: 20 }));
    expect(answers.map((a) => [a.status, a.headers.connection])).toEqual([
      [200, 'keep-alive'],
      [200, 'close'],
    ]);
    expect((await captured()).map((r) => r.path)).toEqual([first, second]);
  });

  it('a cabinet whose bytes hold a bare-backslash request line is stored unchanged', async () => {
    const [dump, next] = [await issue(), await issue()];
    const lookalike = Buffer.concat([helloCab, Buffer.from(`\r\nPUT ${next} HTTP/1.1\r\n\r\n`, 'latin1')]);
    const answers = parseResponses(await rawSend(mock.url, [put(dump, lookalike), put(next, helloCab, CLOSE)]));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(fileshareCopy(mock.dir, dump).equals(lookalike)).toBe(true);
    const [report] = (await mock.client.cerReports()).filter((r) => r.dumpFile === dump);
    expect((await mock.client.requestBody(report.level2!.requestId)).equals(lookalike)).toBe(true);
  });

  it('a target that starts with the pre-parser marker is captured as sent', async () => {
    const target = '/~sqm-cer-mock-target~/x.cab';
    const [answer] = parseResponses(await rawSend(mock.url, [put(target, helloCab, CLOSE)]));
    expect(answer.status).toBe(404);
    expect(await captured()).toEqual([{ status: 404, path: target, rules: [['cer-level2.unknown-path', 'error']] }]);
  });

  it('a level-1 report in absolute form (RFC 7230 5.3.2) is served as /stage2.htm', async () => {
    const target = `http://127.0.0.1:${new URL(mock.url).port}/stage2.htm`;
    const report = buildWerReport();
    const [answer] = parseResponses(await rawSend(mock.url, [Buffer.from(`POST ${target} HTTP/1.1\r\nHost: cer\r\nContent-Length: ${report.length}\r\n${CLOSE}\r\n`), report]));
    expect(answer.status).toBe(200);
    expect(answer.body.toString('latin1')).toMatch(/^DumpFile=\\PersistedCabs\\/m);
    expect(await mock.client.requests({ protocol: 'cer' })).toMatchObject([{ path: target, status: 200 }]);
  });
});

itWithOpenssl('the HTTPS level-2 target test')('over HTTPS: the bare-backslash DumpFile, split and pipelined', async () => {
  const dir = fs.mkdtempSync(path.join(mock.dir, 'tls-'));
  const { key, cert, ca } = selfSignedCert(dir);
  await withMock({ tlsCert: cert, tlsKey: key }, async (m, mdir) => {
    expect(m.url).toMatch(/^https:/);
    const [first, second] = [await issue(m, { ca }), await issue(m, { ca })];
    const bytes = Buffer.concat([put(first, helloCab), put('\\\\' + second.slice(1), helloCab, CLOSE)]);
    const answers = parseResponses(await rawSend(m.url, [bytes.subarray(0, 9), bytes.subarray(9)], { ca, gapMs: 15 }));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(fileshareCopy(mdir, first).equals(helloCab)).toBe(true);
    expect(fileshareCopy(mdir, second).equals(helloCab)).toBe(true);
    // The admin client's fetch would not trust the self-signed certificate: read the store itself.
    expect(m.context.store.queries.requests({ protocol: 'cer-level2' }).map((r) => [r.status, r.path])).toEqual([
      [200, first],
      [200, '\\\\' + second.slice(1)],
    ]);
  });
});
