// The relay's change to an SQM v2 dataupload message (MS-SQMCS2 3.3): every session augmented in
// place, only the values of dataupload offset/size and payload size/precompsize replaced in the XML
// (every other byte kept), unreferenced payload bytes kept, a compressed payload compressed again;
// anything without sessions or unreadable left alone (null).

import { readCabinetDirectory } from '../../cab';
import { buildCabinet as makeCabinet } from '../../testing/cabinet';
import { fixture } from '../../../test/helpers/fixtures';
import { decodeSqmSession } from '../../codecs/sqm-session/codec';
import { buildSqmSession } from '../../testing/sqm-session';
import type { DwordSection } from '../../codecs/sqm-session/types';
import { frameMessage, splitMessage } from '../../codecs/sqm-v2-message/framing';
import { readPayload } from '../../codecs/sqm-v2-message/payload';
import { buildV2Message, type BuildReq } from '../../testing/sqm-v2-message';
import { parseTpxs } from '../../codecs/sqm-v2-message/tpxs';
import { argValue, type TpxsRequest } from '../../codecs/sqm-v2-message/types';
import { augmentV2 } from './augment-v2';

const LIMIT = 1 << 20;
const MARK = { id: 0x4d4f434b, value: 1 };
const TOKEN = '3.0123456789abcdef0123456789abcdef.0123456789abcdef';

const session = (tag: string, extra = 0) =>
  buildSqmSession({
    sections: [
      { type: 'dword', datapoints: [{ id: 6, value: 7601 }] },
      { type: 'string', datapoints: [{ id: 780, value: tag + '.'.repeat(extra) }] },
    ],
  });
const upload = (key: string, offset: number, size: number): BuildReq => ({ key, cmd: 'dataupload', cmdArgs: { tm: '129579283005582927', token: TOKEN, size, offset } });

/** Splits, parses and checks a message as the service would: the length prefix, the XML, the payload size. */
function open(bytes: Buffer | null): { msg: TpxsRequest; xml: string; blob: Buffer } {
  expect(bytes).not.toBeNull();
  const framed = splitMessage(bytes!).value!;
  expect(framed).not.toBeNull();
  const parsed = parseTpxs(framed.xml);
  expect(parsed.findings.filter((f) => f.level === 'error')).toEqual([]);
  const msg = parsed.value!;
  const blob = readPayload(msg.payload, framed.payload, LIMIT);
  expect(blob.findings).toEqual([]);
  return { msg, xml: framed.xml.toString('utf8'), blob: blob.value!.bytes };
}

/** The session a req's dataupload points at, decoded and checked. */
function sessionOf(m: { msg: TpxsRequest; blob: Buffer }, key: string) {
  const args = m.msg.reqs.find((r) => r.key === key)!.cmd!.args;
  const offset = Number(argValue(args, 'offset'));
  const size = Number(argValue(args, 'size'));
  const { value, findings } = decodeSqmSession(m.blob.subarray(offset, offset + size), { maxRawBytes: LIMIT });
  expect(findings.filter((f) => f.level === 'error')).toEqual([]);
  expect(value!.data.length + 120).toBe(size); // the slice is exactly one session
  return value!;
}
const strings = (s: ReturnType<typeof sessionOf>) => s.sections.flatMap((x) => (x.typeName === 'string' ? x.datapoints.map((d) => d.value) : []));
const marks = (s: ReturnType<typeof sessionOf>) => (s.sections[0] as DwordSection).datapoints.filter((d) => d.id === MARK.id);

