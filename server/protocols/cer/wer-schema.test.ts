// The simple types of MS-CER2 2.2.1.2 (and EVENTINFO's xs:unsignedLong, 2.2.1.3.5), value by value:
// what each accepts, and the rule and section a value that breaks it is reported under.

import { checkSimpleType, isXmlInfrastructure, type SimpleType } from './wer-schema';

const ok: [SimpleType, string][] = [
  ['maxpathstring', ''],
  ['maxpathstring', 'E:\\tools\\GPFMe.exe'],
  ['maxpathstring', 'x'.repeat(256)],
  ['maxpathstring', '😀'.repeat(256)],
  ['osstring', '6.1.7601.1.00000000.0.1'],
  ['lcidvalue', '1033'],
  ['lcidvalue', '0409'],
  ['lcidvalue', ' 1033 '],
  ['reporttypevalues', '0'],
  ['reporttypevalues', '4'],
  ['filetypevalues', '1'],
  ['filetypevalues', '5'],
  ['string32', 'x'.repeat(32)],
  ['string32', ''],
  ['parameterid', '0'],
  ['parameterid', '9'],
  ['unsignedLong', '0'],
  ['unsignedLong', '128496925196486378'],
  ['unsignedLong', '18446744073709551615'],
  ['unsignedLong', '+1'],
  ['string', 'anything\nat all'],
];
it.each(ok)('%s accepts %j', (type, value) => {
  expect(checkSimpleType(type, value)).toBeNull();
});

const bad: [SimpleType, string, string, string][] = [
  ['maxpathstring', 'x'.repeat(257), 'cer.maxpathstring', 'MS-CER2 2.2.1.2.1'],
  ['maxpathstring', 'a\nb', 'cer.maxpathstring', 'MS-CER2 2.2.1.2.1'],
  ['osstring', '6.1', 'cer.osstring', 'MS-CER2 2.2.1.2.2'],
  ['osstring', '6.1.7601', 'cer.osstring', 'MS-CER2 2.2.1.2.2'],
  ['osstring', 'Windows 7', 'cer.osstring', 'MS-CER2 2.2.1.2.2'],
  ['osstring', '6.1.6561.2.0.0.256', 'cer.osstring', 'MS-CER2 2.2.1.2.2'],
  ['osstring', '6.1.6561.2.0.0.256.1.0.0', 'cer.osstring', 'MS-CER2 2.2.1.2.2'],
  ['osstring', '6.1.6561.2.0.0.256.1.', 'cer.osstring', 'MS-CER2 2.2.1.2.2'],
  ['osstring', '6.1.6561.2.0.0.x.1', 'cer.osstring', 'MS-CER2 2.2.1.2.2'],
  ['osstring', '', 'cer.osstring', 'MS-CER2 2.2.1.2.2'],
  ['lcidvalue', '0x409', 'cer.lcid', 'MS-CER2 2.2.1.2.3'],
  ['lcidvalue', '+103', 'cer.lcid', 'MS-CER2 2.2.1.2.3'],
  ['lcidvalue', '\u00A01033', 'cer.lcid', 'MS-CER2 2.2.1.2.3'],
  ['lcidvalue', 'en-US', 'cer.lcid', 'MS-CER2 2.2.1.2.3'],
  ['lcidvalue', '', 'cer.lcid', 'MS-CER2 2.2.1.2.3'],
  ['lcidvalue', '4294967296', 'cer.lcid', 'MS-CER2 2.2.1.2.3'],
  ['reporttypevalues', '5', 'cer.reporttype', 'MS-CER2 2.2.1.2.4'],
  ['reporttypevalues', '-1', 'cer.reporttype', 'MS-CER2 2.2.1.2.4'],
  ['reporttypevalues', '02', 'cer.reporttype', 'MS-CER2 2.2.1.2.4'],
  ['reporttypevalues', '', 'cer.reporttype', 'MS-CER2 2.2.1.2.4'],
  ['filetypevalues', '0', 'cer.filetype', 'MS-CER2 2.2.1.2.5'],
  ['filetypevalues', '6', 'cer.filetype', 'MS-CER2 2.2.1.2.5'],
  ['string32', 'x'.repeat(33), 'cer.string32', 'MS-CER2 2.2.1.2.6'],
  ['parameterid', '10', 'cer.parameterid', 'MS-CER2 2.2.1.2.7'],
  ['parameterid', 'a', 'cer.parameterid', 'MS-CER2 2.2.1.2.7'],
  ['unsignedLong', '18446744073709551616', 'cer.eventtime', 'MS-CER2 2.2.1.3.5'],
  ['unsignedLong', '-1', 'cer.eventtime', 'MS-CER2 2.2.1.3.5'],
  ['unsignedLong', '1.5', 'cer.eventtime', 'MS-CER2 2.2.1.3.5'],
  ['unsignedLong', '0x1F', 'cer.eventtime', 'MS-CER2 2.2.1.3.5'],
  ['unsignedLong', '', 'cer.eventtime', 'MS-CER2 2.2.1.3.5'],
];
it.each(bad)('%s refuses %j as %s', (type, value, rule, specRef) => {
  expect(checkSimpleType(type, value)).toMatchObject({ level: 'error', rule, specRef });
});

it.each<[string, string]>([
  ["the examples' (MS-CER2 4.1-4.4)", '6.1.6561.2.0.0.256.1'],
  ['Windows 10 (a real Report.wer)', '10.0.19044.2.0.0.256.48'],
  ['Windows 10, 22H2', '10.0.19045.0.0.0.256.48'],
  ['nine parts', '6.1.7601.1.1.0.0.256.1'],
])('osstring in the form of %s %j is accepted, noted as info cer.osstring-form', (form, value) => {
  const p = checkSimpleType('osstring', value);
  expect(p).toMatchObject({ level: 'info', rule: 'cer.osstring-form', specRef: 'MS-CER2 2.2.1.2.2' });
  expect(p!.expected).toContain(value.startsWith('10.') ? 'Windows 10' : 'section 4 examples');
});

// MS-LCID: ar-AE 14337, ar-QA 16385, en-IN 16393 have 5 digits; the pattern [0-9]{4} has 4.
it.each<[string, string]>([
  ['14337', '5 digits'],
  ['16385', '5 digits'],
  ['16393', '5 digits'],
  ['4294967295', '10 digits'],
  ['103', '3 digits'],
  ['0000', 'is 0'],
  [' 16393 ', '5 digits'],
])('lcid %j is a real locale id form: accepted, noted as info cer.lcid-form (%s)', (value, why) => {
  const p = checkSimpleType('lcidvalue', value);
  expect(p).toMatchObject({ level: 'info', rule: 'cer.lcid-form', specRef: 'MS-CER2 2.2.1.2.3' });
  expect(p!.expected).toContain(why);
});

it.each([
  ['xmlns', true],
  ['xmlns:xsi', true],
  ['xsi:noNamespaceSchemaLocation', true],
  ['xml:lang', false],
  ['version', false],
] as const)('%s is XML infrastructure: %s', (name, expected) => {
  expect(isXmlInfrastructure(name)).toBe(expected);
});
