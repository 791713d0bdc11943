// Encodings of a level-1 body (MS-CER2 2.2.1 "a Unicode XML document"): UTF-16 either byte order
// with or without a BOM, UTF-8 with or without one (accepted, noted), declarations that disagree
// with the bytes, and bodies that are empty, truncated or not decodable.

import { Findings } from '../../wire/findings';
import { decodeCerText, detectEncoding } from './cer-encoding';
import { brief, fixture, once, text41, utf16be, utf16le, utf8 } from '../../../test/helpers/cer-fixtures';
import { decodeWerReport } from './werreport';

describe('detectEncoding', () => {
  const cases: [string, number[], string, boolean][] = [
    ['UTF-16LE BOM', [0xff, 0xfe, 0x3c, 0x00], 'utf-16le', true],
    ['UTF-16BE BOM', [0xfe, 0xff, 0x00, 0x3c], 'utf-16be', true],
    ['UTF-8 BOM', [0xef, 0xbb, 0xbf, 0x3c], 'utf-8', true],
    ['"<?" UTF-16LE, no BOM', [0x3c, 0x00, 0x3f, 0x00], 'utf-16le', false],
    ['"<?" UTF-16BE, no BOM', [0x00, 0x3c, 0x00, 0x3f], 'utf-16be', false],
    ['"<?" UTF-8, no BOM', [0x3c, 0x3f, 0x78, 0x6d], 'utf-8', false],
    ['one byte', [0x3c], 'utf-8', false],
    ['a lone zero byte in UTF-8 text', [0x3c, 0x61, 0x00, 0x62, 0x2f, 0x3e, 0x20, 0x20], 'utf-8', false],
  ];
  it.each(cases)('%s', (_name, bytes, encoding, bom) => {
    expect(detectEncoding(Buffer.from(bytes))).toMatchObject({ encoding, bom });
  });

  it('UTF-16LE without BOM whose text is mostly non-ASCII after an ASCII start', () => {
    const body = utf16le('<WERREPORT><USERINFO username="' + '日本語'.repeat(40) + '"/></WERREPORT>', false);
    expect(detectEncoding(body)).toMatchObject({ encoding: 'utf-16le', bom: false });
  });
});

describe('every encoding form of the 4.1 example decodes to the same report', () => {
  const t = text41();
  const asUtf8 = once(t, 'encoding="UTF-16"', 'encoding="UTF-8"');
  const forms: [string, Buffer, string, boolean, [string, string, string][]][] = [
    ['UTF-16LE with BOM (fixture, as Windows sends)', fixture('werreport-4.1.xml'), 'utf-16le', true, []],
    ['UTF-16LE without BOM (fixture)', fixture('werreport-4.1-utf16le-nobom.xml'), 'utf-16le', false, [['cer.bom', 'MS-CER2 2.2.1', 'warning']]],
    ['UTF-16BE with BOM', utf16be(t), 'utf-16be', true, []],
    ['UTF-16BE without BOM', utf16be(t, false), 'utf-16be', false, [['cer.bom', 'MS-CER2 2.2.1', 'warning']]],
    ['UTF-8 without BOM (fixture)', fixture('werreport-4.1-utf8.xml'), 'utf-8', false, [['cer.encoding', 'MS-CER2 2.2.1', 'info']]],
    ['UTF-8 with BOM', utf8(asUtf8, true), 'utf-8', true, [['cer.encoding', 'MS-CER2 2.2.1', 'info']]],
    ['UTF-8 without a declaration', utf8(once(t, /^<\?xml[^>]*\?>\r\n/, '')), 'utf-8', false, [['cer.encoding', 'MS-CER2 2.2.1', 'info']]],
    ['UTF-16LE without a declaration', utf16le(once(t, /^<\?xml[^>]*\?>\r\n/, '')), 'utf-16le', true, []],
  ];
  const reference = decodeWerReport(fixture('werreport-4.1.xml')).value!;

  it.each(forms)('%s', (_name, body, encoding, bom, expected) => {
    const { value, findings } = decodeWerReport(body);
    expect(brief(findings)).toEqual(expected);
    expect(value).toEqual({ ...reference, encoding, bom });
  });

  it('the UTF-8 fixture is the same text as the UTF-16 one, declaration aside', () => {
    expect(fixture('werreport-4.1-utf8.xml').toString('utf8')).toBe(asUtf8);
  });
});

