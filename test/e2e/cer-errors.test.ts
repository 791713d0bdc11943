// CER bad input end to end: schema-invalid level-1 reports (400 strict, 200 lenient, recorded
// either way), DTDs (XXE, entity bombs), broken encodings, empty and oversized bodies, and
// level-2 PUTs whose path tries to leave the fileshare.

import { buildWerReport, buildWerXml, DEFAULT_WER_PARTS, encodeWerText, type WerParts } from '../../server/testing';
import { listTree, postReport, putCab, slashed } from '../helpers/cer';
import { fixture } from '../helpers/fixtures';
import { useMock } from '../helpers/lifecycle';

const mock = useMock();

const findings = (requestId: number) => mock.client.violations({ requestId, level: 'all' });
/** A 4xx reason: one line naming the rule and its section. */
const ONE_LINE = (rule: string, specRef: string) => new RegExp(`^${rule.replace(/\./g, '\\.')} \\(${specRef.replace(/\./g, '\\.')}\\): [^\\n]+\\n$`);

const ids0to9 = Array.from({ length: 10 }, (_, i) => ({ id: String(i), value: `v${i}` }));
const invalid: [string, WerParts, string, string][] = [
  ['lcid en-US (not a decimal locale id)', { machine: { ...DEFAULT_WER_PARTS.machine, lcid: 'en-US' } }, 'cer.lcid', 'MS-CER2 2.2.1.2.3'],
  ['reporttype 7', { event: { ...DEFAULT_WER_PARTS.event, reporttype: '7' } }, 'cer.reporttype', 'MS-CER2 2.2.1.2.4'],
  ['filetype 9', { files: [{ filename: 'Version.txt', filetype: '9' }] }, 'cer.filetype', 'MS-CER2 2.2.1.2.5'],
  ['11 PARAMETERs', { parameters: [...ids0to9, { id: '0', value: 'eleventh' }] }, 'cer.parameter-count', 'MS-CER2 2.2.1.3.6.1'],
  ['PARAMETER id 12', { parameters: [{ id: '12', value: 'x' }] }, 'cer.parameterid', 'MS-CER2 2.2.1.2.7'],
  ['no MACHINEINFO', { machine: null }, 'cer.missing-element', 'MS-CER2 2.2.1.3.3'],
  ['no eventtime', { event: { reporttype: '2', eventtype: 'APPCRASH' } }, 'cer.attribute', 'MS-CER2 2.2.1.3.5'],
  ["an osstring that is neither the pattern nor the examples' form", { machine: { ...DEFAULT_WER_PARTS.machine, os: 'Windows 7' } }, 'cer.osstring', 'MS-CER2 2.2.1.2.2'],
];

describe('schema-invalid level-1 data (MS-CER2 2.2.1)', () => {
  it.each(invalid)('%s: strict → 400 with a one-line reason naming the rule; recorded', async (_name, parts, rule, specRef) => {
    const r = await postReport(mock.url, buildWerReport(parts));
    expect(r.status).toBe(400);
    expect(r.text).toMatch(ONE_LINE(rule, specRef));
    expect(await findings(r.requestId)).toContainEqual(expect.objectContaining({ protocol: 'cer', level: 'error', rule, specRef }));
    const [row] = await mock.client.requests({ protocol: 'cer' });
    expect(row).toMatchObject({ id: r.requestId, status: 400, reason: r.text.trimEnd() });
    // Refused reports get no bucket and no DumpFile.
    expect(await mock.client.cerReports()).toEqual([]);
    expect(await mock.client.cerBuckets()).toEqual([]);
  });

  it.each(invalid)('%s: lenient → 200 with the usual answer; the violation still recorded', async (_name, parts, rule, specRef) => {
    await mock.client.setScenario({ strictness: 'lenient' });
    const r = await postReport(mock.url, buildWerReport(parts));
    expect(r.status).toBe(200);
    expect(r.answer).toMatchObject({ Bucket: '100', BucketTable: '10', iData: '1' });
    expect(await findings(r.requestId)).toContainEqual(expect.objectContaining({ protocol: 'cer', level: 'error', rule, specRef }));
    expect(await mock.client.cerReports()).toHaveLength(1);
  });
});

