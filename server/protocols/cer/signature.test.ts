// The bucket key of an error signature (INTERFACE.md "Decisions on CER"): stable across document
// order, distinct for distinct signatures, whatever characters the values hold.

import { signatureKey } from './signature';
import type { WerParameter, WerReport, WerSecondaryParameter } from './types';

const report = (eventtype: string | null, parameters: WerParameter[], secondaryParameters: WerSecondaryParameter[] = []): WerReport => ({
  encoding: 'utf-16le',
  bom: true,
  machineInfo: { machinename: 'm', os: '6.1.6561.2.0.0.256.1', lcid: '1033' },
  userInfo: { username: 'u' },
  applicationInfo: { appname: 'a', apppath: 'E:\\a.exe' },
  eventInfo: eventtype === null ? null : { reporttype: '2', eventtype, eventtime: '128496925196486378' },
  parameters,
  secondaryParameters,
  files: [],
});
const p = (id: string, value: string, name = `P${id}`): WerParameter => ({ id, name, value });
const s = (name: string, value: string): WerSecondaryParameter => ({ name, value });
const key = (e: string | null, ps: WerParameter[], ss: WerSecondaryParameter[] = []): string => signatureKey(report(e, ps, ss));

// MS-CER2 4.1 and 4.3.
const GPF = [p('0', 'GPFMe.exe'), p('1', '6.0.4082.0'), p('2', '40ce670d'), p('3', 'GPFMe.exe'), p('4', '6.0.4082.0'), p('5', '40ce670d'), p('6', 'c0000005'), p('7', '000031de')];
const BLUE = [
  s('BCCode', 'f4'),
  s('BCP1', '00000003'),
  s('BCP2', '8C387020'),
  s('BCP3', '8C387184'),
  s('BCP4', '81BD1A30'),
  s('OS Version', '6_1_6561'),
  s('Service Pack', '0_0'),
  s('Product', '256_1'),
];

describe('the same signature gives the same key', () => {
  it('is JSON of the event type and the PARAMETER (id, value) pairs in id order', () => {
    expect(key('APPCRASH', GPF.slice(0, 2))).toBe('["APPCRASH",["p","0","GPFMe.exe"],["p","1","6.0.4082.0"]]');
  });

  it.each([
    ['PARAMETERs reversed', key('APPCRASH', [...GPF].reverse())],
    ['PARAMETERs shuffled', key('APPCRASH', [GPF[3], GPF[7], GPF[0], GPF[5], GPF[1], GPF[6], GPF[2], GPF[4]])],
    [
      'PARAMETER names differ',
      key(
        'APPCRASH',
        GPF.map((x) => ({ ...x, name: 'other' })),
      ),
    ],
    [
      'PARAMETER names absent',
      key(
        'APPCRASH',
        GPF.map(({ id, value }) => ({ id, value })),
      ),
    ],
    ['SECONDARYPARAMETERs are ignored when there are PARAMETERs', key('APPCRASH', GPF, BLUE)],
    ['other report fields differ', signatureKey({ ...report('APPCRASH', GPF), userInfo: { username: 'other' }, files: [{ filename: 'x', filetype: '5' }] })],
  ])('%s', (_name, k) => {
    expect(k).toBe(key('APPCRASH', GPF));
  });

  it('orders ids numerically (2 before 10) and is order-independent with odd ids too', () => {
    const ps = [p('10', 'x'), p('2', 'y'), p('a', 'z'), p('1a', 'w'), p('02', 'v')];
    const k = key('E', ps);
    expect(JSON.parse(k)).toEqual(['E', ['p', '02', 'v'], ['p', '2', 'y'], ['p', '10', 'x'], ['p', '1a', 'w'], ['p', 'a', 'z']]);
    for (let r = 0; r < ps.length; r++) expect(key('E', [...ps.slice(r), ...ps.slice(0, r)])).toBe(k);
    expect(key('E', [...ps].reverse())).toBe(k);
  });

  it('SECONDARYPARAMETER order does not matter either', () => {
    expect(key('BlueScreen', [], [...BLUE].reverse())).toBe(key('BlueScreen', [], BLUE));
  });

  it('duplicate ids (schema-invalid, accepted when lax) are still order-independent', () => {
    expect(key('E', [p('0', 'b'), p('0', 'a')])).toBe(key('E', [p('0', 'a'), p('0', 'b')]));
  });
});

describe('different signatures give different keys', () => {
  const base = key('APPCRASH', [p('0', 'a'), p('1', 'b')]);
  it.each([
    ['event type', key('APPHANG', [p('0', 'a'), p('1', 'b')])],
    ['event type case', key('appcrash', [p('0', 'a'), p('1', 'b')])],
    ['no event info', key(null, [p('0', 'a'), p('1', 'b')])],
    ['a value', key('APPCRASH', [p('0', 'a'), p('1', 'B')])],
    ['values swapped between ids', key('APPCRASH', [p('0', 'b'), p('1', 'a')])],
    ['an id', key('APPCRASH', [p('0', 'a'), p('2', 'b')])],
    ['one PARAMETER fewer', key('APPCRASH', [p('0', 'a')])],
    ['secondary pairs instead', key('APPCRASH', [], [s('0', 'a'), s('1', 'b')])],
  ])('%s', (_name, k) => {
    expect(k).not.toBe(base);
  });

  it('an empty event type differs from a missing one, and an empty signature from both', () => {
    expect(new Set([key('', []), key(null, []), key('', [], [s('', '')]), key('', [p('0', '')])]).size).toBe(4);
  });

  // Pairs that a naive join (",", ";", "|", "=", quotes, NUL, newlines) would confuse.
  const confusable: [string, string, string][] = [
    ['comma in value vs two params', key('E', [p('0', 'a,b')]), key('E', [p('0', 'a'), p('1', 'b')])],
    ['semicolon', key('E', [p('0', 'a;1;b')]), key('E', [p('0', 'a'), p('1', 'b')])],
    ['pipe across event type', key('E|a', [p('0', 'b')]), key('E', [p('0', 'a|b')])],
    ['quote and bracket', key('E', [p('0', 'a"],["p","1","b')]), key('E', [p('0', 'a'), p('1', 'b')])],
    ['backslash escape', key('E', [p('0', 'a\\"')]), key('E', [p('0', 'a"')])],
    ['NUL', key('E', [p('0', 'a\u0000b')]), key('E', [p('0', 'a'), p('1', 'b')])],
    ['newline', key('E', [p('0', 'a\nb')]), key('E', [p('0', 'a\r\nb')])],
    ['name/value boundary in secondaries', key('E', [], [s('a=b', 'c')]), key('E', [], [s('a', 'b=c')])],
    ['secondary pair boundary', key('E', [], [s('a', 'b'), s('c', 'd')]), key('E', [], [s('a', 'b,c'), s('', 'd')])],
    ['p vs s tag', key('E', [p('x', 'y')]), key('E', [], [s('x', 'y')])],
    ['lone surrogates', key('E', [p('0', '\ud800')]), key('E', [p('0', '\udc00')])],
  ];
  it.each(confusable)('%s', (_name, a, b) => {
    expect(a).not.toBe(b);
  });
});
