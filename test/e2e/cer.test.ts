// CER end to end (MS-CER2) against a real listening server: the section 4 examples, stable
// buckets, the two-level flow (level-1 answer → DumpFile → PUT of the cabinet), the fileshare copy
// and the admin routes. Bad input: cer-errors.test.ts; scenarios: cer-scenarios.test.ts; the CLI
// (HTTPS, a restart on the same --db): cer-cli.test.ts.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { WaitTimeoutError } from '../../server';
import { buildWerReport, DEFAULT_WER_PARTS } from '../../server/testing';
import { listTree, postReport, putCab, slashed } from '../helpers/cer';
import { fixture } from '../helpers/fixtures';
import { useMock } from '../helpers/lifecycle';

const example = (n: string) => fixture('cer', `werreport-${n}.xml`);
const helloCab = fixture('cab', 'hello-mszip.cab');
const twoFilesCab = fixture('cab', 'two-files-mszip.cab');
const DUMP_FILE = /^\\PersistedCabs\\([^\\]+)\\([0-9]+)\\[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.cab$/;

const mock = useMock();

/** Error and warning findings (what the violations list holds by default): real reports have none. */
const violationsOf = async (requestId: number) => mock.client.violations({ requestId });

describe('the MS-CER2 section 4 examples, UTF-16LE with a BOM', () => {
  const cases: [string, string, string][] = [
    ['4.1 application fault', '4.1', 'APPCRASH'],
    ['4.2 application fault (the same report as 4.1)', '4.2', 'APPCRASH'],
    ['4.3 kernel fault', '4.3', 'BlueScreen'],
    ['4.4 generic report', '4.4', 'MikeTest'],
  ];

  it.each(cases)('%s gets Bucket, BucketTable, iData=1 and a DumpFile', async (_name, n, eventType) => {
    const body = example(n);
    expect([...body.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const r = await postReport(mock.url, body);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; charset=windows-1252');
    // MS-CER2 2.2.2: Key=Value lines, each ended by CRLF, no spaces around "=" by default.
    expect(r.text).toMatch(/^(?:[A-Za-z]+=[^\r\n ][^\r\n]*\r\n)+$/);
    expect(Object.keys(r.answer)).toEqual(['Bucket', 'BucketTable', 'iData', 'DumpFile']);
    expect(r.answer).toMatchObject({ Bucket: '100', BucketTable: '10', iData: '1' });
    expect(DUMP_FILE.exec(r.answer.DumpFile)?.slice(1)).toEqual([eventType, '100']);
    expect(await violationsOf(r.requestId)).toEqual([]);

    const [report] = await mock.client.cerReports();
    expect(report).toMatchObject({ requestId: r.requestId, eventType, bucket: 100, bucketTable: 10, dumpFile: r.answer.DumpFile, level2: null });
    const [row] = await mock.client.requests({ protocol: 'cer' });
    expect(row).toMatchObject({ id: r.requestId, method: 'POST', path: '/stage2.htm', status: 200, bodySize: body.length, ruleName: null });
    expect((await mock.client.requestBody(r.requestId)).equals(body)).toBe(true);
  });

  it('4.1: the signature, files and report type as the admin API shows them', async () => {
    await postReport(mock.url, example('4.1'));
    const [report] = await mock.client.cerReports();
    expect(report.reportType).toBe('2');
    expect(report.signature.parameters).toHaveLength(8);
    expect(report.signature.parameters[0]).toEqual({ id: 0, name: 'Application Name', value: 'GPFMe.exe' });
    expect(report.signature.parameters[7]).toEqual({ id: 7, name: 'Exception Offset', value: '000031de' });
    expect(report.signature.secondaryParameters).toEqual([]);
    expect(report.files).toEqual([{ filename: 'Version.txt', filetype: 5 }]);
  });

  it('4.3: SECONDARYPARAMETERs are the signature when there are no PARAMETERs', async () => {
    await postReport(mock.url, example('4.3'));
    const [report] = await mock.client.cerReports();
    expect(report.reportType).toBe('4');
    expect(report.signature.parameters).toEqual([]);
    expect(report.signature.secondaryParameters[0]).toEqual({ name: 'BCCode', value: 'f4' });
    expect(report.signature.secondaryParameters).toHaveLength(8);
    expect(report.files.map((f) => f.filetype)).toEqual([2, 5, 5]);
  });

  it('the path is matched without regard to case: POST /STAGE2.HTM', async () => {
    const r = await postReport(mock.url, example('4.4'), { path: '/STAGE2.HTM' });
    expect(r.status).toBe(200);
    expect(r.answer.iData).toBe('1');
  });
});

describe('buckets', () => {
  it('the same signature gets the same bucket (hits count up), another gets the next one', async () => {
    const buckets: string[] = [];
    const dumps = new Set<string>();
    for (const n of ['4.1', '4.2', '4.3', '4.4', '4.1']) {
      const r = await postReport(mock.url, example(n));
      buckets.push(r.answer.Bucket);
      dumps.add(r.answer.DumpFile);
    }
    expect(buckets).toEqual(['100', '100', '101', '102', '100']);
    // Every report gets a DumpFile of its own, even for the same bucket.
    expect(dumps.size).toBe(5);
    const rows = await mock.client.cerBuckets();
    expect(rows.map((b) => [b.bucket, b.bucketTable, b.eventType, b.hits])).toEqual([
      [100, 10, 'APPCRASH', 3],
      [101, 10, 'BlueScreen', 1],
      [102, 10, 'MikeTest', 1],
    ]);
    expect(JSON.parse(rows[0].signatureKey)).toEqual([
      'APPCRASH',
      ['p', '0', 'GPFMe.exe'],
      ['p', '1', '6.0.4082.0'],
      ['p', '2', '40ce670d'],
      ['p', '3', 'GPFMe.exe'],
      ['p', '4', '6.0.4082.0'],
      ['p', '5', '40ce670d'],
      ['p', '6', 'c0000005'],
      ['p', '7', '000031de'],
    ]);
  });

  it('PARAMETER order and names do not matter; a value or the event type does', async () => {
    const params = DEFAULT_WER_PARTS.parameters;
    const reversed = buildWerReport({ parameters: [...params].reverse().map((p) => ({ ...p, name: 'renamed' })) });
    const otherValue = buildWerReport({ parameters: [params[0], { ...params[1], value: '6.0.4082.1' }] });
    const otherEvent = buildWerReport({ event: { ...DEFAULT_WER_PARTS.event, eventtype: 'APPHANG' } });
    const got = [];
    for (const body of [buildWerReport(), reversed, otherValue, otherEvent]) got.push((await postReport(mock.url, body)).answer.Bucket);
    expect(got).toEqual(['100', '100', '101', '102']);
  });

  it('a new scenario without a reset restarts the seeded uuid stream; DumpFiles stay unique', async () => {
    const a = await postReport(mock.url, example('4.1'));
    await mock.client.setScenario({});
    const b = await postReport(mock.url, example('4.1'));
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.answer.DumpFile).not.toBe(a.answer.DumpFile);
    for (const r of [a, b]) expect((await putCab(mock.url, slashed(r.answer.DumpFile), helloCab)).status).toBe(200);
    expect((await mock.client.cerReports()).map((x) => x.level2?.files)).toEqual([[{ name: 'hello.txt', size: 77 }], [{ name: 'hello.txt', size: 77 }]]);
  });

  it("start at the scenario's cer.firstBucket, in its cer.bucketTable", async () => {
    await mock.client.setScenario({ cer: { firstBucket: 5000, bucketTable: 42 } });
    const a = await postReport(mock.url, example('4.1'));
    const b = await postReport(mock.url, example('4.3'));
    expect([a.answer.Bucket, a.answer.BucketTable, b.answer.Bucket, b.answer.BucketTable]).toEqual(['5000', '42', '5001', '42']);
    expect(DUMP_FILE.exec(a.answer.DumpFile)?.[2]).toBe('5000');
  });
});

describe('level 2: the PUT of the cabinet', () => {
  it('is stored whole, its files listed, its bytes served by /__admin/cer/reports/:id/cab', async () => {
    const l1 = await postReport(mock.url, example('4.1'));
    const put = await putCab(mock.url, slashed(l1.answer.DumpFile), twoFilesCab);
    expect(put.status).toBe(200);
    expect(put.body.length).toBe(0);

    const [report] = await mock.client.cerReports();
    expect(report.level2).toMatchObject({
      requestId: put.requestId,
      size: twoFilesCab.length,
      corrupt: false,
      files: [
        { name: 'first.txt', size: 40000 },
        { name: 'second.txt', size: 55 },
      ],
    });
    expect(report.level2!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await mock.client.cerCab(report.id)).equals(twoFilesCab)).toBe(true);
    const [row] = await mock.client.requests({ protocol: 'cer-level2' });
    expect(row).toMatchObject({ id: put.requestId, method: 'PUT', path: slashed(l1.answer.DumpFile), status: 200, bodySize: twoFilesCab.length });
    // The cabinet is not the one the 4.1 report lists (no Version.txt): that is a conversation warning, not an error.
    expect(await violationsOf(put.requestId)).toMatchObject([{ level: 'warning', rule: 'cer.cab-contents' }]);
  });

  it('a report without a cabinet: /cab is 404', async () => {
    await postReport(mock.url, example('4.1'));
    const [report] = await mock.client.cerReports();
    await expect(mock.client.cerCab(report.id)).rejects.toMatchObject({ status: 404 });
    await expect(mock.client.cerCab(99999)).rejects.toMatchObject({ status: 404 });
  });

  // INTERFACE.md: the DumpFile "exactly as issued (backslashes or slashes, percent-encoded or not)".
  // A request-target must start with "/" for Node's HTTP parser: a bare "\PersistedCabs\…" is refused
  // with 400 before the mock sees it, so the backslash forms are sent after a "/".
  const variants: [string, (dumpFile: string) => string][] = [
    ['backslashes turned into slashes', slashed],
    ['raw backslashes after a leading "/"', (d) => '/' + d],
    ["the document's doubled backslash (MS-CER2 4.1 step 8)", (d) => '/\\' + d],
    ['backslashes percent-encoded, %5C', (d) => '/' + d.replace(/\\/g, '%5C')],
    ['backslashes percent-encoded, %5c', (d) => '/' + d.replace(/\\/g, '%5c')],
    ['every character percent-encoded', (d) => '/' + [...d].map((c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')).join('')],
    ['upper case', (d) => slashed(d).toUpperCase()],
    ['lower case', (d) => slashed(d).toLowerCase()],
    ['upper case, %5C', (d) => '/' + d.toUpperCase().replace(/\\/g, '%5C')],
  ];
  it.each(variants)('reaches its report when the path is sent with %s', async (_name, form) => {
    const l1 = await postReport(mock.url, example('4.4'));
    const put = await putCab(mock.url, form(l1.answer.DumpFile), helloCab);
    expect(put.status).toBe(200);
    const [report] = await mock.client.cerReports({ requestId: l1.requestId });
    expect(report.level2).toMatchObject({ requestId: put.requestId, files: [{ name: 'hello.txt', size: 77 }] });
  });

  it('an unknown path gets 404 and the violation cer-level2.unknown-path', async () => {
    const put = await putCab(mock.url, '/PersistedCabs/APPCRASH/100/8747c307-c461-42ba-abf5-7fd98d8bb0ec.cab', helloCab);
    expect(put.status).toBe(404);
    expect(put.text).toMatch(/^cer-level2\.unknown-path \(MS-CER2 2\.2\.3\): [^\n]+\n$/);
    expect(await violationsOf(put.requestId)).toMatchObject([{ protocol: 'cer-level2', rule: 'cer-level2.unknown-path', specRef: 'MS-CER2 2.2.3' }]);
    // Captured all the same.
    expect((await mock.client.requestBody(put.requestId)).equals(helloCab)).toBe(true);
  });

  it('a second PUT to the same DumpFile gets 409 and cer-level2.duplicate; the first cabinet stays', async () => {
    const l1 = await postReport(mock.url, example('4.1'));
    expect((await putCab(mock.url, slashed(l1.answer.DumpFile), helloCab)).status).toBe(200);
    const again = await putCab(mock.url, '/' + l1.answer.DumpFile, twoFilesCab);
    expect(again.status).toBe(409);
    expect(await violationsOf(again.requestId)).toMatchObject([{ rule: 'cer-level2.duplicate', specRef: 'MS-CER2 2.2.3' }]);
    const [report] = await mock.client.cerReports();
    expect((await mock.client.cerCab(report.id)).equals(helloCab)).toBe(true);
  });

  it('a corrupt cabinet (random bytes) is stored with 200, flagged corrupt, with a warning', async () => {
    const junk = randomBytes(3000);
    const l1 = await postReport(mock.url, example('4.1'));
    const put = await putCab(mock.url, slashed(l1.answer.DumpFile), junk);
    expect(put.status).toBe(200);
    const [report] = await mock.client.cerReports();
    expect(report.level2).toMatchObject({ size: 3000, corrupt: true, files: [] });
    expect((await mock.client.cerCab(report.id)).equals(junk)).toBe(true);
    const found = await mock.client.violations({ requestId: put.requestId });
    expect(found.map((v) => [v.level, v.rule])).toContainEqual(['warning', 'cer-level2.corrupt']);
    expect(found.every((v) => v.level !== 'error')).toBe(true);
  });

  it('a file asked for with GetFile and missing from the cabinet is an info finding cer-level2.missing-file', async () => {
    await mock.client.setScenario({ rules: [{ name: 'get-files', respond: { cer: { getFile: ['%WINDIR%\\win.ini', 'C:\\logs\\HELLO.TXT'] } } }] });
    const l1 = await postReport(mock.url, example('4.1'));
    expect(l1.answer.GetFile).toBe('%WINDIR%\\win.ini;C:\\logs\\HELLO.TXT');
    const put = await putCab(mock.url, l1.answer.DumpFile, helloCab);
    expect(put.status).toBe(200);
    const found = await mock.client.violations({ requestId: put.requestId, level: 'all', kind: 'request' });
    // hello.txt is in the cabinet (names compared without case); win.ini is not.
    expect(found.map((v) => [v.level, v.rule, v.specRef])).toEqual([['info', 'cer-level2.missing-file', 'MS-CER2 3.1.5']]);
    expect(found[0].message).toContain('%WINDIR%\\win.ini');
  });

  it('wait?kind=cer-report answers once the report is stored, with it', async () => {
    const waiting = mock.client.waitFor('cer-report', { eventType: 'MikeTest', count: 1, timeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, 100));
    const l1 = await postReport(mock.url, example('4.4'));
    const [record] = await waiting;
    expect(record).toMatchObject({ requestId: l1.requestId, eventType: 'MikeTest', dumpFile: l1.answer.DumpFile });
    await expect(mock.client.waitFor('cer-report', { eventType: 'BlueScreen', timeoutMs: 200 })).rejects.toBeInstanceOf(WaitTimeoutError);
  });
});

describe('the fileshare (MS-CER2 3.2.5)', () => {
  // A fresh server per test; its temp dir holds only the fileshare (created on the first report).
  const m = useMock({ lifetime: 'test' });

  it('holds PersistedCabs/<eventtype>/<bucket>/<uuid>.xml and .cab, byte for byte', async () => {
    const body = example('4.1');
    const l1 = await postReport(m.url, body);
    const uuid = /([0-9a-f-]{36})\.cab$/.exec(l1.answer.DumpFile)![1];
    await putCab(m.url, slashed(l1.answer.DumpFile), twoFilesCab);
    expect(listTree(m.dir)).toEqual([
      'fileshare/',
      'fileshare/PersistedCabs/',
      'fileshare/PersistedCabs/APPCRASH/',
      'fileshare/PersistedCabs/APPCRASH/100/',
      `fileshare/PersistedCabs/APPCRASH/100/${uuid}.cab`,
      `fileshare/PersistedCabs/APPCRASH/100/${uuid}.xml`,
    ]);
    const at = (p: string) => fs.readFileSync(path.join(m.dir, 'fileshare', p));
    expect(at(`PersistedCabs/APPCRASH/100/${uuid}.xml`).equals(body)).toBe(true);
    expect(at(`PersistedCabs/APPCRASH/100/${uuid}.cab`).equals(twoFilesCab)).toBe(true);
    const [report] = await m.client.cerReports();
    expect(report.filesharePath).toBe(`PersistedCabs/APPCRASH/100/${uuid}.xml`);
    expect(report.level2?.filesharePath).toBe(`PersistedCabs/APPCRASH/100/${uuid}.cab`);
  });

  const hostile: [string, string][] = [
    ['../../x', '.._.._x'],
    ['..', '__'],
    ['a\\b', 'a_b'],
    ['C:', 'C_'],
    ['/etc/passwd', '_etc_passwd'],
    ['\\\\server\\share', '__server_share'],
    ['%2e%2e', '_2e_2e'],
    ['CON', '_CON'],
    ['x'.repeat(300), 'x'.repeat(64)],
  ];
  it('event types with path characters are sanitized; nothing is written outside the fileshare', async () => {
    const before = listTree(m.dir);
    expect(before).toEqual([]);
    for (const [eventType, segment] of hostile) {
      const l1 = await postReport(m.url, buildWerReport({ event: { ...DEFAULT_WER_PARTS.event, eventtype: eventType } }));
      expect(l1.status).toBe(200);
      const [, seg, bucket] = DUMP_FILE.exec(l1.answer.DumpFile)!;
      expect(seg).toBe(segment);
      expect((await putCab(m.url, slashed(l1.answer.DumpFile), helloCab)).status).toBe(200);
      const uuid = /([0-9a-f-]{36})\.cab$/.exec(l1.answer.DumpFile)![1];
      expect(fs.existsSync(path.join(m.dir, 'fileshare', 'PersistedCabs', segment, bucket, `${uuid}.cab`))).toBe(true);
      const [report] = await m.client.cerReports({ requestId: l1.requestId });
      // The admin API keeps the event type as sent.
      expect(report.eventType).toBe(eventType);
    }
    const after = listTree(m.dir);
    expect(after.filter((p) => !p.startsWith('fileshare/PersistedCabs/') && p !== 'fileshare/' && p !== 'fileshare/PersistedCabs/')).toEqual([]);
    // Two files (xml, cab) per report, each at depth 4 under fileshare/.
    const files = after.filter((p) => !p.endsWith('/'));
    expect(files).toHaveLength(2 * hostile.length);
    expect(files.every((p) => p.split('/').length === 5)).toBe(true);
  });
});
