// buildWerReport against the level-1 decoder (server/protocols/cer/werreport.ts): every encoding
// decodes with no error finding, the parts come back, and null parts are really left out.

import { hasErrors } from '../wire/findings';
import { decodeWerReport } from '../protocols/cer/werreport';
import { buildWerReport, buildWerXml, DEFAULT_WER_PARTS, encodeWerText, type BuildWerOptions } from './wer-report';

const encodings: [string, BuildWerOptions, string, boolean][] = [
  ['the default', {}, 'utf-16le', true],
  ['UTF-16LE without a BOM', { bom: false }, 'utf-16le', false],
  ['UTF-16BE', { encoding: 'utf-16be' }, 'utf-16be', true],
  ['UTF-16BE without a BOM', { encoding: 'utf-16be', bom: false }, 'utf-16be', false],
  ['UTF-8', { encoding: 'utf-8' }, 'utf-8', false],
  ['UTF-8 with a BOM', { encoding: 'utf-8', bom: true }, 'utf-8', true],
];

describe('buildWerReport', () => {
  it.each(encodings)('%s decodes with no error finding', (_name, options, encoding, bom) => {
    const { value, findings } = decodeWerReport(buildWerReport({}, options));
    expect(hasErrors(findings)).toBe(false);
    expect(value).toMatchObject({ encoding, bom, eventInfo: DEFAULT_WER_PARTS.event, machineInfo: DEFAULT_WER_PARTS.machine });
    expect(value!.parameters).toEqual(DEFAULT_WER_PARTS.parameters);
    expect(value!.files).toEqual(DEFAULT_WER_PARTS.files);
  });

  it('starts with FF FE by default, as Windows sends it', () => {
    expect(buildWerReport().subarray(0, 4)).toEqual(Buffer.from([0xff, 0xfe, 0x3c, 0x00]));
  });

  it('writes the parts given, in order, and drops the ones set to null', () => {
    const params = [
      { id: '1', value: 'b' },
      { id: '0', name: 'A & B', value: '<a>' },
    ];
    const { value, findings } = decodeWerReport(buildWerReport({ parameters: params, secondaryParameters: [{ name: 'n', value: 'v' }], files: null }));
    expect(hasErrors(findings)).toBe(false);
    expect(value!.parameters).toEqual(params);
    expect(value!.secondaryParameters).toEqual([{ name: 'n', value: 'v' }]);
    expect(value!.files).toEqual([]);
    expect(buildWerXml({ user: null })).not.toContain('USERINFO');
  });

  it('can make deliberately broken reports: a missing required element is an error finding', () => {
    expect(hasErrors(decodeWerReport(buildWerReport({ machine: null })).findings)).toBe(true);
  });
});

describe('encodeWerText', () => {
  it.each([
    ['utf-16le', true, 'fffe4100'],
    ['utf-16be', true, 'feff0041'],
    ['utf-8', false, '41'],
    ['utf-8', true, 'efbbbf41'],
  ] as const)('%s, BOM %s', (encoding, bom, hex) => {
    expect(encodeWerText('A', { encoding, bom }).toString('hex')).toBe(hex);
  });
});
