// Display names for section types and flag bits (MS-SQMCS 2.2.4.1 note <3>, 2.2.4.3).

import { flagNames, internalFlagNames, sectionTypeName } from './names';

it.each([
  [0x0, 'dword'],
  [0x3, 'string'],
  [0x5, 'stream'],
  [0x6, 'qword'],
  [0x1, '0x1'],
  [0xffffffff, '0xFFFFFFFF'],
])('section type %i is %s', (type, name) => {
  expect(sectionTypeName(type)).toBe(name);
});

it.each<[number, string[]]>([
  [0x0, []],
  [0x20, ['bit5']], // the MS-SQMCS 4.1 capture
  [0x80, ['fromProxy']],
  [0x6cd, ['debug', 'sslRequired', 'doNotUpload', 'partialSession', 'fromProxy', 'endTimeIndeterminate', 'headerOnly']],
])('Flags %i → %j', (flags, names) => {
  expect(flagNames(flags)).toEqual(names);
});

it.each<[number, string[]]>([
  [0x1, ['compressed']],
  [0x2, ['bit1']],
  [0x9, ['compressed', 'requestManifestVersion']],
  [0x80000000, ['bit31']],
])('InternalFlags %i → %j', (flags, names) => {
  expect(internalFlagNames(flags)).toEqual(names);
});
