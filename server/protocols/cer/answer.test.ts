// The level-1 answer (MS-CER2 2.2.2): keys, order, lists, spacing, CRLF, windows-1252 bytes, the
// ABNF warnings, and the parser against the document's section 4 answers.

import { buildLevel1Answer, CONTENT_TYPE, isAbsoluteUri, parseLevel1Answer } from './answer';
import { ANSWER_KEYS, type AnswerShape, type CerInstructions } from './types';

const SPEC = 'MS-CER2 2.2.2';
const text = (i: CerInstructions, shape?: AnswerShape): string => buildLevel1Answer(i, shape).text;
const rules = (i: CerInstructions): string[] => buildLevel1Answer(i).findings.map((f) => f.rule);

describe('keys', () => {
  const cases: [string, CerInstructions, string][] = [
    ['Response 1', { response: '1' }, 'Response=1\r\n'],
    ['Response URL', { response: 'http://oca.microsoft.com/resredirect.aspx?SID=32' }, 'Response=http://oca.microsoft.com/resredirect.aspx?SID=32\r\n'],
    ['Response empty', { response: '' }, 'Response=\r\n'],
    ['Bucket', { bucket: 500 }, 'Bucket=500\r\n'],
    ['BucketTable', { bucketTable: 10 }, 'BucketTable=10\r\n'],
    ['iData', { iData: 1 }, 'iData=1\r\n'],
    ['MemoryDump', { memoryDump: 0 }, 'MemoryDump=0\r\n'],
    ['RegKey', { regKey: ['HKLM\\Software\\X'] }, 'RegKey=HKLM\\Software\\X\r\n'],
    ['fDoc', { fDoc: 1 }, 'fDoc=1\r\n'],
    ['WQL', { wql: ['SELECT Family FROM Win32_Processor'] }, 'WQL=SELECT Family FROM Win32_Processor\r\n'],
    ['GetFile', { getFile: ['%windir%\\x.log'] }, 'GetFile=%windir%\\x.log\r\n'],
    ['GetFileVersion', { getFileVersion: ['%windir%\\system32\\ntdll.dll'] }, 'GetFileVersion=%windir%\\system32\\ntdll.dll\r\n'],
    ['DumpFile', { dumpFile: '\\PersistedCabs\\Blue\\c2428d43-b50a-4622-9d55-cce4602834b3.cab' }, 'DumpFile=\\PersistedCabs\\Blue\\c2428d43-b50a-4622-9d55-cce4602834b3.cab\r\n'],
    ['RegTree', { regTree: ['HKCU\\Software'] }, 'RegTree=HKCU\\Software\r\n'],
    ['nothing', {}, ''],
  ];
  it.each(cases)('%s', (_name, i, expected) => {
    const r = buildLevel1Answer(i);
    expect(r.text).toBe(expected);
    expect(r.body.equals(Buffer.from(expected, 'latin1'))).toBe(true);
    expect(r.findings).toEqual([]);
  });

  it('writes every key in the ABNF order whatever the object order, each line CRLF', () => {
    const i: CerInstructions = {
      regTree: ['T'],
      dumpFile: '\\D.cab',
      getFileVersion: ['V'],
      getFile: ['F'],
      wql: ['Q'],
      fDoc: 0,
      regKey: ['K'],
      memoryDump: 1,
      iData: 1,
      bucketTable: 10,
      bucket: 100,
      response: '1',
    };
    const t = text(i);
    expect(t.split('\r\n')).toEqual([
      'Response=1',
      'Bucket=100',
      'BucketTable=10',
      'iData=1',
      'MemoryDump=1',
      'RegKey=K',
      'fDoc=0',
      'WQL=Q',
      'GetFile=F',
      'GetFileVersion=V',
      'DumpFile=\\D.cab',
      'RegTree=T',
      '',
    ]);
    expect(t.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(
      t
        .split('\r\n')
        .slice(0, -1)
        .map((l) => l.split('=')[0]),
    ).toEqual([...ANSWER_KEYS]);
  });

  it('writes only the keys given (undefined is absent)', () => {
    expect(text({ bucket: 100, iData: undefined, dumpFile: '\\x.cab' })).toBe('Bucket=100\r\nDumpFile=\\x.cab\r\n');
  });

  it('serves text/plain in windows-1252', () => {
    expect(CONTENT_TYPE).toBe('text/plain; charset=windows-1252');
  });
});

describe('lists and spacing', () => {
  it.each([
    ['regKey', 'RegKey'],
    ['wql', 'WQL'],
    ['getFile', 'GetFile'],
    ['getFileVersion', 'GetFileVersion'],
    ['regTree', 'RegTree'],
  ] as const)('%s items are joined by ";"', (field, key) => {
    expect(text({ [field]: ['a', 'b c', 'd'] })).toBe(`${key}=a;b c;d\r\n`);
  });

  it('spacedEquals writes "Key = Value" as the document\'s examples do, "Key =" for an empty value (4.2 "Response =")', () => {
    expect(text({ response: '', bucket: 500, bucketTable: 5 }, { spacedEquals: true })).toBe('Response =\r\nBucket = 500\r\nBucketTable = 5\r\n');
  });

  it('spacedEquals alone writes nothing', () => {
    expect(text({}, { spacedEquals: true })).toBe('');
  });
});

describe('windows-1252', () => {
  const cases: [string, string, number[], number][] = [
    ['€ → 0x80', '€', [0x80], 0],
    ['é → 0xE9', 'é', [0xe9], 0],
    ['Š ‰ ™ → 0x8A 0x89 0x99', 'Š‰™', [0x8a, 0x89, 0x99], 0],
    ['你 → ?', '你', [0x3f], 1],
    ['an astral character is one ?', '😀', [0x3f], 1],
    ['U+0081 (a hole of the code page) → ?', '\u0081', [0x3f], 1],
    ['U+FFFD → ?', '\uFFFD', [0x3f], 1],
  ];
  it.each(cases)('%s', (_name, value, bytes, replaced) => {
    const r = buildLevel1Answer({ wql: [value] });
    expect([...r.body]).toEqual([...Buffer.from('WQL='), ...bytes, 0x0d, 0x0a]);
    expect(r.findings).toHaveLength(replaced);
    for (const f of r.findings) expect(f).toMatchObject({ rule: 'cer.answer-encoding', specRef: SPEC, level: 'info' });
  });

  it('names the key and the code point, and the byte offset of the "?"', () => {
    const r = buildLevel1Answer({ bucket: 100, getFile: ['a你b'] });
    expect(r.text).toBe('Bucket=100\r\nGetFile=a?b\r\n');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0].message).toContain('GetFile');
    expect(r.findings[0].message).toContain('U+4F60');
    expect(r.body[r.findings[0].offset!]).toBe(0x3f);
    expect(r.findings[0].offset).toBe('Bucket=100\r\nGetFile=a'.length);
  });
});

