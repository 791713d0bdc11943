// Documents built to exhaust a parser (issue 13 item 13): a YAML alias bomb ("billion laughs") as a
// scenario, by PUT /__admin/scenario and by --scenario, and a 100k-deep SQM v2 XML message.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { frameMessage } from '../../server/codecs/sqm-v2-message/framing';
import { buildV2Xml } from '../../server/testing';
import { killAllClis, runCli } from '../helpers/cli';
import { send } from '../helpers/http';
import { useMock } from '../helpers/lifecycle';

/** Nine levels of nine aliases each: 9^9 (387 million) strings once expanded. */
const LAUGHS = ['name: laughs', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  .concat(Array.from({ length: 8 }, (_, i) => `${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`))
  .join('\n');
const ALIAS_LIMIT = 'document: YAML aliases expand more than 100 times in all (alias limit;';

const mock = useMock();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-'));
afterAll(() => {
  killAllClis();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a YAML alias bomb as a scenario', () => {
  it('PUT /__admin/scenario: 400 SCENARIO_INVALID naming the alias limit; the running scenario stays', async () => {
    await mock.client.setScenario({ name: 'kept' });
    const res = await fetch(`${mock.url}/__admin/scenario`, { method: 'PUT', body: LAUGHS, headers: { 'content-type': 'application/yaml' } });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('SCENARIO_INVALID');
    expect(error.message).toContain(`PUT /__admin/scenario: ${ALIAS_LIMIT}`);
    expect(await mock.client.scenario()).toEqual({ name: 'kept' });
  });

  it('a few aliases are fine', async () => {
    const yaml = 'name: aliased\nrules:\n  - name: one\n    respond: &r { status: 503 }\n  - name: two\n    respond: *r\n';
    const res = await fetch(`${mock.url}/__admin/scenario`, { method: 'PUT', body: yaml });
    expect(res.status).toBe(200);
    expect(((await mock.client.scenario()) as { rules: unknown[] }).rules).toEqual([
      { name: 'one', respond: { status: 503 } },
      { name: 'two', respond: { status: 503 } },
    ]);
  });

  it('--scenario: exit 2 with one line naming the file and the alias limit', async () => {
    const file = path.join(dir, 'laughs.yaml');
    fs.writeFileSync(file, LAUGHS);
    const r = await runCli(['--scenario', file, '--port', '0', '--db', ':memory:']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`sqm-cer-mock: ${file}: ${ALIAS_LIMIT}`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('a 100k-deep SQM v2 XML message (MS-SQMCS2 3.1.5.1)', () => {
  it('HTTP 200 with an empty body and an sqm-v2.xml-depth violation; the mock keeps answering', async () => {
    const n = 100_000;
    const xml = buildV2Xml({ reqs: [{ key: '1', cmd: 'requpload' }] }).replace('<tlm>', `<tlm>${'<x>'.repeat(n)}${'</x>'.repeat(n)}`);
    const res = await send(`${mock.url}/sqm/windows/sqmserver.dll`, { body: frameMessage(xml) });
    expect([res.status, res.body.length]).toEqual([200, 0]);
    const id = Number(res.headers.get('x-mock-request-id'));
    const [v, ...more] = await mock.client.violations({ requestId: id });
    expect(more).toEqual([]);
    expect(v).toMatchObject({ rule: 'sqm-v2.xml-depth', level: 'error', specRef: 'MS-TPXS 5.1', protocol: 'sqm-v2' });
    expect(v.message).toMatch(/^elements nest deeper than 64 levels/);
    const detail = await fetch(`${mock.url}/__admin/requests/${id}`);
    expect(detail.status).toBe(200);
    expect(((await detail.json()) as { message: unknown }).message).toBeNull();
  });
});
