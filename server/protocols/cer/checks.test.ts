// CER conversation checks with plain facts: what a level-1 answer sets up, and what a level-2
// cabinet breaks (MS-CER2 3.1.5).

import type { Setup } from '../../conversation';
import { judgeContents, judgeUnissued, judgeUnrequested, setupOfChallenge, setupsOfLevel1 } from './checks';

const f = { clientKey: '10.0.0.5', nowMs: Date.parse('2026-01-01T00:00:00Z') };
const rules = (list: { rule: string }[]) => list.map((x) => x.rule);

it.each([
  ['iData=1 with a DumpFile: an expectation', 1, '\\PersistedCabs\\a.cab', 'persistedcabs/a.cab', 'cer.level2-missing'],
  ['iData=0: none', 0, null, null, null],
  ['iData=1 without a DumpFile: none', 1, null, null, null],
])('setupsOfLevel1, %s', (_n, iData, dumpFile, dumpKey, expectation) => {
  const [row] = setupsOfLevel1(f, { iData, dumpFile, dumpKey });
  expect(row.params).toMatchObject({ kind: 'report', clientKey: '10.0.0.5', expectation });
});

it('setupOfChallenge opens cer.auth-incomplete', () => {
  expect(setupOfChallenge(f, 'NTLM').params).toMatchObject({ kind: 'auth', expectation: 'cer.auth-incomplete' });
});

it.each([
  ['asked for (iData=1)', { iData: 1 }, []],
  ['not asked for (iData=0)', { iData: 0 }, ['cer.level2-unrequested']],
  ['no iData at all', {}, ['cer.level2-unrequested']],
])('judgeUnrequested: %s', (_n, instructions, expected) => {
  expect(rules(judgeUnrequested(f, { requestId: 3, instructions }))).toEqual(expected);
});

it('judgeUnissued: only from a client holding a report answered iData=0', () => {
  const s = { requestId: 7 } as Setup;
  expect(judgeUnissued(f, '/x.cab', [s]).map((x) => [x.rule, x.relatedRequestId])).toEqual([['cer.level2-unrequested', 7]]);
  expect(judgeUnissued(f, '/x.cab', [])).toEqual([]);
});

it.each([
  [
    'everything there',
    { files: [{ filename: 'Version.txt' }] },
    { memoryDump: 1, regKey: ['HKLM\\x'], getFile: ['C:\\a\\win.ini'] },
    ['version.txt', 'mini.mdmp', 'x.reg', 'win.ini'],
    [],
  ],
  ['the FILES file missing', { files: [{ filename: 'Version.txt' }] }, {}, ['other.txt'], ['cer.cab-contents']],
  [
    'nothing of what was asked',
    {},
    { memoryDump: 1, regTree: ['HKCU'], getFile: ['C:\\b.log'] },
    [],
    ['cer.cab-requested-missing', 'cer.cab-requested-missing', 'cer.cab-requested-missing'],
  ],
])('judgeContents: %s', (_n, report, instructions, names, expected) => {
  const out = judgeContents(
    f,
    { requestId: 2, report, instructions },
    names.map((name) => ({ name })),
  );
  expect(rules(out)).toEqual(expected);
  for (const x of out) expect(x).toMatchObject({ kind: 'conversation', relatedRequestId: 2, specRef: 'MS-CER2 3.1.5' });
});
