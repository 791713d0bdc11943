// sqm-cer-mock/jest against a running mock: each matcher passes on what was captured, fails with the
// closest record and where it differs, works negated, waits with timeoutMs, and types for both expects.

import { stripVTControlCharacters } from 'node:util';
import { expect as globalsExpect } from '@jest/globals';
import { sqmMatchers } from '../../server/jest';
import { buildCabinet, buildSqmSession, buildWerReport } from '../../server/testing';
import { postReport, putCab, slashed } from '../helpers/cer';
import { win7Capture } from '../helpers/fixtures';
import { useMock } from '../helpers/lifecycle';

const mock = useMock();
const upload = (body: Buffer, partner = 'windows') => fetch(`${mock.url}/sqm/${partner}/sqmserver.dll`, { method: 'POST', body });
/** The failure message of a matcher call that must fail, without colours. */
async function failure(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err as Error,
  );
  if (!e) throw new Error('the matcher passed where it had to fail');
  return stripVTControlCharacters(e.message);
}

describe('toHaveReceivedSqmSession', () => {
  it('passes for a captured session, asked of the mock, its client or its URL', async () => {
    expect((await upload(win7Capture())).status).toBe(200);
    await expect(mock.current).toHaveReceivedSqmSession({ partner: 'windows', protocolVersion: 1 });
    await expect(mock.client).toHaveReceivedSqmSession({ header: { clientUniqueIdentifier: expect.stringMatching(/^\{[0-9A-F-]{36}\}$/) } });
    await expect(mock.url).toHaveReceivedSqmSession({ sections: expect.arrayContaining([expect.objectContaining({ typeName: 'dword' })]) });
  });

  it('fails naming the closest session and each place it differs', async () => {
    await upload(buildSqmSession({ header: { manifestVersion: 2 } }));
    await upload(buildSqmSession({ header: { manifestVersion: 3 } }));
    const msg = await failure(expect(mock.current).toHaveReceivedSqmSession({ partner: 'office', header: { manifestVersion: 3 } }));
    expect(msg).toContain('expect(mock).toHaveReceivedSqmSession(expected)');
    expect(msg).toContain('Expected: an SQM session matching {"header": {"manifestVersion": 3}, "partner": "office"}');
    expect(msg).toMatch(
      /Received: 2 SQM sessions, none matching\. The closest, session (\d+) \(request \d+\), differs in 1 place:\n {2}partner: expected "office", received "windows"$/,
    );
  });

  it('says when nothing was captured at all', async () => {
    expect(await failure(expect(mock.current).toHaveReceivedSqmSession({ partner: 'windows' }))).toContain('Received: no SQM session at all (GET /__admin/sqm/sessions is empty)');
  });

  it('negated: passes when none matches, fails naming the one that does', async () => {
    await upload(buildSqmSession());
    await expect(mock.current).not.toHaveReceivedSqmSession({ partner: 'office' });
    const msg = await failure(expect(mock.current).not.toHaveReceivedSqmSession({ partner: 'windows' }));
    expect(msg).toContain('expect(mock).not.toHaveReceivedSqmSession(expected)');
    expect(msg).toMatch(/Expected: no SQM session matching \{"partner": "windows"\}\nReceived: session \d+ \(request \d+\) matches: \{.*"partner": "windows"/s);
  });

  it('with timeoutMs, waits for a session still to come', async () => {
    const late = new Promise((resolve) => setTimeout(resolve, 400)).then(() => upload(buildSqmSession(), 'late'));
    await expect(mock.current).toHaveReceivedSqmSession({ partner: 'late' }, { timeoutMs: 5000 });
    await late;
    const msg = await failure(expect(mock.current).toHaveReceivedSqmSession({ partner: 'never' }, { timeoutMs: 300 }));
    expect(msg).toContain('Expected: an SQM session matching {"partner": "never"} within 300 ms');
  });

  it('refuses what is not a mock, and names an admin API that cannot be read', async () => {
    await expect(expect(42).toHaveReceivedSqmSession({})).rejects.toThrow(
      'toHaveReceivedSqmSession: expected a mock (what startMockServer resolves to), its client, or its base URL; got number',
    );
    await expect(expect('http://127.0.0.1:1').toHaveReceivedSqmSession({})).rejects.toThrow(/^toHaveReceivedSqmSession: could not read GET \/__admin\/sqm\/sessions \(/);
  });
});

describe('toHaveReceivedCerReport', () => {
  it('passes once the report and its cabinet are in, and shows how the closest report differs', async () => {
    const answer = (await postReport(mock.url, buildWerReport())).answer;
    expect((await putCab(mock.url, slashed(answer.DumpFile), buildCabinet([{ name: 'Version.txt', data: Buffer.from('6.1') }]))).status).toBe(200);
    await expect(mock.current).toHaveReceivedCerReport({ eventType: 'APPCRASH', level2: expect.objectContaining({ files: [{ name: 'Version.txt', size: 3 }] }) });
    const msg = await failure(expect(mock.current).toHaveReceivedCerReport({ eventType: 'AppHang', bucket: Number(answer.Bucket) }));
    expect(msg).toMatch(/The closest, report \d+ \(request \d+\), differs in 1 place:\n {2}eventType: expected "AppHang", received "APPCRASH"$/);
  });
});

describe('toHaveNoViolations', () => {
  it('passes on clean traffic, fails listing each violation, and leaves out ignored rules', async () => {
    const session = buildSqmSession();
    await upload(session);
    await expect(mock.current).toHaveNoViolations();
    await upload(session);
    const msg = await failure(expect(mock.current).toHaveNoViolations());
    expect(msg).toContain('Expected: no violations (warnings and errors)\nReceived: 1:\n  request 2 sqm-v1 warning sqm-v1.resent (MS-SQMCS');
    await expect(mock.current).toHaveNoViolations({ ignore: ['sqm-v1.resent'] });
    await expect(mock.current).toHaveNoViolations({ protocol: 'cer' });
    await expect(mock.current).not.toHaveNoViolations();
  });
});

describe('@jest/globals', () => {
  it('takes the matchers with expect.extend(sqmMatchers), typed', async () => {
    globalsExpect.extend(sqmMatchers);
    await upload(buildSqmSession());
    await globalsExpect(mock.current).toHaveReceivedSqmSession({ partner: 'windows' });
    await globalsExpect(mock.current).toHaveNoViolations();
  });
});
