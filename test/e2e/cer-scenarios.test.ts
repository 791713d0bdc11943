// CER under scenarios, end to end: cer.requireAuth challenges, rule `respond.cer` answers (every
// MS-CER2 2.2.2 key), per-rule buckets, `when.eventType`/`when.appName`, plain answers on level 2,
// and the ready-made scenarios/cer-*.yaml files, each loaded from its FILE.

import path from 'node:path';
import type { MockServer, Scenario } from '../../server';
import { SPEC_AUTHENTICATE } from '../../server/codecs/ntlm/vectors';
import { buildWerReport, DEFAULT_WER_PARTS } from '../../server/testing';
import { postReport, putCab, slashed } from '../helpers/cer';
import { fixture } from '../helpers/fixtures';
import { useMock, withMock } from '../helpers/lifecycle';

const SCENARIOS = path.resolve(__dirname, '../../scenarios');
const example = (n: string) => fixture('cer', `werreport-${n}.xml`);
const helloCab = fixture('cab', 'hello-mszip.cab');

const mock = useMock();

describe('cer.requireAuth (MS-CER2 1.7, 2.1)', () => {
  const schemes: [NonNullable<NonNullable<Scenario['cer']>['requireAuth']>, string, string, string][] = [
    ['negotiate', 'Negotiate', 'Negotiate YIIGhgYGKwYBBQUCoIIGejCCBnag', 'NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw=='],
    // A type 3 (MS-NLMP 4.2.4.3) alone on a fresh connection: without cer.credentials it passes (with cer.auth-no-challenge).
    ['ntlm', 'NTLM', `NTLM ${Buffer.from(SPEC_AUTHENTICATE, 'hex').toString('base64')}`, 'Negotiate YIIGhgYGKwYBBQUCoIIGejCCBnag'],
    ['basic', 'Basic realm="sqm-cer-mock"', 'Basic dXNlcjpwYXNzd29yZA==', 'Bearer abc'],
  ];

  it.each(schemes)('%s: 401 with WWW-Authenticate %s until the request carries the scheme, then 200 (levels 1 and 2)', async (requireAuth, challenge, good, wrong) => {
    await mock.client.setScenario({ cer: { requireAuth } });
    const report = example('4.1');
    for (const headers of [{}, { authorization: wrong }] as Record<string, string>[]) {
      const refused = await postReport(mock.url, report, { headers });
      expect(refused.status).toBe(401);
      expect(refused.headers['www-authenticate']).toBe(challenge);
    }
    expect(await mock.client.cerReports()).toEqual([]);

    const l1 = await postReport(mock.url, report, { headers: { authorization: good } });
    expect(l1.status).toBe(200);
    expect(l1.answer.iData).toBe('1');
    // The scheme is matched without regard to case (the full exchange is in cer-auth.test.ts).
    const lower = await postReport(mock.url, report, { headers: { authorization: good.replace(/^\S+/, (m) => m.toLowerCase()) } });
    expect(lower.status).toBe(200);

    const put401 = await putCab(mock.url, slashed(l1.answer.DumpFile), helloCab);
    expect([put401.status, put401.headers['www-authenticate']]).toEqual([401, challenge]);
    const put = await putCab(mock.url, slashed(l1.answer.DumpFile), helloCab, { headers: { authorization: good } });
    expect(put.status).toBe(200);
    const rows = await mock.client.requests();
    expect(rows.map((r) => [r.protocol, r.status])).toEqual([
      ['cer', 401],
      ['cer', 401],
      ['cer', 200],
      ['cer', 200],
      ['cer-level2', 401],
      ['cer-level2', 200],
    ]);
    const [first] = await mock.client.cerReports();
    expect(first.level2?.requestId).toBe(put.requestId);
  });
});