describe('augmentV2', () => {
  it('augments both sessions of a two-session message and rewrites offsets, sizes and the payload size', () => {
    const [a, b] = [session('one'), session('two', 5)];
    const input = buildV2Message({ reqs: [upload('1', 0, a.length), upload('2', a.length, b.length)], payload: Buffer.concat([a, b]) });
    const out = open(augmentV2(input, MARK, LIMIT));
    expect(out.blob.length).toBe(a.length + b.length + 24);
    expect(argValue(out.msg.payload!, 'size')).toBe(String(out.blob.length));
    const [s1, s2] = [sessionOf(out, '1'), sessionOf(out, '2')];
    expect([strings(s1), strings(s2)]).toEqual([['one'], ['two.....']]);
    for (const s of [s1, s2]) {
      expect(s.header.flags & 0x80).toBe(0x80);
      expect(marks(s)).toEqual([{ ...MARK, tickCount: 0 }]);
    }
    expect(out.msg.reqs.map((r) => [r.key, argValue(r.cmd!.args, 'offset'), argValue(r.cmd!.args, 'size')])).toEqual([
      ['1', '0', String(a.length + 12)],
      ['2', String(a.length + 12), String(b.length + 12)],
    ]);
  });

  it('keeps the rest of the message: the machine description, namespaces, token, tm', () => {
    const a = session('one');
    const input = buildV2Message({ reqs: [upload('1', 0, a.length)], payload: a });
    const out = open(augmentV2(input, MARK, LIMIT));
    const original = parseTpxs(splitMessage(input).value!.xml).value!;
    expect([out.msg.os, out.msg.hw, out.msg.ctrl]).toEqual([original.os, original.hw, original.ctrl]);
    expect(out.msg.os.length).toBeGreaterThan(0);
    expect(out.msg.reqs[0].namespace).toEqual(original.reqs[0].namespace);
    expect(out.msg.reqs[0].ctrl).toEqual(original.reqs[0].ctrl);
    expect(argValue(out.msg.reqs[0].cmd!.args, 'token')).toBe(TOKEN);
    expect(argValue(out.msg.reqs[0].cmd!.args, 'tm')).toBe('129579283005582927');
    expect(out.xml.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')).toBe(true);
  });

  it('rewrites the MS-SQMCS2 4.3 example (two sessions, pretty-printed XML)', () => {
    const [a, b] = [session('first', 575), session('second', 580)];
    expect([a.length, b.length]).toEqual([1320, 1332]); // the sizes the example gives
    const input = frameMessage(fixture('sqm-v2', 'dataupload-4.3.xml'), Buffer.concat([a, b]));
    const out = open(augmentV2(input, MARK, LIMIT));
    expect(argValue(out.msg.payload!, 'size')).toBe('2676');
    expect(strings(sessionOf(out, '1'))).toEqual(['first' + '.'.repeat(575)]);
    expect(marks(sessionOf(out, '2'))).toHaveLength(1);
  });

  it('follows each key when the payload holds the sessions in another order than the reqs', () => {
    const [a, b] = [session('one'), session('two', 3)];
    const input = buildV2Message({ reqs: [upload('1', b.length, a.length), upload('2', 0, b.length)], payload: Buffer.concat([b, a]) });
    const out = open(augmentV2(input, MARK, LIMIT));
    expect([strings(sessionOf(out, '1')), strings(sessionOf(out, '2'))]).toEqual([['one'], ['two...']]);
    expect(argValue(out.msg.reqs[1].cmd!.args, 'offset')).toBe('0');
  });

  it.each(['mszip', 'none'] as const)('compresses a %s payload again the same way: comp kept, size and precompsize the new values', (compression) => {
    const [a, b] = [session('one'), session('two')];
    const raw = Buffer.concat([a, b]);
    const cab = makeCabinet(raw, { compression });
    const input = buildV2Message({
      reqs: [upload('1', 0, a.length), upload('2', a.length, b.length)],
      payload: cab,
      payloadArgs: { size: cab.length, comp: 'cab', precompsize: raw.length },
    });
    const out = open(augmentV2(input, MARK, LIMIT));
    expect(out.msg.payload!.map((x) => [x.nm, x.val])).toEqual([
      ['size', String(splitMessage(augmentV2(input, MARK, LIMIT)!).value!.payload.length)],
      ['comp', 'cab'],
      ['precompsize', String(raw.length + 24)],
    ]);
    const payload = splitMessage(augmentV2(input, MARK, LIMIT)!).value!.payload;
    expect(readCabinetDirectory(payload).value!.folders[0].compression).toBe(compression);
    expect(out.blob.length).toBe(raw.length + 24);
    expect(strings(sessionOf(out, '2'))).toEqual(['two']);
  });

  it('forwards a slice that is not a valid session as it is, beside the augmented ones', () => {
    const a = session('one');
    const junk = Buffer.from('MSQM but not a session');
    const input = buildV2Message({ reqs: [upload('1', 0, a.length), upload('2', a.length, junk.length)], payload: Buffer.concat([a, junk]) });
    const out = open(augmentV2(input, MARK, LIMIT));
    expect(marks(sessionOf(out, '1'))).toHaveLength(1);
    expect(out.blob.subarray(a.length + 12).equals(junk)).toBe(true);
    expect(argValue(out.msg.reqs[1].cmd!.args, 'size')).toBe(String(junk.length));
  });

  const untouched: [string, Buffer][] = [
    ['requupload only', buildV2Message({ reqs: [{ key: '1', cmd: 'requpload' }] })],
    ['qryrsrc only', buildV2Message({ reqs: [{ key: '1', cmd: 'qryrsrc', cmdArgs: { name: 'manifest' } }] })],
    ['not XML after the prefix', frameMessage('<req ver="2"><tlm>', Buffer.from('x'))],
    ['a length prefix longer than the body', Buffer.concat([Buffer.from([0xff, 0, 0, 0]), Buffer.from('<req/>')])],
    ['XML that is not TPXS', frameMessage('<hello>world</hello>')],
    ['garbage', Buffer.from('0123456789abcdef')],
    ['a payload size that does not match', buildV2Message({ reqs: [upload('1', 0, 10)], payload: Buffer.alloc(10), payloadArgs: { size: 11 } })],
    ['two slices that overlap', buildV2Message({ reqs: [upload('1', 0, 140), upload('2', 100, 40)], payload: session('one') })],
    ['a slice past the payload', buildV2Message({ reqs: [upload('1', 0, 1000)], payload: session('one') })],
    ['a non-numeric offset', buildV2Message({ reqs: [upload('1', 0, 10)].map((r) => ({ ...r, cmdArgs: { ...r.cmdArgs, offset: 'zero' } })), payload: session('one') })],
    ['a compressed payload that is no cabinet', buildV2Message({ reqs: [upload('1', 0, 10)], payload: Buffer.alloc(10), payloadArgs: { size: 10, comp: 'cab', precompsize: 10 } })],
  ];
  it.each(untouched)('returns null for %s (forwarded byte for byte)', (_name, body) => {
    expect(augmentV2(body, MARK, LIMIT)).toBeNull();
  });
});

describe('augmentV2: XML details', () => {
  it('reads XML that starts with a UTF-8 byte order mark', () => {
    const a = session('one');
    const xml = splitMessage(buildV2Message({ reqs: [upload('1', 0, a.length)], payload: a })).value!.xml;
    const input = frameMessage(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), xml]), a);
    const out = open(augmentV2(input, MARK, LIMIT));
    expect(marks(sessionOf(out, '1'))).toHaveLength(1);
  });

  it('keeps attribute values exactly as sent (entities not expanded)', () => {
    const a = session('one');
    const input = buildV2Message({ reqs: [{ ...upload('1', 0, a.length), namespace: { args: { caid: 'a&b<c"d' } } }], payload: a });
    const out = open(augmentV2(input, MARK, LIMIT));
    expect(out.xml).toContain('<arg nm="caid" val="a&amp;b&lt;c&quot;d"');
  });
});

