// Display names for section types and flag bits (MS-SQMCS 2.2.4.1 note <3>, 2.2.4.3, and the
// Windows Embedded Compact SQM header's SqmSetFlags names).

import { FLAG_BITS, flagBits, flagNames, internalFlagNames, sectionTypeName } from './names';

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
  [0x20, ['internal']], // the MS-SQMCS 4.1 capture: SQM_FLAG_INTERNAL in the Windows Embedded Compact header
  [0x80, ['fromProxy']],
  [0x6cd, ['debug', 'sslRequired', 'doNotUpload', 'partialSession', 'fromProxy', 'endTimeIndeterminate', 'headerOnly']],
  // Bits the document reserves, named by the Windows Embedded Compact SQM header; bit 8 by neither.
  [0x80000132, ['neverThrottle', 'test', 'internal', 'bit8', 'managedSession']],
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

it('keeps both names where the sources differ (bit 7) and says which source names a bit', () => {
  expect(flagBits(0xa2, FLAG_BITS)).toEqual([
    { bit: 1, name: 'neverThrottle', document: null, compact: 'SQM_FLAG_NEVER_THROTTLE' },
    { bit: 5, name: 'internal', document: null, compact: 'SQM_FLAG_INTERNAL' },
    { bit: 7, name: 'fromProxy', document: 'SQM session from proxy', compact: 'SQM_FLAG_CORPORATE' },
  ]);
});