describe('rule respond.cer (MS-CER2 2.2.2)', () => {
  it('writes every key the rule gives, lists joined by ";", spacedEquals as "Bucket = 500"', async () => {
    await mock.client.setScenario({
      rules: [
        {
          name: 'everything',
          when: { protocol: 'cer' },
          respond: {
            cer: {
              response: 'http://oca.microsoft.com/resredirect.aspx?SID=32',
              bucket: 500,
              bucketTable: 50,
              memoryDump: 1,
              fDoc: 1,
              regKey: ['HKLM\\SOFTWARE\\Contoso', 'HKCU\\Software\\Contoso'],
              wql: ['SELECT Family FROM Win32_Processor', 'SELECT * FROM Win32_OperatingSystem'],
              getFile: ['%WINDIR%\\win.ini', 'C:\\logs\\app.log'],
              getFileVersion: ['%WINDIR%\\system32\\kernel32.dll'],
              regTree: ['HKLM\\SOFTWARE\\Policies'],
              spacedEquals: true,
            },
          },
        },
      ],
    });
    const r = await postReport(mock.url, example('4.1'));
    expect(r.status).toBe(200);
    const dumpFile = r.answer.DumpFile;
    expect(dumpFile).toMatch(/^\\PersistedCabs\\APPCRASH\\500\\[0-9a-f-]{36}\.cab$/);
    expect(r.text).toBe(
      [
        'Response = http://oca.microsoft.com/resredirect.aspx?SID=32',
        'Bucket = 500',
        'BucketTable = 50',
        'iData = 1',
        'MemoryDump = 1',
        'RegKey = HKLM\\SOFTWARE\\Contoso;HKCU\\Software\\Contoso',
        'fDoc = 1',
        'WQL = SELECT Family FROM Win32_Processor;SELECT * FROM Win32_OperatingSystem',
        'GetFile = %WINDIR%\\win.ini;C:\\logs\\app.log',
        'GetFileVersion = %WINDIR%\\system32\\kernel32.dll',
        `DumpFile = ${dumpFile}`,
        'RegTree = HKLM\\SOFTWARE\\Policies',
        '',
      ].join('\r\n'),
    );
    expect((await mock.client.request(r.requestId)).ruleName).toBe('everything');
    const [report] = await mock.client.cerReports();
    expect(report).toMatchObject({ bucket: 500, bucketTable: 50, dumpFile });
    expect(report.instructions).toMatchObject({ wql: ['SELECT Family FROM Win32_Processor', 'SELECT * FROM Win32_OperatingSystem'], memoryDump: 1 });
    // The rule's bucket is what the client is told; the signature keeps its own in /cer/buckets.
    expect((await mock.client.cerBuckets()).map((b) => [b.bucket, b.hits])).toEqual([[100, 1]]);
    expect((await putCab(mock.url, slashed(dumpFile), helloCab)).status).toBe(200);
  });

  it('iData: 0 → no DumpFile, and a level-2 PUT has nowhere to go', async () => {
    await mock.client.setScenario({ rules: [{ respond: { cer: { iData: 0 } } }] });
    const r = await postReport(mock.url, example('4.2'));
    expect(r.text).toBe('Bucket=100\r\nBucketTable=10\r\niData=0\r\n');
    const [report] = await mock.client.cerReports();
    expect(report.dumpFile).toBeNull();
    expect((await putCab(mock.url, '/PersistedCabs/APPCRASH/100/x.cab', helloCab)).status).toBe(404);
  });

  it('a per-rule bucket applies to the requests its when matches: eventType and appName, ignoring case', async () => {
    await mock.client.setScenario({
      rules: [
        { name: 'blue', when: { protocol: 'cer', eventType: 'bluescreen' }, respond: { cer: { bucket: 777, bucketTable: 77 } } },
        { name: 'gpf', when: { appName: 'WER GPF TEST UTILITY' }, respond: { cer: { bucket: 888 } } },
      ],
    });
    const blue = await postReport(mock.url, example('4.3'));
    const gpf = await postReport(mock.url, example('4.1'));
    const other = await postReport(mock.url, example('4.4'));
    expect([blue.answer.Bucket, blue.answer.BucketTable, gpf.answer.Bucket, gpf.answer.BucketTable, other.answer.Bucket]).toEqual(['777', '77', '888', '10', '102']);
    const rows = await mock.client.requests();
    expect(rows.map((r) => r.ruleName)).toEqual(['blue', 'gpf', null]);
  });

  it("a rule's delay applies to a strict 400 too, and the request records the rule", async () => {
    await mock.client.setScenario({ rules: [{ name: 'slow', when: { protocol: 'cer' }, respond: { delayMs: 300, cer: { bucket: 900 } } }] });
    const invalid = buildWerReport({ machine: { ...DEFAULT_WER_PARTS.machine, lcid: 'en-US' } });
    const started = Date.now();
    const r = await postReport(mock.url, invalid);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(r.status).toBe(400);
    expect(await mock.client.request(r.requestId)).toMatchObject({ status: 400, ruleName: 'slow', delayMs: 300 });
    const ok = await postReport(mock.url, buildWerReport());
    expect([ok.status, ok.answer.Bucket]).toEqual([200, '900']);
  });

  it('a rule with a plain status answers level 1 with it; nothing is stored as a report', async () => {
    await mock.client.setScenario({
      rules: [{ name: 'down', when: { protocol: 'cer' }, respond: { status: 503, body: 'down for maintenance', headers: { 'Retry-After': '5' } } }],
    });
    const r = await postReport(mock.url, example('4.1'));
    expect([r.status, r.text, r.headers['retry-after']]).toEqual([503, 'down for maintenance', '5']);
    expect(await mock.client.cerReports()).toEqual([]);
  });

  it('a rule with a plain status on cer-level2 answers the PUT with it; the cabinet is not taken, so a retry is accepted', async () => {
    await mock.client.setScenario({ rules: [{ name: 'busy', when: { protocol: 'cer-level2' }, times: 1, respond: { status: 503, body: 'busy' } }] });
    const l1 = await postReport(mock.url, example('4.1'));
    const busy = await putCab(mock.url, slashed(l1.answer.DumpFile), helloCab);
    expect([busy.status, busy.text]).toEqual([503, 'busy']);
    expect((await mock.client.cerReports())[0].level2).toBeNull();
    const retry = await putCab(mock.url, slashed(l1.answer.DumpFile), helloCab);
    expect(retry.status).toBe(200);
    expect((await mock.client.requests({ protocol: 'cer-level2' })).map((r) => [r.status, r.ruleName])).toEqual([
      [503, 'busy'],
      [200, null],
    ]);
  });

  it('a DumpFile fixed by a rule goes to the first report it was issued to; later ones get an info finding', async () => {
    await mock.client.setScenario({ rules: [{ respond: { cer: { dumpFile: '\\upload\\here.cab' } } }] });
    const first = await postReport(mock.url, example('4.1'));
    const [second, third] = await Promise.all([postReport(mock.url, example('4.3')), postReport(mock.url, example('4.4'))]);
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect([first.answer.DumpFile, second.answer.DumpFile]).toEqual(['\\upload\\here.cab', '\\upload\\here.cab']);
    const found = await mock.client.violations({ requestId: second.requestId, level: 'info' });
    expect(found.map((f) => f.rule)).toContain('cer.dump-file-reused');
    const put = await putCab(mock.url, '/upload/here.cab', helloCab);
    expect(put.status).toBe(200);
    const reports = await mock.client.cerReports();
    expect(reports.map((r) => r.level2?.requestId ?? null)).toEqual([put.requestId, null, null]);
  });
});

