// PUT/GET /__admin/scenario (INTERFACE.md section 4): YAML and JSON bodies, a multipart upload
// (`curl -F scenario=@file.yaml`), the 400s, and the running scenario read back.

import { AdminApiError } from '../../server';
import { buildSqmSession } from '../../server/testing';
import { send } from '../helpers/http';
import { useMock } from '../helpers/lifecycle';

const mock = useMock();
const put = (body: string | FormData, headers: Record<string, string> = {}) => fetch(`${mock.url}/__admin/scenario`, { method: 'PUT', body, headers });
type Body = Record<string, unknown> & { error: { code: string; message: string } };
const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as Body });
const upload = async () => (await send(`${mock.url}/sqm/windows/sqmserver.dll`, { body: buildSqmSession() })).status;
const form = (field: string, text: string, filename = 'mine.yaml'): FormData => {
  const f = new FormData();
  f.append(field, new Blob([text], { type: 'application/yaml' }), filename);
  return f;
};

const YAML_403 = `# a comment is fine
name: from-yaml
rules:
  - name: fixed
    respond:
      sqm: { fixedThrottle: true }
`;
const FROM_YAML = { name: 'from-yaml', rules: [{ name: 'fixed', respond: { sqm: { fixedThrottle: true } } }] };

describe('PUT /__admin/scenario', () => {
  it('takes a YAML body, answers with the scenario, and GET returns it', async () => {
    expect(await json(await put(YAML_403, { 'content-type': 'application/yaml' }))).toEqual({ status: 200, body: FROM_YAML });
    expect(await mock.client.scenario()).toEqual(FROM_YAML);
    expect(await upload()).toBe(403);
  });

  it('takes a JSON body', async () => {
    const s = { name: 'from-json', seed: 3, rules: [{ when: { protocol: 'sqm-v1', partner: 'windows' }, respond: { status: 503, headers: { 'Retry-After': '1' } } }] };
    expect(await json(await put(JSON.stringify(s), { 'content-type': 'application/json' }))).toEqual({ status: 200, body: s });
    expect(await mock.client.scenario()).toEqual(s);
    expect(await upload()).toBe(503);
  });

  it('takes a multipart upload with the file in the field "scenario" (curl -F scenario=@file.yaml)', async () => {
    expect(await json(await put(form('scenario', YAML_403)))).toEqual({ status: 200, body: FROM_YAML });
    expect(await mock.client.scenario()).toEqual(FROM_YAML);
    expect(await upload()).toBe(403);
  });

  it.each<[string, () => FormData, RegExp]>([
    [
      'only a text field',
      () => {
        const f = new FormData();
        f.append('note', 'hi');
        return f;
      },
      /without a "scenario" file field/,
    ],
    ['the file under another field name', () => form('file', YAML_403), /unexpected file field "file"/],
    [
      'two files',
      () => {
        const f = form('scenario', YAML_403);
        f.append('scenario', new Blob(['name: b']), 'b.yaml');
        return f;
      },
      /too many files/,
    ],
  ])('refuses a multipart upload with %s: 400, the scenario unchanged', async (_name, make, message) => {
    await mock.client.setScenario({ name: 'before' });
    const r = await json(await put(make()));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BAD_REQUEST');
    expect(r.body.error.message).toMatch(message);
    expect(await mock.client.scenario()).toEqual({ name: 'before' });
  });

  it.each<[string, string | FormData, string]>([
    ['a YAML body', 'rules:\n  - respond: { fault: explode }\n', 'PUT /__admin/scenario: rules[0].respond.fault (line 2): expected one of "reset"'],
    ['a JSON body', '{"rules":[{"times":0}]}', 'PUT /__admin/scenario: rules[0].times (line 1): expected a number ≥ 1, got 0'],
    ['a multipart file', form('scenario', 'rules:\n  - respond:\n      status: 1234\n', 'bad.yaml'), 'PUT /__admin/scenario (bad.yaml): rules[0].respond.status (line 3)'],
    ['an unknown key', 'rules:\n  - name: a\n    respnd: {}\n', 'rules[0] (line 3): unknown key "respnd" (did you mean "respond"?)'],
    [
      'a rule that can never match',
      'rules:\n  - name: c\n    when: { protocol: cer, partner: windows }\n',
      'rules[0].when.partner (line 3): rule "c": this rule can never match: a cer request has no partner',
    ],
  ])('refuses an invalid scenario in %s: 400 SCENARIO_INVALID with the path, the scenario unchanged', async (_name, body, message) => {
    await mock.client.setScenario({ name: 'before' });
    const r = await json(await put(body));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('SCENARIO_INVALID');
    expect(r.body.error.message).toContain(message);
    expect(await mock.client.scenario()).toEqual({ name: 'before' });
  });

  it('the typed client throws AdminApiError with the code', async () => {
    const e = await mock.client.setScenario('rules: [{ probability: 2 }]').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AdminApiError);
    expect(e).toMatchObject({ status: 400, code: 'SCENARIO_INVALID' });
    expect((e as Error).message).toContain('rules[0].probability');
  });

  it.each<[string, string | (() => FormData)]>([
    ['no bytes', ''],
    ['only blanks', ' \n\t\n'],
    ['only a comment', '# rules to come\n'],
    ['an empty multipart file', () => form('scenario', '', 'missing.yaml')],
  ])('refuses an empty body (%s): 400 naming how to reset on purpose, the scenario unchanged', async (_name, body) => {
    await mock.client.setScenario(FROM_YAML);
    const r = await json(await put(typeof body === 'string' ? body : body()));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('SCENARIO_INVALID');
    expect(r.body.error.message).toMatch(/^PUT \/__admin\/scenario( \(missing\.yaml\))?: the body is empty .*send an empty scenario, \{\} or rules: \[\]/);
    expect(r.body.error.message).not.toContain('\n');
    expect(await mock.client.scenario()).toEqual(FROM_YAML);
    expect(await upload()).toBe(403);
  });

  it.each<[string, string]>([
    ['{}', '{}'],
    ['rules: []', 'rules: []\n'],
  ])('an explicit empty scenario (%s) is the built-in happy path', async (_name, body) => {
    await mock.client.setScenario(FROM_YAML);
    expect((await put(body)).status).toBe(200);
    expect(await upload()).toBe(200);
  });

  it('restarts the counters: a used-up times: 1 rule answers again after a PUT', async () => {
    const once = { rules: [{ name: 'once', times: 1, respond: { status: 503 } }] };
    await mock.client.setScenario(once);
    expect([await upload(), await upload()]).toEqual([503, 200]);
    await mock.client.setScenario(once);
    expect(await upload()).toBe(503);
  });
});

describe('POST /__admin/reset', () => {
  it('restarts the counters and keeps the scenario', async () => {
    await mock.client.setScenario({ name: 'kept', rules: [{ name: 'once', times: 1, respond: { status: 503 } }] });
    expect([await upload(), await upload()]).toEqual([503, 200]);
    await mock.client.reset();
    expect(await mock.client.requests()).toEqual([]);
    expect((await mock.client.scenario()).name).toBe('kept');
    expect([await upload(), await upload()]).toEqual([503, 200]);
  });
});