describe('DTDs are refused, never expanded', () => {
  const xxe = buildWerXml({ prolog: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n' }).replace('username="Username"', 'username="&e;"');
  const laughs = ['<!DOCTYPE lolz [', '<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`), ']>\n'].join('\n');
  const bomb = buildWerXml({ prolog: laughs }).replace('username="Username"', 'username="&lol9;"');
  const cases: [string, string][] = [
    ['XXE (an external entity on file:///etc/passwd)', xxe],
    ['an entity bomb (a billion laughs)', bomb],
  ];

  it.each(cases)('%s → 400 cer.doctype, in strict and in lenient mode', async (_name, xml) => {
    for (const strictness of ['strict', 'lenient'] as const) {
      await mock.client.setScenario({ strictness });
      const started = Date.now();
      const r = await postReport(mock.url, encodeWerText(xml));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(r.status).toBe(400);
      expect(r.text).toMatch(ONE_LINE('cer.doctype', 'MS-CER2 2.2.1'));
      const found = await findings(r.requestId);
      expect(found.map((f) => f.rule)).toEqual(['cer.doctype']);
      // Nothing was read or expanded: no file content, no laughs, in the answer or the record.
      for (const text of [r.text, ...found.map((f) => f.message)]) expect(text).not.toMatch(/root:|lollol/);
      expect(await mock.client.cerReports()).toEqual([]);
    }
  });
});

describe('encodings and sizes', () => {
  it('odd-length UTF-16 → 400 cer.encoding', async () => {
    const r = await postReport(mock.url, Buffer.concat([buildWerReport(), Buffer.from([0x41])]));
    expect(r.status).toBe(400);
    expect(r.text).toMatch(ONE_LINE('cer.encoding', 'MS-CER2 2.2.1'));
    expect(await findings(r.requestId)).toMatchObject([{ level: 'error', rule: 'cer.encoding' }]);
  });

  it('UTF-8 is accepted, with an info finding cer.encoding', async () => {
    const r = await postReport(mock.url, fixture('cer', 'werreport-4.1-utf8.xml'));
    expect(r.status).toBe(200);
    expect(r.answer.iData).toBe('1');
    const found = await findings(r.requestId);
    expect(found).toContainEqual(expect.objectContaining({ level: 'info', rule: 'cer.encoding', specRef: 'MS-CER2 2.2.1' }));
    expect(found.filter((f) => f.level !== 'info')).toEqual([]);
    const [report] = await mock.client.cerReports();
    expect(report.report).toMatchObject({ encoding: 'utf-8', bom: false });
  });

  it('UTF-16LE without a BOM is accepted, with a warning cer.bom', async () => {
    const r = await postReport(mock.url, fixture('cer', 'werreport-4.1-utf16le-nobom.xml'));
    expect(r.status).toBe(200);
    expect(await findings(r.requestId)).toContainEqual(expect.objectContaining({ level: 'warning', rule: 'cer.bom' }));
  });

  it('not well-formed XML → 400 cer.xml; another root element → 400 cer.root', async () => {
    const broken = await postReport(mock.url, encodeWerText('<?xml version="1.0"?>\n<WERREPORT><MACHINEINFO></WERREPORT>'));
    expect([broken.status, broken.text]).toEqual([400, expect.stringMatching(ONE_LINE('cer.xml', 'MS-CER2 2.2.1'))]);
    const root = await postReport(mock.url, encodeWerText('<werreport/>'));
    expect([root.status, root.text]).toEqual([400, expect.stringMatching(ONE_LINE('cer.root', 'MS-CER2 2.2.1.3.1'))]);
  });

  it('an empty body → 400 cer.empty', async () => {
    const r = await postReport(mock.url, Buffer.alloc(0));
    expect(r.status).toBe(400);
    expect(r.text).toMatch(ONE_LINE('cer.empty', 'MS-CER2 2.2.1'));
  });

  it('a body over the 4 MiB level-1 limit → 413 cer.size-limit; its size and hash are kept', async () => {
    const huge = Buffer.alloc(4 * 1024 * 1024 + 1, 0x20);
    const r = await postReport(mock.url, huge);
    expect(r.status).toBe(413);
    expect(r.text).toMatch(ONE_LINE('cer.size-limit', 'MS-CER2 2.2.1'));
    expect(await findings(r.requestId)).toMatchObject([{ level: 'error', rule: 'cer.size-limit', specRef: 'MS-CER2 2.2.1' }]);
    expect(await mock.client.request(r.requestId)).toMatchObject({ status: 413, bodySize: huge.length, bodyTruncated: true });
  });

  it('a level-1 report sent with PUT → 405 cer.method', async () => {
    const r = await putCab(mock.url, '/stage2.htm', buildWerReport());
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('POST');
    expect(await findings(r.requestId)).toMatchObject([{ rule: 'cer.method' }]);
  });
});

describe('level-2 paths that try to leave the fileshare', () => {
  // The fileshare two levels down its temp dir, so writes beside it and above it would show.
  const m = useMock({ fileshareIn: 'share/fileshare' });

  const paths: [string, string][] = [
    ['/..%2f..%2fetc/passwd', 'cer-level2.path'],
    ['/..\\..\\x', 'cer-level2.path'],
    ['/C:/Windows/x.cab', 'cer-level2.path'],
    ['//server/share/x', 'cer-level2.unknown-path'],
    ['/%2e%2e/x', 'cer-level2.path'],
    ['/%252e%252e/x', 'cer-level2.path'],
    ['/\\\\?\\C:\\x.cab', 'cer-level2.path'],
    ['/x%00.cab', 'cer-level2.path'],
  ];

  it.each(paths)('PUT %s → 404 (%s), captured as sent, nothing written', async (requestPath, rule) => {
    // A real report first, so the fileshare exists and an issued path is next door.
    const l1 = await postReport(m.url, buildWerReport());
    const before = listTree(m.dir);
    const put = await putCab(m.url, requestPath, Buffer.from('MSCF not really'));
    expect(put.status).toBe(404);
    expect((await m.client.violations({ requestId: put.requestId })).map((v) => v.rule)).toEqual([rule]);
    expect(await m.client.request(put.requestId)).toMatchObject({ protocol: 'cer-level2', method: 'PUT', path: requestPath, status: 404 });
    expect(listTree(m.dir)).toEqual(before);
    // A ".." inside an issued path is refused too; the issued path itself still works.
    const [, , eventType, bucket, file] = slashed(l1.answer.DumpFile).split('/');
    const dotted = await putCab(m.url, `/PersistedCabs/${eventType}/${bucket}/../${bucket}/${file}`, Buffer.from('x'));
    expect(dotted.status).toBe(404);
    expect((await putCab(m.url, slashed(l1.answer.DumpFile), Buffer.from('x'))).status).toBe(200);
    const outside = listTree(m.dir).filter((p) => !['share/', 'share/fileshare/'].includes(p) && !p.startsWith('share/fileshare/PersistedCabs/'));
    expect(outside).toEqual([]);
  });
});