describe('ready-made scenarios', () => {
  /** Runs `use` on a fresh server started on scenarios/<file>, once it has loaded. */
  const serve = (file: string, use: (m: MockServer) => Promise<void>) =>
    withMock({ scenario: path.join(SCENARIOS, file) }, async (m) => {
      expect((await m.client.scenario()).name).toBe(file.replace(/\.yaml$/, ''));
      await use(m);
    });

  it('scenarios/cer-collect-files.yaml asks for files, a WMI query, a registry key and a minidump', () =>
    serve('cer-collect-files.yaml', async (m) => {
      const r = await postReport(m.url, example('4.1'));
      expect(r.answer).toMatchObject({
        Bucket: '100',
        BucketTable: '10',
        iData: '1',
        MemoryDump: '1',
        GetFile: '%WINDIR%\\win.ini;%TEMP%\\setup.log',
        WQL: 'SELECT Family FROM Win32_Processor',
        RegKey: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
      });
      expect(r.answer.DumpFile).toMatch(/^\\PersistedCabs\\APPCRASH\\100\\/);
      expect((await m.client.request(r.requestId)).ruleName).toBe('collect-files');
      // The client sent a cabinet without the files: two info findings.
      const put = await putCab(m.url, r.answer.DumpFile, helloCab);
      expect(put.status).toBe(200);
      const found = await m.client.violations({ requestId: put.requestId, level: 'info', kind: 'request' });
      expect(found.map((f) => f.rule)).toEqual(['cer-level2.missing-file', 'cer-level2.missing-file']);
      // Across requests: what the level-1 answer asked for and the cabinet lacks (info, MS-CER2 3.1.5).
      const asked = await m.client.violations({ requestId: put.requestId, level: 'info', kind: 'conversation' });
      expect(asked.length).toBeGreaterThan(0);
      expect(asked.every((f) => f.rule === 'cer.cab-requested-missing' && f.relatedRequestId !== null)).toBe(true);
    }));

  it('scenarios/cer-no-level2.yaml answers iData=0 without a DumpFile', () =>
    serve('cer-no-level2.yaml', async (m) => {
      for (const n of ['4.1', '4.3']) {
        const r = await postReport(m.url, example(n));
        expect(Object.keys(r.answer)).toEqual(['Bucket', 'BucketTable', 'iData']);
        expect(r.answer.iData).toBe('0');
      }
      expect((await m.client.requests()).map((r) => r.ruleName)).toEqual(['level-1-only', 'level-1-only']);
      const put = await putCab(m.url, '/PersistedCabs/APPCRASH/100/8747c307-c461-42ba-abf5-7fd98d8bb0ec.cab', helloCab);
      expect(put.status).toBe(404);
      expect((await m.client.violations({ requestId: put.requestId, kind: 'request' })).map((v) => v.rule)).toEqual(['cer-level2.unknown-path']);
      // The client holds a report answered iData=0: a cabinet from it is unrequested (INTERFACE.md section 5).
      expect((await m.client.violations({ requestId: put.requestId, kind: 'conversation' })).map((v) => v.rule)).toEqual(['cer.level2-unrequested']);
    }));

  it('scenarios/cer-support-url.yaml answers Response=<URL>, and level 2 still runs', () =>
    serve('cer-support-url.yaml', async (m) => {
      const r = await postReport(m.url, buildWerReport({ event: { ...DEFAULT_WER_PARTS.event, eventtype: 'AppHang' } }));
      expect(Object.keys(r.answer)).toEqual(['Response', 'Bucket', 'BucketTable', 'iData', 'DumpFile']);
      expect(r.answer.Response).toBe('http://support.example.com/kb/cer-crash?id=100');
      expect((await m.client.violations({ requestId: r.requestId, level: 'all' })).filter((f) => f.rule.startsWith('cer.answer'))).toEqual([]);
      expect((await putCab(m.url, slashed(r.answer.DumpFile), helloCab)).status).toBe(200);
    }));
});
