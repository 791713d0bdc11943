// Request-target marking and the origin-form (RFC 7230 5.3): the DumpFile forms a CER client
// sends (MS-CER2 2.2.2, 4.1 step 8) are marked so Node's parser takes them, losslessly.

import { markRequestLine, needsMarking, originForm, TARGET_MARKER, unmarkTarget } from './request-target';

const DUMP = '\\PersistedCabs\\APPCRASH\\100\\8747c307-c461-42ba-abf5-7fd98d8bb0ec.cab';
const M = TARGET_MARKER;

describe('markRequestLine', () => {
  it.each([
    ['a bare backslash (the DumpFile as issued)', `PUT ${DUMP} HTTP/1.1\r\n`, `PUT ${M}${DUMP} HTTP/1.1\r\n`],
    ['a doubled backslash (4.1 step 8)', `PUT \\${DUMP} HTTP/1.1\r\n`, `PUT ${M}\\${DUMP} HTTP/1.1\r\n`],
    ['percent-encoded', 'PUT %5CPersistedCabs%5Cx.cab HTTP/1.1\r\n', `PUT ${M}%5CPersistedCabs%5Cx.cab HTTP/1.1\r\n`],
    ['absolute form', 'PUT http://cer.corp:1273/PersistedCabs/x.cab HTTP/1.1\r\n', `PUT ${M}http://cer.corp:1273/PersistedCabs/x.cab HTTP/1.1\r\n`],
    ['absolute form with the DumpFile', `PUT http://cer.corp${DUMP} HTTP/1.1\r\n`, `PUT ${M}http://cer.corp${DUMP} HTTP/1.1\r\n`],
    ['no leading separator', 'PUT PersistedCabs\\x.cab HTTP/1.1\r\n', `PUT ${M}PersistedCabs\\x.cab HTTP/1.1\r\n`],
    ['a bare LF line end', `PUT ${DUMP} HTTP/1.1\n`, `PUT ${M}${DUMP} HTTP/1.1\n`],
    ['HTTP/1.0', `PUT ${DUMP} HTTP/1.0\r\n`, `PUT ${M}${DUMP} HTTP/1.0\r\n`],
    ['a target that starts with the marker (kept lossless)', `GET ${M}x HTTP/1.1\r\n`, `GET ${M}${M}x HTTP/1.1\r\n`],
    ['bytes above 0x7f, kept as they are', 'PUT \\caf\xe9.cab HTTP/1.1\r\n', `PUT ${M}\\caf\xe9.cab HTTP/1.1\r\n`],
  ])('marks %s', (_name, line, marked) => {
    expect(markRequestLine(line)).toBe(marked);
    const target = marked.split(' ')[1];
    expect(unmarkTarget(target)).toBe(line.split(' ')[1]);
  });

  it.each([
    ['an origin-form target', 'PUT /PersistedCabs/x.cab HTTP/1.1\r\n'],
    ['a slash then backslashes', `PUT /${DUMP} HTTP/1.1\r\n`],
    ['the asterisk-form (RFC 7230 5.3.4)', 'OPTIONS * HTTP/1.1\r\n'],
    ['the authority-form of CONNECT (5.3.3)', 'CONNECT cer.corp:443 HTTP/1.1\r\n'],
    ['no target', 'GET\r\n'],
    ['two spaces', `PUT  ${DUMP} HTTP/1.1\r\n`],
    ['no line end', `PUT ${DUMP} HTTP/1.1`],
  ])('leaves %s to the parser', (_name, line) => {
    expect(markRequestLine(line)).toBeNull();
  });
});

describe('needsMarking', () => {
  it.each([
    ['PUT', DUMP, true],
    ['PUT', '/x', false],
    ['GET', M, true],
    ['GET', '*', false],
    ['CONNECT', 'h:1', false],
  ])('%s %s → %s', (method, target, out) => {
    expect(needsMarking(method, target)).toBe(out);
  });
});

describe('originForm', () => {
  it.each([
    ['http://cer.corp:1273/stage2.htm', '/stage2.htm'],
    ['HTTPS://cer.corp/PersistedCabs/x.cab?a=1', '/PersistedCabs/x.cab?a=1'],
    [`http://cer.corp${DUMP}`, DUMP],
    ['http://cer.corp', '/'],
    ['http://cer.corp?q', '/?q'],
    ['http://user@[::1]:80/x', '/x'],
    ['/stage2.htm', '/stage2.htm'],
    [DUMP, DUMP],
    ['//server/share/x', '//server/share/x'],
    ['%5CPersistedCabs', '%5CPersistedCabs'],
    ['*', '*'],
  ])('%s → %s', (target, out) => {
    expect(originForm(target)).toBe(out);
  });
});
