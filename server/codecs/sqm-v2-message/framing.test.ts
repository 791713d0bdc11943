// SQM v2 framing (MS-SQMCS2 2.2.2.1): the 4-byte little-endian RequestMessageLength, our 1 MiB
// XML limit (note <36>), and how a v2 body is told from a v1 session on the shared path.

import { frameMessage, looksLikeV2, splitMessage, XML_LIMIT } from './framing';

const le32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
};
const XML = '<?xml version="1.0"?><req ver="2"/>';

describe('splitMessage', () => {
  it('splits prefix, XML and payload', () => {
    const body = frameMessage(XML, Buffer.from('MSQMpayload'));
    const { value, findings } = splitMessage(body);
    expect(findings).toEqual([]);
    expect(value!.xml.toString('utf8')).toBe(XML);
    expect(value!.payload.toString('latin1')).toBe('MSQMpayload');
  });

  it('takes an XML of exactly the limit', () => {
    const body = Buffer.concat([le32(XML_LIMIT), Buffer.alloc(XML_LIMIT, 0x20)]);
    expect(splitMessage(body).value?.xml.length).toBe(XML_LIMIT);
  });

  const bad: [string, Buffer, string][] = [
    ['empty body', Buffer.alloc(0), 'sqm-v2.framing'],
    ['3 bytes: too short for the prefix', Buffer.from([1, 0, 0]), 'sqm-v2.framing'],
    ['length 0', le32(0), 'sqm-v2.framing'],
    ['length past the end', Buffer.concat([le32(100), Buffer.from(XML)]), 'sqm-v2.framing'],
    ['length one past the end', Buffer.concat([le32(XML.length + 1), Buffer.from(XML)]), 'sqm-v2.framing'],
    ['length over 1 MiB (the bytes are there)', Buffer.concat([le32(XML_LIMIT + 1), Buffer.alloc(XML_LIMIT + 1, 0x20)]), 'sqm-v2.xml-limit'],
    ['length over 1 MiB (the bytes are not)', Buffer.concat([le32(0xffffffff), Buffer.from(XML)]), 'sqm-v2.xml-limit'],
  ];
  it.each(bad)('%s → %s', (_name, body, rule) => {
    const { value, findings } = splitMessage(body);
    expect(value).toBeNull();
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule, specRef: 'MS-SQMCS2 2.2.2.1', level: 'error', offset: 0 });
  });
});

describe('looksLikeV2', () => {
  const cases: [string, Buffer, boolean][] = [
    ['a framed XML', frameMessage(XML), true],
    ['a framed XML with a payload after it', frameMessage(XML, Buffer.alloc(50)), true],
    ['a framed XML starting with whitespace', frameMessage('\r\n' + XML), true],
    ['a framed XML with a UTF-8 BOM', frameMessage(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(XML)])), true],
    ['a v1 session (MSQM signature)', Buffer.concat([Buffer.from('MSQM'), le32(0x78), Buffer.alloc(112)]), false],
    ['4 bytes only', le32(0), false],
    // A bad length in front of XML is a malformed v2 message, not a v1 session.
    ['length 0 then XML', Buffer.concat([le32(0), Buffer.from(XML)]), true],
    ['length past the end', Buffer.concat([le32(1000), Buffer.from(XML)]), true],
    ['length fits but the XML does not start like XML', Buffer.concat([le32(3), Buffer.from('abc')]), false],
  ];
  it.each(cases)('%s → %s', (_name, body, expected) => expect(looksLikeV2(body)).toBe(expected));
});

it('frameMessage round-trips through splitMessage', () => {
  const payload = Buffer.from([0, 1, 2, 3, 255]);
  const body = frameMessage(Buffer.from(XML), payload);
  expect(body.readUInt32LE(0)).toBe(Buffer.byteLength(XML));
  const { value } = splitMessage(body);
  expect(frameMessage(value!.xml, value!.payload).equals(body)).toBe(true);
});

it('plain text after 4 bytes is not taken for a v2 message (it is a bad v1 session)', () => {
  expect(looksLikeV2(Buffer.from('this is not an SQM session, just text bytes'))).toBe(false);
  expect(looksLikeV2(Buffer.concat([le32(5), Buffer.from('  \r\n <req/>')]))).toBe(true);
});
