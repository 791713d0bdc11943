// The web page's pure helpers: hex rows, filters, what an answer set up, curl, HAR, error lines.

import { curlCommand, errorLines, harOf, hexRow, innermost, matches, prettyXml, setUpRules, statusClass } from './format';
import type { RequestDetail, RequestRow } from './types';

const row: RequestRow = {
  id: 3,
  receivedAt: '2026-01-01T00:00:00.000Z',
  listener: 'main',
  protocol: 'sqm-v1',
  method: 'POST',
  path: '/sqm/windows/sqmserver.dll',
  status: 201,
  bodySize: 4,
  ruleName: 'throttle-7',
  partner: 'windows',
  fault: null,
  clientKey: 'k',
};
const detail: RequestDetail = {
  ...row,
  headers: [
    ['host', 'x'],
    ['content-type', 'application/octet-stream'],
    ['user-agent', "it's"],
  ],
  responseHeaders: { ThrottleInterval: '"7"' },
  responseBody: 'ThrottleInterval:"7"\r\n',
};

it('hexRow: offset, two hex digits per byte, dots for what is not printable ASCII', () => {
  const bytes = Uint8Array.from([0x4d, 0x53, 0x51, 0x4d, 0x00, 0x7f, ...Array<number>(12).fill(0x41)]);
  expect(hexRow(bytes, 0)).toEqual({ offset: '00000000', hex: ['4d', '53', '51', '4d', '00', '7f', ...Array<string>(10).fill('41')], ascii: [...'MSQM..', ...'AAAAAAAAAA'] });
  expect(hexRow(bytes, 1)).toEqual({ offset: '00000010', hex: ['41', '41'], ascii: ['A', 'A'] });
});

it.each([
  ['protocol', { protocol: 'cer' }, 0, false],
  ['status class', { statusClass: '2' }, 0, true],
  ['partner', { partner: 'office' }, 0, false],
  ['rule', { rule: 'throttle-7' }, 0, true],
  ['has findings, none', { hasFindings: true }, 0, false],
  ['has findings, one', { hasFindings: true }, 1, true],
  ['search over the rule', { search: 'THROTTLE' }, 0, true],
  ['search over the path', { search: 'stage2' }, 0, false],
] as const)('matches: %s', (_name, filter, findings, expected) => {
  expect(matches(row, filter, findings)).toBe(expected);
});

it('statusClass: a fault has no status', () => {
  expect([statusClass(201), statusClass(503), statusClass(null)]).toEqual(['2', '5', 'none']);
});

it('setUpRules: a 201 throttle, a v2 token, a CER DumpFile with iData=1', () => {
  expect(setUpRules(detail)).toEqual(['throttle: no upload for 7 days']);
  const v2 = '<resp key="1"><cmd nm="approved"><arg nm="token" val="3.ab.cd" /><arg nm="tm" val="1" /><arg nm="tokenexp" val="2" /></cmd></resp>';
  expect(setUpRules({ protocol: 'sqm-v2', status: 200, responseHeaders: {}, responseBody: v2 })).toEqual(['token issued 3.ab.cd (expires FILETIME 2)']);
  const cer = 'Bucket=100\r\niData=1\r\nDumpFile=\\PersistedCabs\\x.cab\r\n';
  expect(setUpRules({ protocol: 'cer', status: 200, responseHeaders: {}, responseBody: cer })).toEqual(['DumpFile issued \\PersistedCabs\\x.cab (iData=1: upload the cabinet)']);
});

it('curlCommand: quoted for the shell, without the headers curl sets, the body from the downloaded file', () => {
  expect(curlCommand(detail, 'http://127.0.0.1:8080')).toBe(
    `curl -X POST 'http://127.0.0.1:8080/sqm/windows/sqmserver.dll' -H 'content-type: application/octet-stream' -H 'user-agent: it'\\''s' --data-binary @request-3-body.bin`,
  );
});

it('harOf: HAR 1.2 with the body in base64 and the answer as sent', () => {
  const har = harOf(detail, Uint8Array.from([1, 2, 3, 4]), 'http://h') as {
    log: { version: string; entries: { request: { url: string; postData: { text: string } }; response: { status: number } }[] };
  };
  expect(har.log.version).toBe('1.2');
  expect(har.log.entries[0].request.url).toBe('http://h/sqm/windows/sqmserver.dll');
  expect(Buffer.from(har.log.entries[0].request.postData.text, 'base64')).toEqual(Buffer.from([1, 2, 3, 4]));
  expect(har.log.entries[0].response.status).toBe(201);
});

it('errorLines: the lines a scenario error names, once each', () => {
  expect(errorLines('PUT /__admin/scenario: rules[0].respond.status (line 5): expected a number; rules[1] (line 9): x; (line 5)')).toEqual([5, 9]);
  expect(errorLines('x: line 2, column 1: Flow sequence')).toEqual([2]);
  expect(errorLines('no line here')).toEqual([]);
});

it('innermost: the deepest range holding the byte; ranges in decompressed data never', () => {
  const ranges = [
    { start: 0, end: 120, depth: 0 },
    { start: 104, end: 108, depth: 1 },
    { start: 104, end: 105, depth: 1, space: 'decompressed' },
  ];
  expect([innermost(ranges, 105), innermost(ranges, 10), innermost(ranges, 500)]).toEqual([1, 0, -1]);
});

it('prettyXml: one element per line, indented', () => {
  expect(prettyXml('<?xml version="1.0"?><a><b x="1"/><c>t</c></a>')).toBe('<?xml version="1.0"?>\n<a>\n  <b x="1"/>\n  <c>\n    t\n  </c>\n</a>');
});
