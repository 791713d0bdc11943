// The form of a level-2 PUT target next to the issued DumpFile (MS-CER2 2.2.2, 4.1 step 8;
// INTERFACE.md section 2): each difference named, none for the DumpFile as issued.

import { formDifferences } from './dumpfile-form';

const ISSUED = '\\PersistedCabs\\APPCRASH\\100\\8747c307-c461-42ba-abf5-7fd98d8bb0ec.cab';
const SLASHED = ISSUED.replace(/\\/g, '/');

describe('formDifferences', () => {
  it.each<[string, string, string | undefined, string[]]>([
    ['the DumpFile as issued', ISSUED, undefined, []],
    ['doubled (4.1 step 8)', '\\' + ISSUED, undefined, ['leading "\\\\" for "\\"']],
    ['slashed', SLASHED, undefined, ['leading "/" for "\\"', 'separators "/" for "\\"']],
    ['a slash, then the DumpFile', '/' + ISSUED, undefined, ['leading "/\\" for "\\"']],
    ['percent-encoded', ISSUED.replace(/\\/g, '%5C'), undefined, ['percent-encoded']],
    ['percent-encoded after a slash', '/' + ISSUED.replace(/\\/g, '%5c'), undefined, ['percent-encoded', 'leading "/\\" for "\\"']],
    [
      'absolute form',
      `http://cer.corp:1273${SLASHED}`,
      SLASHED,
      ['absolute form ("http://cer.corp:1273" before the path, RFC 7230 5.3.2)', 'leading "/" for "\\"', 'separators "/" for "\\"'],
    ],
    ['absolute form with the DumpFile', `http://cer.corp${ISSUED}`, ISSUED, ['absolute form ("http://cer.corp" before the path, RFC 7230 5.3.2)']],
    ['upper case', ISSUED.toUpperCase(), undefined, ['letter case']],
    ['repeated separators', ISSUED.replace('\\APPCRASH', '\\\\APPCRASH'), undefined, ['repeated separators']],
    ['a query', ISSUED + '?retry=1', undefined, ['a query "?retry=1"']],
    ['no leading separator', ISSUED.slice(1), undefined, ['no leading "\\"']],
  ])('%s', (_name, target, url, expected) => {
    expect(formDifferences(target, url ?? target, ISSUED)).toEqual(expected);
  });

  it('names the difference to a DumpFile a rule issued with slashes', () => {
    expect(formDifferences('\\custom\\x.cab', '\\custom\\x.cab', '/custom/x.cab')).toEqual(['leading "\\" for "/"', 'separators "\\" for "/"']);
  });
});
