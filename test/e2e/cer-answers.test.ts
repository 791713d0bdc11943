// CER answers end to end, on a real listening server (INTERFACE.md, CER decisions): level-1 answers
// shaped like the MS-CER2 4.x examples and real servers' answers, real clients' lcid and osstring
// forms, fileshare copies named after the issued DumpFile, windows-1252 refusals, a repeated PUT,
// and the HTTP version of each request (MS-CER2 2.1).

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { buildWerReport, DEFAULT_WER_PARTS } from '../../server/testing';
import { listTree, postReport, putCab, slashed } from '../helpers/cer';
import { fixture } from '../helpers/fixtures';
import { useMock } from '../helpers/lifecycle';

const example = (n: string) => fixture('cer', `werreport-${n}.xml`);
const helloCab = fixture('cab', 'hello-mszip.cab');
const CER_TYPE = 'text/plain; charset=windows-1252';
const WQL = ['SELECT Family FROM Win32_Processor'];

/** One request written byte for byte on a socket (node:http always says HTTP/1.1); the raw answer back. */
function rawRequest(url: string, head: string, body: Buffer): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect(Number(u.port), u.hostname, () => s.end(Buffer.concat([Buffer.from(head + `Content-Length: ${body.length}\r\n\r\n`, 'latin1'), body])));
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('error', reject);
    s.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

describe("level-1 answers in the MS-CER2 4.x examples' own form", () => {
  const mock = useMock();

  it.each<[string, string, object, RegExp]>([
    [
      '4.1',
      '4.1',
      { response: 'http://oca.microsoft.com/resredirect.aspx?SID=32', bucket: 500, bucketTable: 5, wql: WQL, spacedEquals: ['Bucket', 'BucketTable'] },
      /^Response=http:\/\/oca\.microsoft\.com\/resredirect\.aspx\?SID=32\r\nBucket = 500\r\nBucketTable = 5\r\niData=1\r\nWQL=SELECT Family FROM Win32_Processor\r\nDumpFile=\\PersistedCabs\\APPCRASH\\500\\[0-9a-f-]{36}\.cab\r\n$/,
    ],
    ['4.2', '4.2', { response: '', bucket: 500, bucketTable: 5, iData: 0, omit: ['iData'], spacedEquals: true }, /^Response =\r\nBucket = 500\r\nBucketTable = 5\r\n$/],
    [
      '4.3',
      '4.3',
      { bucket: 501, bucketTable: 5, wql: WQL, dumpFile: '\\PersistedCabs\\Blue\\c2428d43-b50a-4622-9d55-cce4602834b3.cab', spacedEquals: ['Bucket', 'BucketTable'] },
      /^Bucket = 501\r\nBucketTable = 5\r\niData=1\r\nWQL=SELECT Family FROM Win32_Processor\r\nDumpFile=\\PersistedCabs\\Blue\\c2428d43-b50a-4622-9d55-cce4602834b3\.cab\r\n$/,
    ],
  ])('%s: the answer body, in windows-1252, with only info findings', async (_n, report, cer, body) => {
    await mock.client.setScenario({ rules: [{ name: 'doc', when: { protocol: 'cer' }, respond: { cer } }] });
    const r = await postReport(mock.url, example(report));
    expect([r.status, r.headers['content-type']]).toEqual([200, CER_TYPE]);
    expect(r.text).toMatch(body);
    expect(await mock.client.violations({ requestId: r.requestId })).toEqual([]);
  });

  it("a real server's form: iData first, no BucketTable, DumpServer= and ModuleInfo=1 after the document's keys", async () => {
    await mock.client.setScenario({
      cer: { firstBucket: 1, bucketTable: 1 },
      rules: [{ when: { protocol: 'cer' }, respond: { cer: { order: ['iData'], omit: ['BucketTable'], extra: { DumpServer: 'cer.example.com', ModuleInfo: '1' } } } }],
    });
    const r = await postReport(mock.url, example('4.1'));
    expect(r.text).toMatch(/^iData=1\r\nBucket=1\r\nDumpFile=\\PersistedCabs\\APPCRASH\\1\\[0-9a-f-]{36}\.cab\r\nDumpServer=cer\.example\.com\r\nModuleInfo=1\r\n$/);
    const [report] = await mock.client.cerReports();
    expect(report).toMatchObject({ bucket: 1, bucketTable: 1, instructions: { iData: 1, bucket: 1, extra: { DumpServer: 'cer.example.com', ModuleInfo: '1' } } });
    expect(report.instructions).not.toHaveProperty('bucketTable');
  });
});

describe('real clients are answered: lcid 14337, 16385, 16393 and the Windows 10 osstring (strict)', () => {
  const mock = useMock();

  it.each(['14337', '16385', '16393'])('lcid %s, os 10.0.19044.2.0.0.256.48: 200 with a bucket, info findings only', async (lcid) => {
    const r = await postReport(mock.url, buildWerReport({ machine: { ...DEFAULT_WER_PARTS.machine, lcid, os: '10.0.19044.2.0.0.256.48' } }));
    expect([r.status, r.answer.Bucket, r.answer.iData]).toEqual([200, '100', '1']);
    expect(await mock.client.violations({ requestId: r.requestId })).toEqual([]);
    const rules = (await mock.client.violations({ requestId: r.requestId, level: 'all' })).map((v) => [v.rule, v.specRef, v.level]);
    expect(rules).toEqual(
      expect.arrayContaining([
        ['cer.lcid-form', 'MS-CER2 2.2.1.2.3', 'info'],
        ['cer.osstring-form', 'MS-CER2 2.2.1.2.2', 'info'],
      ]),
    );
  });
});

