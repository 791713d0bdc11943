// The ready-made SQM v2 scenario files, each loaded from its FILE as a user would
// (`--scenario scenarios/v2-*.yaml`), and exercised over the wire.

import path from 'node:path';
import type { MockServer } from '../../server';
import { buildSqmSession, buildV2Message, responseCommands, type BuildReq } from '../../server/testing';
import { send, type Reply } from '../helpers/http';
import { useMock } from '../helpers/lifecycle';

const SCENARIOS = path.resolve(__dirname, '../../scenarios');
const s = buildSqmSession({ sections: [{ type: 'dword', datapoints: [{ id: 6, value: 9200 }] }] });
const requpload = buildV2Message({ reqs: [{ key: '1', cmd: 'requpload' }] });
const qryrsrc = buildV2Message({ reqs: [{ key: '1', cmd: 'qryrsrc', cmdArgs: { name: 'manifest' } }] });
const upload = (token: string): BuildReq => ({ key: '1', cmd: 'dataupload', cmdArgs: { tm: '129579283005582927', token, size: s.length, offset: 0 } });
const dataupload = (token: string) => buildV2Message({ payload: s, reqs: [upload(token)] });
const cmds = (res: Reply) => responseCommands(res.text);
const idOf = (res: Reply) => Number(res.headers.get('x-mock-request-id'));

function withScenario(file: string, body: (mock: () => MockServer) => void): void {
  describe(file, () => {
    const mock = useMock({ scenario: path.join(SCENARIOS, file) });
    body(() => mock);
  });
}
const post = (mock: MockServer, body: Buffer) => send(`${mock.url}/sqm/windows/sqmserver.dll`, { body });

withScenario('v2-throttle-ptr.yaml', (mock) => {
  it('loads as written', async () => {
    expect(await mock().client.scenario()).toMatchObject({ name: 'v2-throttle-ptr' });
  });

  it('requpload → throttle, period 7 days at ptr; no token', async () => {
    const res = await post(mock(), requpload);
    expect(cmds(res)).toEqual({ '1': { nm: 'throttle', args: { period: '7', namespace: 'ptr' } } });
    expect((await mock().client.request(idOf(res))).ruleName).toBe('throttle-ptr-7-days');
    expect(await mock().client.sqmTokens()).toEqual([]);
  });

  it('qryrsrc is answered as usual', async () => {
    expect(cmds(await post(mock(), qryrsrc))['1'].nm).toBe('none');
  });
});

withScenario('v2-token-expiry.yaml', (mock) => {
  it('tokens live 2 s: a receipt while valid, error retrv 1 once expired', async () => {
    const approved = await post(mock(), requpload);
    const { token, tm } = cmds(approved)['1'].args;
    const [t] = await mock().client.sqmTokens();
    expect(Date.parse(t.expiresAt) - Date.parse(t.issuedAt)).toBe(2000);
    expect(t.expiresFiletime).toBe(tm);

    const early = await post(mock(), dataupload(token));
    expect(cmds(early)['1'].nm).toBe('receipt');

    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(t.expiresAt) - Date.now()) + 100));
    const late = await post(mock(), dataupload(token));
    expect(cmds(late)['1']).toMatchObject({ nm: 'error', args: { retrv: '1', code: 'token-expired' } });
    expect((await mock().client.sqmTokens())[0].usedBy).toEqual([idOf(early), idOf(late)]);
    expect(await mock().client.sqmSessions({ protocol: 2 })).toHaveLength(1);
  });
});

withScenario('v2-partial-outage.yaml', (mock) => {
  const outage = { nm: 'error', args: { retrv: '1', code: '503', message: 'partial service outage, retry later' } };

  it('requpload → error retrv 1, code 503', async () => {
    const res = await post(mock(), requpload);
    expect(cmds(res)).toEqual({ '1': outage });
    expect((await mock().client.request(idOf(res))).ruleName).toBe('outage-requpload');
    expect(await mock().client.sqmTokens()).toEqual([]);
  });

  it('dataupload → error retrv 1, code 503, nothing stored', async () => {
    const res = await post(mock(), dataupload('3.0123456789abcdef0123456789abcdef.01cc5ed08779ac68'));
    expect(cmds(res)).toEqual({ '1': outage });
    expect((await mock().client.request(idOf(res))).ruleName).toBe('outage-dataupload');
    expect(await mock().client.sqmSessions()).toEqual([]);
  });

  it('qryrsrc is still answered', async () => {
    expect(cmds(await post(mock(), qryrsrc))['1'].nm).toBe('none');
  });
});
