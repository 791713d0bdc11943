// Level-2 destinations: the issued DumpFile, the lookup key of a PUT target (every form a client
// may send normalizes alike; traversal and absolute forms never match), and the fileshare segments.

import { fileshareCopyPath, fileshareRelPath, issueDumpPath, normalizeDumpPath, sanitizeSegment } from './dump-path';

const UUID = '8747c307-c461-42ba-abf5-7fd98d8bb0ec';

describe('issueDumpPath', () => {
  it('is \\PersistedCabs\\<eventtype>\\<bucket>\\<uuid>.cab (INTERFACE.md)', () => {
    expect(issueDumpPath({ eventType: 'APPCRASH', bucket: 100, uuid: UUID })).toBe(`\\PersistedCabs\\APPCRASH\\100\\${UUID}.cab`);
  });

  it('lower-cases the uuid and mirrors fileshareRelPath', () => {
    const parts = { eventType: 'BlueScreen', bucket: 501, uuid: UUID.toUpperCase() };
    expect(issueDumpPath(parts)).toBe('\\' + fileshareRelPath({ ...parts, ext: 'cab' }).join('\\'));
    expect(issueDumpPath(parts)).toBe(`\\PersistedCabs\\BlueScreen\\501\\${UUID}.cab`);
  });

  it.each([
    ['a bad uuid', { eventType: 'E', bucket: 100, uuid: 'not-a-uuid' }],
    ['a uuid with a path in it', { eventType: 'E', bucket: 100, uuid: `../${UUID}` }],
    ['a negative bucket', { eventType: 'E', bucket: -1, uuid: UUID }],
    ['a fractional bucket', { eventType: 'E', bucket: 1.5, uuid: UUID }],
    ['a NaN bucket', { eventType: 'E', bucket: NaN, uuid: UUID }],
  ])('throws on %s (our own value: a bug)', (_name, parts) => {
    expect(() => issueDumpPath(parts)).toThrow(/^dump-path: /);
  });
});