describe('fileshare copies are named after the issued DumpFile, whatever its form', () => {
  const m = useMock({ lifetime: 'test' });

  it.each<[string, string, string]>([
    ['fixed by a rule', '\\Custom\\crash.cab', 'Custom/crash'],
    [
      "not ending in <uuid>.cab (the document's 4.4)",
      '\\PersistedCabs\\Generic\\MikeTest\\1000\\2000\\3000\\41ed848b-30fe-4db5-92e9-7745d2ceb2b8',
      'PersistedCabs/Generic/MikeTest/1000/2000/3000/41ed848b-30fe-4db5-92e9-7745d2ceb2b8',
    ],
  ])('%s: the cabinet under its name, the report beside it with .xml', async (_n, dumpFile, stem) => {
    await m.client.setScenario({ rules: [{ when: { protocol: 'cer' }, respond: { cer: { dumpFile } } }] });
    const body = example('4.4');
    const l1 = await postReport(m.url, body);
    expect(l1.answer.DumpFile).toBe(dumpFile);
    expect((await putCab(m.url, slashed(dumpFile), helloCab)).status).toBe(200);
    const cab = dumpFile.endsWith('.cab') ? stem + '.cab' : stem;
    const files = listTree(path.join(m.dir, 'fileshare')).filter((f) => !f.endsWith('/'));
    expect(files).toEqual([cab, stem + '.xml'].sort());
    expect(fs.readFileSync(path.join(m.dir, 'fileshare', stem + '.xml')).equals(body)).toBe(true);
    expect(fs.readFileSync(path.join(m.dir, 'fileshare', cab)).equals(helloCab)).toBe(true);
    const [report] = await m.client.cerReports();
    expect([report.filesharePath, report.level2?.filesharePath]).toEqual([stem + '.xml', cab]);
  });
});

describe('every CER answer is windows-1252; a repeated PUT; the HTTP version', () => {
  const mock = useMock();

  it('a strict refusal is a 400 of one line `<rule> (<specRef>): <reason>` in windows-1252', async () => {
    const r = await postReport(mock.url, buildWerReport({ machine: { ...DEFAULT_WER_PARTS.machine, lcid: 'en-US' } }));
    expect([r.status, r.headers['content-type']]).toEqual([400, CER_TYPE]);
    expect(r.text).toMatch(/^cer\.lcid \(MS-CER2 2\.2\.1\.2\.3\): [^\n]+\n$/);
    const refused = await putCab(mock.url, '/PersistedCabs/nowhere.cab', helloCab);
    expect([refused.status, refused.headers['content-type']]).toEqual([404, CER_TYPE]);
  });

  it('the same cabinet again gets 200 and an info finding; other bytes get 409 and an error', async () => {
    const l1 = await postReport(mock.url, example('4.1'));
    const target = slashed(l1.answer.DumpFile);
    expect((await putCab(mock.url, target, helloCab)).status).toBe(200);
    const again = await putCab(mock.url, target, helloCab);
    expect([again.status, again.headers['content-type'], again.body.length]).toEqual([200, CER_TYPE, 0]);
    // The slashed form of the DumpFile also gets its cer.dumpfile-form info.
    const infos = (await mock.client.violations({ requestId: again.requestId, level: 'all' })).filter((v) => v.rule !== 'cer.dumpfile-form');
    expect(infos).toEqual([expect.objectContaining({ rule: 'cer-level2.resent', level: 'info' })]);
    const other = await putCab(mock.url, target, Buffer.concat([helloCab, Buffer.from([0])]));
    expect([other.status, other.headers['content-type']]).toEqual([409, CER_TYPE]);
    expect(await mock.client.violations({ requestId: other.requestId })).toEqual([expect.objectContaining({ rule: 'cer-level2.duplicate', level: 'error' })]);
    const [report] = await mock.client.cerReports();
    expect(report.level2?.requestId).toBe(l1.requestId + 1);
  });

  it('HTTP/1.0 is answered, recorded as httpVersion "1.0" with a cer.http-version warning; HTTP/1.1 as "1.1"', async () => {
    const raw = await rawRequest(mock.url, 'POST /stage2.htm HTTP/1.0\r\nHost: x\r\n', example('4.1'));
    expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    const id = Number(/x-mock-request-id: (\d+)/i.exec(raw)![1]);
    const eleven = await postReport(mock.url, example('4.1'));
    const rows = await mock.client.requests({ protocol: 'cer' });
    expect(rows.map((r) => [r.id, r.httpVersion])).toEqual([
      [id, '1.0'],
      [eleven.requestId, '1.1'],
    ]);
    expect((await mock.client.request(id)).httpVersion).toBe('1.0');
    expect(await mock.client.violations({ requestId: id })).toEqual([expect.objectContaining({ rule: 'cer.http-version', specRef: 'MS-CER2 2.1', level: 'warning' })]);
    expect(await mock.client.violations({ requestId: eleven.requestId })).toEqual([]);
  });
});