describe('ABNF warnings (the answer is still sent as asked)', () => {
  const cases: [string, CerInstructions, string, string][] = [
    ['Bucket 0', { bucket: 0 }, 'cer.answer-bucket', 'Bucket=0\r\n'],
    ['Bucket negative', { bucket: -12 }, 'cer.answer-bucket', 'Bucket=-12\r\n'],
    ['Bucket fraction', { bucket: 12.5 }, 'cer.answer-bucket', 'Bucket=12.5\r\n'],
    ['iData 2', { iData: 2 as 0 }, 'cer.answer-zero-one', 'iData=2\r\n'],
    ['MemoryDump true', { memoryDump: true as unknown as 1 }, 'cer.answer-zero-one', 'MemoryDump=true\r\n'],
    ['fDoc -1', { fDoc: -1 as 0 }, 'cer.answer-zero-one', 'fDoc=-1\r\n'],
    ['RegKey empty item', { regKey: ['a', ''] }, 'cer.answer-list-item', 'RegKey=a;\r\n'],
    ['RegKey empty list', { regKey: [] }, 'cer.answer-list-item', 'RegKey=\r\n'],
    ['WQL item with ";"', { wql: ['a;b'] }, 'cer.answer-list-item', 'WQL=a;b\r\n'],
    ['GetFile item with CRLF → space', { getFile: ['a\r\nBucket=1'] }, 'cer.answer-list-item', 'GetFile=a Bucket=1\r\n'],
    ['GetFileVersion item with LF → space', { getFileVersion: ['a\nb'] }, 'cer.answer-list-item', 'GetFileVersion=a b\r\n'],
    ['RegTree item with CR → space', { regTree: ['a\rb'] }, 'cer.answer-list-item', 'RegTree=a b\r\n'],
    ['Response 0', { response: '0' }, 'cer.answer-response', 'Response=0\r\n'],
    ['Response relative URL', { response: '/resredirect.aspx' }, 'cer.answer-response', 'Response=/resredirect.aspx\r\n'],
    ['Response with a space', { response: 'http://x/a b' }, 'cer.answer-response', 'Response=http://x/a b\r\n'],
    ['Response with CRLF → space', { response: 'http://x/\r\niData=1' }, 'cer.answer-response', 'Response=http://x/ iData=1\r\n'],
    ['DumpFile empty', { dumpFile: '' }, 'cer.answer-dump-file', 'DumpFile=\r\n'],
    ['DumpFile with LF → space', { dumpFile: '\\a\nb.cab' }, 'cer.answer-dump-file', 'DumpFile=\\a b.cab\r\n'],
  ];
  it.each(cases)('%s', (_name, i, rule, expected) => {
    const r = buildLevel1Answer(i);
    expect(r.text).toBe(expected);
    expect(r.findings.length).toBeGreaterThan(0);
    for (const f of r.findings) expect(f).toMatchObject({ rule, specRef: SPEC, level: 'warning' });
  });

  it.each<[string, CerInstructions, string]>([
    ["BucketTable 5 (the document's own 4.x examples)", { bucketTable: 5 }, 'BucketTable=5\r\n'],
    ['Bucket 9', { bucket: 9 }, 'Bucket=9\r\n'],
    ['BucketTable 1 (as real servers sent)', { bucketTable: 1 }, 'BucketTable=1\r\n'],
  ])('%s: sent, one digit is an info finding (the ABNF asks >= 10, its prose "a positive decimal integer")', (_name, i, expected) => {
    const r = buildLevel1Answer(i);
    expect(r.text).toBe(expected);
    expect(r.findings.map((f) => [f.rule, f.specRef, f.level])).toEqual([['cer.answer-bucket-digit', SPEC, 'info']]);
  });

  it.each([
    ['Bucket 10', { bucket: 10 }],
    ['Bucket 100 / BucketTable 10 (the defaults)', { bucket: 100, bucketTable: 10 }],
    ['zero-ones', { iData: 0, memoryDump: 1, fDoc: 0 }],
    ['https with query and fragment', { response: 'https://h.example:8443/p/a%20b?x=1&y=%C3%A9#frag' }],
    ['another scheme', { response: 'urn:isbn:0451450523' }],
  ] as [string, CerInstructions][])('no warning for %s', (_name, i) => {
    expect(rules(i)).toEqual([]);
  });

  it.each([
    ['http://oca.microsoft.com/resredirect.aspx?SID=32', true],
    ['HTTP://X', true],
    ['1http://x', false],
    ['http://x/%zz', false],
    ['http://x/#a#b', false],
    ['://x', false],
    ['', false],
  ])('isAbsoluteUri(%j) → %s', (s, ok) => {
    expect(isAbsoluteUri(s)).toBe(ok);
  });
});