describe('sanitizeSegment', () => {
  it.each([
    ['APPCRASH', 'APPCRASH'],
    ['MikeTest', 'MikeTest'],
    ['a.b_c-d09', 'a.b_c-d09'],
    ['APP CRASH', 'APP_CRASH'],
    ['../..', '..___'],
    ['..\\x', '.._x'],
    ['a/b', 'a_b'],
    ['C:', 'C_'],
    ['.', '_'],
    ['..', '__'],
    ['...', '___'],
    ['x.', 'x_'],
    ['', '_'],
    ['é你😀', '___'],
    ['a\u0000b', 'a_b'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['com1', '_com1'],
    ['CONSOLE', 'CONSOLE'],
    ['x'.repeat(100), 'x'.repeat(64)],
    ['x'.repeat(63) + '.y', 'x'.repeat(63) + '_'],
  ])('%j → %j', (input, out) => {
    expect(sanitizeSegment(input)).toBe(out);
    expect(out).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
  });
});

describe('fileshareRelPath', () => {
  it.each(['cab', 'xml'] as const)('is [PersistedCabs, eventtype, bucket, uuid.%s]', (ext) => {
    expect(fileshareRelPath({ eventType: 'APPCRASH', bucket: 100, uuid: UUID, ext })).toEqual(['PersistedCabs', 'APPCRASH', '100', `${UUID}.${ext}`]);
  });

  it.each(['../../etc', '..', '.', 'C:\\Windows', '\\\\server\\share', 'a/b', 'x\u0000'])('sanitizes the event type %j into one safe segment', (eventType) => {
    const segs = fileshareRelPath({ eventType, bucket: 100, uuid: UUID, ext: 'cab' });
    expect(segs).toHaveLength(4);
    for (const seg of segs) {
      expect(seg).toMatch(/^[A-Za-z0-9._-]+$/);
      expect(seg).not.toMatch(/^\.+$/);
    }
  });

  it.each([
    ['a bad uuid', { eventType: 'E', bucket: 100, uuid: `${UUID}/../x`, ext: 'cab' as const }],
    ['a bad ext', { eventType: 'E', bucket: 100, uuid: UUID, ext: 'exe' as 'cab' }],
    ['an unsafe bucket', { eventType: 'E', bucket: 2 ** 60, uuid: UUID, ext: 'xml' as const }],
  ])('throws on %s', (_name, parts) => {
    expect(() => fileshareRelPath(parts)).toThrow(/^dump-path: /);
  });
});

describe('normalizeDumpPath: every form of an issued path gives the same key', () => {
  const issued = issueDumpPath({ eventType: 'APPCRASH', bucket: 100, uuid: UUID });
  const want = `persistedcabs/appcrash/100/${UUID}.cab`;
  const enc = (s: string): string =>
    s
      .split('')
      .map((c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0'))
      .join('');

  it.each([
    ['issued', issued],
    ['slashes', `/PersistedCabs/APPCRASH/100/${UUID}.cab`],
    ['no leading separator', `PersistedCabs\\APPCRASH\\100\\${UUID}.cab`],
    ['leading \\\\ (MS-CER2 4.1 step 8)', `\\\\PersistedCabs\\APPCRASH\\100\\${UUID}.cab`],
    ['leading /\\', `/\\PersistedCabs\\APPCRASH\\100\\${UUID}.cab`],
    ['mixed separators', `/PersistedCabs\\APPCRASH/100\\${UUID}.cab`],
    ['repeated separators', `//PersistedCabs//APPCRASH\\\\100///${UUID}.cab`],
    ['upper case', `\\PERSISTEDCABS\\APPCRASH\\100\\${UUID.toUpperCase()}.CAB`],
    ['lower case', `/persistedcabs/appcrash/100/${UUID}.cab`],
    ['%5C backslashes', `%5CPersistedCabs%5CAPPCRASH%5C100%5C${UUID}.cab`],
    ['%5c after a slash', `/%5cPersistedCabs%5cAPPCRASH%5c100%5c${UUID}.cab`],
    ['%2F slashes', `%2FPersistedCabs%2FAPPCRASH%2F100%2F${UUID}.cab`],
    ['every character encoded', enc(issued)],
    ['with a query (req.url)', `/PersistedCabs/APPCRASH/100/${UUID}.cab?x=1&y=..%2f`],
  ])('%s', (_name, form) => {
    expect(normalizeDumpPath(form)).toBe(want);
    expect(normalizeDumpPath(form)).toBe(normalizeDumpPath(issued));
  });

  it("the document's 4.3 issued path and its PUT target match", () => {
    const a = normalizeDumpPath('\\PersistedCabs\\Blue\\c2428d43-b50a-4622-9d55-cce4602834b3.cab');
    expect(a).toBe('persistedcabs/blue/c2428d43-b50a-4622-9d55-cce4602834b3.cab');
    expect(normalizeDumpPath('/PersistedCabs/Blue/c2428d43-b50a-4622-9d55-cce4602834b3.cab')).toBe(a);
  });

  it('decodes once: a space issued literally matches %20, "%2520" does not', () => {
    expect(normalizeDumpPath('/Cabs/a%20b.cab')).toBe(normalizeDumpPath('\\Cabs\\a b.cab'));
    expect(normalizeDumpPath('/Cabs/a%2520b.cab')).toBe('cabs/a%20b.cab');
  });

  it('an encoded "?" (%3F) is part of the path, a raw one starts the query', () => {
    expect(normalizeDumpPath('/a%3Fb.cab')).toBe('a?b.cab');
    expect(normalizeDumpPath('/a?b.cab')).toBe('a');
    expect(normalizeDumpPath('?x')).toBeNull();
  });

  it('different paths give different keys', () => {
    expect(normalizeDumpPath(`/PersistedCabs/APPCRASH/101/${UUID}.cab`)).not.toBe(want);
    expect(normalizeDumpPath(`/PersistedCabs/APPCRASH/100/${UUID}.cab/`)).not.toBe(want);
  });
});

describe('normalizeDumpPath: refused forms are null (match nothing)', () => {
  it.each([
    ['/..%2f..%2fetc/passwd'],
    ['\\..\\..\\x'],
    ['%2e%2e/x'],
    ['%2E%2E%5Cx'],
    ['..'],
    ['/PersistedCabs/../../etc'],
    ['/PersistedCabs/./x.cab'],
    ['/PersistedCabs/.../x.cab'],
    ['/PersistedCabs/..%5c..%5cx'],
    ['/..%252f..%252fetc/passwd'],
    ['/%252e%252e/x'],
    ['C:\\Windows\\x.cab'],
    ['c:/x'],
    ['/C:/Windows/x.cab'],
    ['%43%3A%5Cx'],
    ['\\\\?\\C:\\x'],
    ['\\\\.\\pipe\\x'],
    ['%5C%5C%3F%5CC:%5Cx'],
    ['/x\u0000.cab'],
    ['/x%00.cab'],
    ['/x%0d%0aBucket=1'],
    ['/x%'],
    ['/x%zz'],
    ['/x%E9.cab'],
    [''],
    ['/'],
    ['\\\\'],
    ['/' + 'a'.repeat(1024)],
  ])('%j', (form) => {
    expect(normalizeDumpPath(form)).toBeNull();
  });

  it('accepts 1024 characters, refuses 1025', () => {
    expect(normalizeDumpPath('/' + 'a'.repeat(1023))).toBe('a'.repeat(1023));
    expect(normalizeDumpPath('/' + 'a'.repeat(1024))).toBeNull();
  });

  it('a UNC-shaped path is just a key: it finds only an issued path of the same segments', () => {
    expect(normalizeDumpPath('\\\\server\\share\\x.cab')).toBe('server/share/x.cab');
    expect(normalizeDumpPath('\\\\server\\share\\x.cab')).not.toBe(normalizeDumpPath(issueDumpPath({ eventType: 'server', bucket: 100, uuid: UUID })));
  });
});

describe('fileshareCopyPath: named after the DumpFile issued, whatever its form (INTERFACE.md)', () => {
  it.each<[string, string, string[], string[]]>([
    [
      'the default form',
      '\\PersistedCabs\\APPCRASH\\100\\8747c307-c461-42ba-abf5-7fd98d8bb0ec.cab',
      ['PersistedCabs', 'APPCRASH', '100', '8747c307-c461-42ba-abf5-7fd98d8bb0ec.cab'],
      ['PersistedCabs', 'APPCRASH', '100', '8747c307-c461-42ba-abf5-7fd98d8bb0ec.xml'],
    ],
    [
      "4.3's",
      '\\PersistedCabs\\Blue\\c2428d43-b50a-4622-9d55-cce4602834b3.cab',
      ['PersistedCabs', 'Blue', 'c2428d43-b50a-4622-9d55-cce4602834b3.cab'],
      ['PersistedCabs', 'Blue', 'c2428d43-b50a-4622-9d55-cce4602834b3.xml'],
    ],
    [
      "4.4's, no .cab",
      '\\PersistedCabs\\Generic\\MikeTest\\1000\\2000\\3000\\41ed848b-30fe-4db5-92e9-7745d2ceb2b8',
      ['PersistedCabs', 'Generic', 'MikeTest', '1000', '2000', '3000', '41ed848b-30fe-4db5-92e9-7745d2ceb2b8'],
      ['PersistedCabs', 'Generic', 'MikeTest', '1000', '2000', '3000', '41ed848b-30fe-4db5-92e9-7745d2ceb2b8.xml'],
    ],
    ["a rule's, upper-case .CAB, slashes", '/Custom//crash.CAB', ['Custom', 'crash.CAB'], ['Custom', 'crash.xml']],
    ['another extension', '\\x\\dump.xml', ['x', 'dump.xml'], ['x', 'dump.xml.xml']],
    ['a traversal, made safe', '\\..\\..\\etc\\C:\\CON.cab', ['__', '__', 'etc', 'C_', '_CON.cab'], ['__', '__', 'etc', 'C_', '_CON.xml']],
    ['only separators', '\\\\', ['_'], ['_.xml']],
  ])('%s', (_name, dumpFile, cab, xml) => {
    expect([fileshareCopyPath(dumpFile, 'cab'), fileshareCopyPath(dumpFile, 'xml')]).toEqual([cab, xml]);
  });

  it('a 64-character name keeps ".xml" and never lands on the cabinet', () => {
    const name = 'n'.repeat(64);
    const [cab, xml] = [fileshareCopyPath(name, 'cab'), fileshareCopyPath(name, 'xml')];
    expect(xml[0]).toMatch(/^n{60}\.xml$/);
    expect(xml[0]).not.toBe(cab[0]);
  });
});