describe('the XML declaration is compared with the bytes (the bytes win)', () => {
  const t = text41();
  const declared = (enc: string) => once(t, 'encoding="UTF-16"', `encoding="${enc}"`);
  const cases: [string, Buffer, [string, string, string][]][] = [
    [
      'UTF-8 bytes saying UTF-16',
      utf8(t),
      [
        ['cer.encoding', 'MS-CER2 2.2.1', 'info'],
        ['cer.encoding-declaration', 'MS-CER2 2.2.1', 'warning'],
      ],
    ],
    [
      'UTF-8 bytes saying windows-1252',
      utf8(declared('windows-1252')),
      [
        ['cer.encoding', 'MS-CER2 2.2.1', 'info'],
        ['cer.encoding-declaration', 'MS-CER2 2.2.1', 'warning'],
      ],
    ],
    ['UTF-16LE bytes saying UTF-8', utf16le(declared('UTF-8')), [['cer.encoding-declaration', 'MS-CER2 2.2.1', 'warning']]],
    ['UTF-16LE bytes saying UTF-16BE', utf16le(declared('UTF-16BE')), [['cer.encoding-declaration', 'MS-CER2 2.2.1', 'warning']]],
    ['UTF-16BE bytes saying UTF-16LE', utf16be(declared('UTF-16LE')), [['cer.encoding-declaration', 'MS-CER2 2.2.1', 'warning']]],
    ['UTF-16LE bytes saying utf-16le (any case)', utf16le(declared('utf-16le')), []],
    ['UTF-16BE bytes saying UTF-16', utf16be(t), []],
    ["single quotes: encoding='UTF-8' on UTF-16", utf16le(declared('UTF-8').replace('"UTF-8"', "'UTF-8'")), [['cer.encoding-declaration', 'MS-CER2 2.2.1', 'warning']]],
  ];
  it.each(cases)('%s', (_name, body, expected) => {
    const { value, findings } = decodeWerReport(body);
    expect(brief(findings)).toEqual(expected);
    expect(value?.eventInfo?.eventtype).toBe('APPCRASH');
  });
});

it('says what the declaration should have been, not the bytes twice (issue 14 item 10)', () => {
  const declared = once(text41(), 'encoding="UTF-16"', 'encoding="windows-1252"');
  const cases: [Buffer, string][] = [
    [
      utf8(declared),
      'the XML declaration does not match the body, which is UTF-8 without BOM: expected encoding="UTF-8" or no encoding=, got encoding="windows-1252" (read as UTF-8)',
    ],
    [
      utf16le(declared),
      'the XML declaration does not match the body, which is UTF-16LE with BOM: expected encoding="UTF-16" or no encoding=, got encoding="windows-1252" (read as UTF-16LE)',
    ],
  ];
  for (const [body, message] of cases) {
    expect(decodeWerReport(body).findings.find((f) => f.rule === 'cer.encoding-declaration')?.message).toBe(message);
  }
});

describe('bodies that are not a readable Unicode document: value null', () => {
  const t = text41();
  const surrogate = Buffer.concat([utf16le(t.slice(0, 100)), Buffer.from([0x00, 0xd8]), Buffer.from(t.slice(100), 'utf16le')]);
  const cases: [string, Buffer, string, string][] = [
    ['an empty body', Buffer.alloc(0), 'cer.empty', 'MS-CER2 2.2.1'],
    ['a UTF-16LE BOM alone', Buffer.from([0xff, 0xfe]), 'cer.empty', 'MS-CER2 2.2.1'],
    ['a UTF-8 BOM alone', Buffer.from([0xef, 0xbb, 0xbf]), 'cer.empty', 'MS-CER2 2.2.1'],
    ['UTF-16LE with BOM and an odd byte count', Buffer.concat([fixture('werreport-4.1.xml'), Buffer.from([0x20])]), 'cer.encoding', 'MS-CER2 2.2.1'],
    ['UTF-16LE without BOM and an odd byte count', fixture('werreport-4.1-utf16le-nobom.xml').subarray(1), 'cer.encoding', 'MS-CER2 2.2.1'],
    ['UTF-16BE with BOM, cut in a character', utf16be(t).subarray(0, 101), 'cer.encoding', 'MS-CER2 2.2.1'],
    ['bytes that are not UTF-8 (and not UTF-16)', Buffer.concat([utf8('<WERREPORT a="'), Buffer.from([0xc3, 0x28]), utf8('"/>')]), 'cer.xml', 'MS-CER2 2.2.1'],
    ['UTF-8 encoding a surrogate (CESU-8)', Buffer.concat([utf8('<WERREPORT a="'), Buffer.from([0xed, 0xa0, 0x80]), utf8('"/>')]), 'cer.xml', 'MS-CER2 2.2.1'],
    ['UTF-16LE with a lone surrogate', surrogate, 'cer.xml', 'MS-CER2 2.2.1'],
    ['plain text, not XML', utf8('Bucket=500\r\n'), 'cer.xml', 'MS-CER2 2.2.1'],
    ['binary noise', Buffer.from([0x4d, 0x53, 0x43, 0x46, 0, 0, 0, 0, 0x10, 0x27]), 'cer.xml', 'MS-CER2 2.2.1'],
  ];
  it.each(cases)('%s', (_name, body, rule, specRef) => {
    const { value, findings } = decodeWerReport(body);
    expect(value).toBeNull();
    expect(findings.filter((f) => f.level === 'error').map((f) => [f.rule, f.specRef])).toEqual([[rule, specRef]]);
  });

  it('the lone surrogate is located by its byte offset', () => {
    const f = new Findings();
    decodeCerText(surrogate, f);
    expect(f.list).toMatchObject([{ rule: 'cer.xml', offset: 2 + 200 }]);
  });

  it('the odd byte is located at the end', () => {
    const body = Buffer.concat([fixture('werreport-4.1.xml'), Buffer.from([0x20])]);
    expect(decodeWerReport(body).findings).toMatchObject([{ rule: 'cer.encoding', level: 'error', offset: body.length - 1 }]);
  });
});