describe('parseLevel1Answer', () => {
  const full: CerInstructions = {
    response: 'http://oca.microsoft.com/resredirect.aspx?SID=32',
    bucket: 500,
    bucketTable: 10,
    iData: 1,
    memoryDump: 0,
    regKey: ['HKLM\\A', 'HKLM\\B'],
    fDoc: 1,
    wql: ['SELECT Family FROM Win32_Processor'],
    getFile: ['%TEMP%\\x.log'],
    getFileVersion: ['C:\\x.dll'],
    dumpFile: '\\PersistedCabs\\APPCRASH\\500\\8747c307-c461-42ba-abf5-7fd98d8bb0ec.cab',
    regTree: ['HKCU\\S'],
  };
  const expected = {
    Response: 'http://oca.microsoft.com/resredirect.aspx?SID=32',
    Bucket: '500',
    BucketTable: '10',
    iData: '1',
    MemoryDump: '0',
    RegKey: 'HKLM\\A;HKLM\\B',
    fDoc: '1',
    WQL: 'SELECT Family FROM Win32_Processor',
    GetFile: '%TEMP%\\x.log',
    GetFileVersion: 'C:\\x.dll',
    DumpFile: '\\PersistedCabs\\APPCRASH\\500\\8747c307-c461-42ba-abf5-7fd98d8bb0ec.cab',
    RegTree: 'HKCU\\S',
  };
  it.each([false, true])('round-trips every key (spacedEquals %s)', (spacedEquals) => {
    const r = buildLevel1Answer(full, { spacedEquals });
    expect(r.findings).toEqual([]);
    expect(parseLevel1Answer(r.text)).toEqual(expected);
  });

  it('tolerates LF, blank lines, tabs, lines without "=", and keeps keys case-sensitive', () => {
    expect(parseLevel1Answer('bucket=1\nBucket\t=\t22\n\nnoise\r\n=x\r\niData= 1')).toEqual({ bucket: '1', Bucket: '22', iData: '1' });
  });

  it('keeps the last value of a repeated key and does not touch Object.prototype', () => {
    const r = parseLevel1Answer('Bucket=11\r\nBucket=12\r\n__proto__=x\r\n');
    expect(r.Bucket).toBe('12');
    expect(r['__proto__']).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  // MS-CER2 section 4, as printed. 4.1's DumpFile line is wrapped by the document's layout ("\4" /
  // "0ce670d"); it is rejoined here, since a wrap inside a value is not part of the protocol.
  const examples: [string, string, Record<string, string>][] = [
    [
      '4.1',
      'Response=http://oca.microsoft.com/resredirect.aspx?SID=32\r\nBucket = 500\r\nBucketTable = 5\r\niData=1\r\nWQL=SELECT Family FROM Win32_Processor\r\n' +
        'DumpFile=\\PersistedCabs\\Generic\\APPCRASH\\GPFMe.exe\\6.0.4082.0\\40ce670d\\GPFMe.exe\\6.0.4082.0\\40ce670d\\c0000005\\000031de\\8747c307-c461-42ba-abf5-7fd98d8bb0ec.cab\r\n',
      {
        Response: 'http://oca.microsoft.com/resredirect.aspx?SID=32',
        Bucket: '500',
        BucketTable: '5',
        iData: '1',
        WQL: 'SELECT Family FROM Win32_Processor',
        DumpFile:
          '\\PersistedCabs\\Generic\\APPCRASH\\GPFMe.exe\\6.0.4082.0\\40ce670d\\GPFMe.exe\\6.0.4082.0\\40ce670d\\c0000005\\000031de\\8747c307-c461-42ba-abf5-7fd98d8bb0ec.cab',
      },
    ],
    ['4.2', 'Response =\r\nBucket = 500\r\nBucketTable = 5\r\n', { Response: '', Bucket: '500', BucketTable: '5' }],
    [
      '4.3',
      'Bucket = 501\r\nBucketTable = 5\r\niData=1\r\nWQL=SELECT Family FROM Win32_Processor\r\nDumpFile=\\PersistedCabs\\Blue\\c2428d43-b50a-4622-9d55-cce4602834b3.cab\r\n',
      { Bucket: '501', BucketTable: '5', iData: '1', WQL: 'SELECT Family FROM Win32_Processor', DumpFile: '\\PersistedCabs\\Blue\\c2428d43-b50a-4622-9d55-cce4602834b3.cab' },
    ],
    [
      '4.4',
      'Bucket = 502\nBucketTable = 5\niData=1\nWQL=SELECT Family FROM Win32_Processor\nDumpFile=\\PersistedCabs\\Generic\\MikeTest\\1000\\2000\\3000\\41ed848b-30fe-4db5-92e9-7745d2ceb2b8\n',
      {
        Bucket: '502',
        BucketTable: '5',
        iData: '1',
        WQL: 'SELECT Family FROM Win32_Processor',
        DumpFile: '\\PersistedCabs\\Generic\\MikeTest\\1000\\2000\\3000\\41ed848b-30fe-4db5-92e9-7745d2ceb2b8',
      },
    ],
  ];
  it.each(examples)("reads the document's %s answer", (_name, answer, want) => {
    expect(parseLevel1Answer(answer)).toEqual(want);
  });

  it("builds the document's 4.2 answer byte for byte with spacedEquals", () => {
    const r = buildLevel1Answer({ response: '', bucket: 500, bucketTable: 5 }, { spacedEquals: true });
    expect(r.text).toBe(examples[1][1]);
    expect(r.findings.map((f) => [f.rule, f.level])).toEqual([['cer.answer-bucket-digit', 'info']]); // BucketTable = 5 is below the ABNF's 10
  });

  // 4.1 and 4.3 space only Bucket and BucketTable; CRLF line ends, as the ABNF has them.
  it.each([
    [
      '4.1',
      {
        response: 'http://oca.microsoft.com/resredirect.aspx?SID=32',
        bucket: 500,
        bucketTable: 5,
        iData: 1,
        wql: ['SELECT Family FROM Win32_Processor'],
        dumpFile: examples[0][2].DumpFile,
      },
      examples[0][1],
    ],
    [
      '4.3',
      { bucket: 501, bucketTable: 5, iData: 1, wql: ['SELECT Family FROM Win32_Processor'], dumpFile: '\\PersistedCabs\\Blue\\c2428d43-b50a-4622-9d55-cce4602834b3.cab' },
      examples[2][1],
    ],
  ] as [string, CerInstructions, string][])("builds the document's %s answer byte for byte with spacedEquals: [Bucket, BucketTable]", (_name, i, bytes) => {
    const r = buildLevel1Answer(i, { spacedEquals: ['Bucket', 'BucketTable'] });
    expect(r.body).toEqual(Buffer.from(bytes, 'latin1'));
    expect(r.findings.map((f) => f.rule)).toEqual(['cer.answer-bucket-digit']);
  });
});

describe('the form of the answer (omit, order, spacedEquals per key, extra)', () => {
  const i: CerInstructions = { bucket: 500, bucketTable: 5, iData: 1, dumpFile: '\\PersistedCabs\\x.cab' };
  it.each<[string, CerInstructions, AnswerShape, string]>([
    ['omit Bucket, BucketTable and iData', i, { omit: ['Bucket', 'BucketTable', 'iData'] }, 'DumpFile=\\PersistedCabs\\x.cab\r\n'],
    ['order: iData first, the rest in the document order', i, { order: ['iData'] }, 'iData=1\r\nBucket=500\r\nBucketTable=5\r\nDumpFile=\\PersistedCabs\\x.cab\r\n'],
    ['order: DumpFile, iData, Bucket', i, { order: ['DumpFile', 'iData', 'Bucket'] }, 'DumpFile=\\PersistedCabs\\x.cab\r\niData=1\r\nBucket=500\r\nBucketTable=5\r\n'],
    ['order names a key the answer lacks', { iData: 0 }, { order: ['Response', 'iData'] }, 'iData=0\r\n'],
    ['spacedEquals for BucketTable only', i, { spacedEquals: ['BucketTable'] }, 'Bucket=500\r\nBucketTable = 5\r\niData=1\r\nDumpFile=\\PersistedCabs\\x.cab\r\n'],
    [
      'extra keys after the document ones, verbatim',
      { ...i, extra: { DumpServer: 'cer.example.com', ModuleInfo: '1' } },
      {},
      'Bucket=500\r\nBucketTable=5\r\niData=1\r\nDumpFile=\\PersistedCabs\\x.cab\r\nDumpServer=cer.example.com\r\nModuleInfo=1\r\n',
    ],
    [
      'an extra key ordered and spaced like any',
      { bucket: 500, extra: { DumpServer: 'cer.example.com' } },
      { order: ['DumpServer'], spacedEquals: ['DumpServer'] },
      'DumpServer = cer.example.com\r\nBucket=500\r\n',
    ],
  ])('%s', (_name, instr, shape, expected) => {
    const r = buildLevel1Answer(instr, shape);
    expect(r.text).toBe(expected);
    expect(r.findings.filter((f) => f.rule !== 'cer.answer-bucket-digit')).toEqual([]);
  });

  it('an extra value holding CR/LF is sent as a space, with a warning', () => {
    const r = buildLevel1Answer({ extra: { DumpServer: 'a\r\niData=1' } });
    expect(r.text).toBe('DumpServer=a iData=1\r\n');
    expect(r.findings.map((f) => [f.rule, f.specRef, f.level])).toEqual([['cer.answer-extra', SPEC, 'warning']]);
  });
});
