// The connection pre-parser: only request lines change, whatever the chunking; bodies (also ones
// that look like request lines) and headers go through byte for byte (RFC 7230 3.3.3, 4.1).

import { LINE_LIMIT, RequestFraming } from './request-framing';
import { TARGET_MARKER as M } from './request-target';

const DUMP = '\\PersistedCabs\\APPCRASH\\100\\8747c307-c461-42ba-abf5-7fd98d8bb0ec.cab';
/** A body that would be marked if the pre-parser took it for a request line. */
const LOOKALIKE = `PUT ${DUMP} HTTP/1.1\r\n\r\n`;

const put = (target: string, body: string, extra = '') => `PUT ${target} HTTP/1.1\r\nHost: cer\r\nContent-Length: ${Buffer.byteLength(body, 'latin1')}\r\n${extra}\r\n${body}`;
const chunked = (target: string, chunks: string[], trailers = '') =>
  `PUT ${target} HTTP/1.1\r\nHost: cer\r\nTransfer-Encoding: chunked\r\n\r\n` + chunks.map((c) => `${c.length.toString(16)};x=1\r\n${c}\r\n`).join('') + `0\r\n${trailers}\r\n`;

function run(input: string, cuts: number[] = []): string {
  const f = new RequestFraming();
  const bytes = Buffer.from(input, 'latin1');
  const out: Buffer[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...f.push(bytes.subarray(at, cut)));
    at = cut;
  }
  out.push(...f.end());
  return Buffer.concat(out).toString('latin1');
}

const cases: [string, string, string][] = [
  ['a bare-backslash PUT', put(DUMP, 'MSCF'), put(M + DUMP, 'MSCF')],
  ['an origin-form PUT (untouched)', put('/PersistedCabs/x.cab', 'MSCF'), put('/PersistedCabs/x.cab', 'MSCF')],
  ['two pipelined PUTs', put(DUMP, 'MSCF') + put('\\' + DUMP, 'cab2'), put(M + DUMP, 'MSCF') + put(M + '\\' + DUMP, 'cab2')],
  ['a body that looks like a request line', put(DUMP, LOOKALIKE) + put(DUMP, ''), put(M + DUMP, LOOKALIKE) + put(M + DUMP, '')],
  ['a chunked body that looks like request lines', chunked(DUMP, [LOOKALIKE, 'x']) + put(DUMP, 'y'), chunked(M + DUMP, [LOOKALIKE, 'x']) + put(M + DUMP, 'y')],
  ['chunked with trailers', chunked(DUMP, ['ab'], 'X-T: PUT \\x HTTP/1.1\r\n') + put(DUMP, ''), chunked(M + DUMP, ['ab'], 'X-T: PUT \\x HTTP/1.1\r\n') + put(M + DUMP, '')],
  ['empty lines before a request line (RFC 7230 3.5)', '\r\n\n' + put(DUMP, 'a'), '\r\n\n' + put(M + DUMP, 'a')],
  ['a GET without a body, then a PUT', `GET /__admin/health HTTP/1.1\r\nHost: x\r\n\r\n` + put(DUMP, 'a'), `GET /__admin/health HTTP/1.1\r\nHost: x\r\n\r\n` + put(M + DUMP, 'a')],
  ['repeated equal Content-Length values', put(DUMP, 'ab', 'Content-Length: 2\r\n') + put(DUMP, ''), put(M + DUMP, 'ab', 'Content-Length: 2\r\n') + put(M + DUMP, '')],
  ['header bytes above 0x7f', put(DUMP, 'a', 'X-Name: caf\xe9\r\n'), put(M + DUMP, 'a', 'X-Name: caf\xe9\r\n')],
];

describe('RequestFraming', () => {
  it.each(cases)('%s: in one chunk', (_name, input, expected) => {
    expect(run(input)).toBe(expected);
  });

  it.each(cases)('%s: split at every byte offset', (_name, input, expected) => {
    for (let cut = 1; cut < input.length; cut++) expect(run(input, [cut])).toBe(expected);
  });

  it.each(cases)('%s: one byte per chunk', (_name, input, expected) => {
    expect(run(input, [...Array(input.length).keys()].slice(1))).toBe(expected);
  });

  it.each([
    ['an Upgrade request', `GET /x HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`],
    ['differing Content-Length values', put('/x', 'ab', 'Content-Length: 3\r\n')],
    ['a Content-Length that is not a number', `PUT /x HTTP/1.1\r\nContent-Length: 2x\r\n\r\nab`],
    ['Content-Length with Transfer-Encoding', `PUT /x HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n`],
    ['a Transfer-Encoding that is not chunked', `PUT /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n`],
    ['an obs-fold header line', `PUT /x HTTP/1.1\r\nX-A: 1\r\n 2\r\n\r\n`],
    ['a bad chunk size', `PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`],
  ])('after %s, leaves the rest of the connection to the parser', (_name, head) => {
    const after = put(DUMP, 'a');
    expect(run(head + after)).toBe(head + after);
  });

  it('holds an unfinished request line and gives it back at the end', () => {
    const f = new RequestFraming();
    expect(f.push(Buffer.from(`PUT ${DUMP}`, 'latin1'))).toEqual([]);
    expect(Buffer.concat(f.end()).toString('latin1')).toBe(`PUT ${DUMP}`);
  });

  it('gives up holding a request line longer than LINE_LIMIT and passes everything on', () => {
    const long = `PUT \\${'x'.repeat(LINE_LIMIT)}`;
    const f = new RequestFraming();
    const out = Buffer.concat([...f.push(Buffer.from(long, 'latin1')), ...f.push(Buffer.from(' HTTP/1.1\r\n\r\n'))]).toString('latin1');
    expect(out).toBe(`${long} HTTP/1.1\r\n\r\n`);
  });

  it('passes a large body on as the same buffers, without copying', () => {
    const f = new RequestFraming();
    f.push(Buffer.from(`PUT ${DUMP} HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n`, 'latin1'));
    const big = Buffer.alloc(1000000, 0x41);
    expect(f.push(big)[0]).toBe(big);
  });
});