describe('augmentV2: only the values that must change (MS-SQMCS2 3.3), every other byte as sent', () => {
  // A message as a client may format it: a newline after the declaration, `<arg … />` with a space,
  // `<hw></hw>` and `<namespace …></namespace>` written out, CRLF line ends.
  const xmlOf = (payloadSize: number, uploads: [key: string, size: number, offset: number][]) =>
    [
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
      '<req ver="2">',
      ' <tlm>',
      '  <src><desc><mach>',
      '   <os><arg nm="vermaj" val="6" /><arg nm="vermin" val="1" /></os>',
      '   <hw></hw>',
      '   <ctrl><arg nm="tm" val="129579283005582927" /><arg nm="mid" val="{FE166778-8E09-4BD8-B840-DF6B79D40232}" /></ctrl>',
      '  </mach></desc></src>',
      '  <reqs>',
      `   <payload><arg nm="size" val="${payloadSize}" /></payload>`,
      ...uploads.map(([key, size, offset]) =>
        [
          `   <req key="${key}">`,
          '    <namespace svc="sqm" ptr="windows" gp="winsqm8" app="6"></namespace>',
          '    <ctrl><arg nm="sid" val="4052" /></ctrl>',
          `    <cmd nm="dataupload"><arg nm="tm" val="129579283005582927" /><arg nm="token" val="${TOKEN}" /><arg nm="size" val="${size}" /><arg nm="offset" val="${offset}" /></cmd>`,
          '   </req>',
        ].join('\r\n'),
      ),
      '  </reqs>',
      ' </tlm>',
      '</req>',
      '',
    ].join('\r\n');
  const small = (value: number) => buildSqmSession({ sections: [{ type: 'dword', datapoints: [{ id: 6, value }] }] });
  const filler = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));

  it('the issue 12 form: 290 payload bytes, one 140-byte session referenced at 100; the other 150 bytes go on in place', () => {
    const a = small(7601);
    expect(a.length).toBe(140);
    const payload = Buffer.concat([filler(100, 1), a, filler(50, 2)]);
    expect(payload.length).toBe(290);
    const input = frameMessage(xmlOf(290, [['1', 140, 100]]), payload);
    const output = augmentV2(input, MARK, LIMIT)!;
    const { xml, payload: sent } = splitMessage(output).value!;
    // The XML: the input's text with exactly two values replaced, nothing else.
    expect(xml.toString('latin1')).toBe(xmlOf(302, [['1', 152, 100]]));
    expect(output.readUInt32LE(0)).toBe(xml.length);
    expect(sent.length).toBe(302);
    expect(sent.subarray(0, 100).equals(payload.subarray(0, 100))).toBe(true);
    expect(sent.subarray(252).equals(payload.subarray(240))).toBe(true);
    const out = open(output);
    expect(marks(sessionOf(out, '1'))).toEqual([{ ...MARK, tickCount: 0 }]);
    expect(sessionOf(out, '1').header.flags & 0x80).toBe(0x80);
  });

  it('two sessions with unreferenced bytes around and between them: later offsets move by the earlier growth', () => {
    const [a, b] = [small(1), small(2)];
    const [g0, g1, g2] = [filler(7, 3), filler(21, 4), filler(13, 5)];
    const payload = Buffer.concat([g0, a, g1, b, g2]);
    const aAt = g0.length;
    const bAt = aAt + a.length + g1.length;
    // The reqs in another order than their slices, to follow each by its key.
    const input = frameMessage(
      xmlOf(payload.length, [
        ['2', b.length, bAt],
        ['1', a.length, aAt],
      ]),
      payload,
    );
    const output = augmentV2(input, MARK, LIMIT)!;
    const { xml, payload: sent } = splitMessage(output).value!;
    expect(xml.toString('latin1')).toBe(
      xmlOf(payload.length + 24, [
        ['2', b.length + 12, bAt + 12],
        ['1', a.length + 12, aAt],
      ]),
    );
    const pieces = [sent.subarray(0, aAt), sent.subarray(aAt + a.length + 12, bAt + 12), sent.subarray(bAt + b.length + 24)];
    expect(pieces.map((p) => p.toString('hex'))).toEqual([g0, g1, g2].map((g) => g.toString('hex')));
    const out = open(output);
    for (const key of ['1', '2']) expect(marks(sessionOf(out, key))).toHaveLength(1);
    expect((sessionOf(out, '2').sections[0] as DwordSection).datapoints[0].value).toBe(2);
  });

  it('the MS-SQMCS2 4.3 example text: only the four offset/size values and the payload size change', () => {
    const [a, b] = [session('first', 575), session('second', 580)];
    const text = fixture('sqm-v2', 'dataupload-4.3.xml').toString('latin1');
    const output = augmentV2(frameMessage(Buffer.from(text, 'latin1'), Buffer.concat([a, b])), MARK, LIMIT)!;
    const expected = text
      .replace('<arg nm="size" val="2652" />', '<arg nm="size" val="2676" />')
      .replace('<arg nm="size" val="1332" />\n          <arg nm="offset" val="1320" />', '<arg nm="size" val="1344" />\n          <arg nm="offset" val="1332" />')
      .replace('<arg nm="size" val="1320" />', '<arg nm="size" val="1332" />');
    expect(expected).not.toBe(text);
    expect(splitMessage(output).value!.xml.toString('latin1')).toBe(expected);
  });
});
