// The SQM v1 handler (MS-SQMCS 3.2.5) on plain requests: default answers, refusals and their
// findings, a rule's `sqm` part and plain answers, and the session rows it hands to the capture.

import { handlerContext, removeTempDirs, ruleRefs, rowsOf, stmts, text, wireRequest, type RequestInit } from '../../../test/helpers/handler-context';
import { win7Capture } from '../../../test/helpers/fixtures';
import { buildSqmSession, buildSqmV2Message } from '../../testing';
import { MemoryConversation } from '../../conversation';
import { handleSqmV1, sqmV1Route } from './route';

const URL = '/sqm/windows/sqmserver.dll';
const post = (body: Buffer, over: Partial<RequestInit> = {}) => wireRequest({ url: URL, body, ...over });
const run = (scenario: unknown, init: RequestInit) => handleSqmV1(wireRequest(init), handlerContext(scenario), new MemoryConversation());
const accepted = (o: ReturnType<typeof run>) => rowsOf(o, 'sessions:session').map((r) => r.params.accepted);

afterAll(removeTempDirs);

describe('sqm-v1: the default answer', () => {
  it.each([
    ['the MS-SQMCS 4.1 Windows 7 capture', win7Capture(), 5],
    ['a built session without sections', buildSqmSession(), 0],
  ])('%s: 200, empty, stored accepted with its sections summarised in the session row', (_n, body, sections) => {
    const o = handleSqmV1(post(body), handlerContext(), new MemoryConversation());
    expect(o).toMatchObject({ protocol: 'sqm-v1', partner: 'windows', ruleName: null, answer: { status: 200, headers: {} } });
    expect(o.answer.body.length).toBe(0);
    expect(stmts(o)).toEqual(['sessions:session']);
    expect(JSON.parse(String(rowsOf(o, 'sessions:session')[0].params.sections))).toHaveLength(sections);
    // What the answer set up for the client: the session accepted.
    expect(rowsOf(o, 'conversation:seen')).toHaveLength(1);
    expect(rowsOf(o, 'conversation:seen')[0].params.digest).toMatch(/^[0-9a-f]{40}$/);
    expect(rowsOf(o, 'conversation:setup')).toEqual([]);
    expect(rowsOf(o, 'sessions:session')[0]).toMatchObject({
      key: 'session:0',
      params: { protocolVersion: 1, partner: 'windows', accepted: 1, bodyOffset: 0, bodyLength: body.length },
    });
    expect(o.findings!.filter((f) => f.level !== 'info')).toEqual([]);
    expect(o.findings!.every((f) => f.protocol === 'sqm-v1' && f.sessionIndex === 0)).toBe(true);
  });

  it.each([
    ['asks (InternalFlags 0x8), versions differ: 201 announces the partner version', 0x8, 0, 201, 'ManifestVersion:"7"\r\n'],
    ['asks, but already has version 7', 0x8, 7, 200, ''],
    ['does not ask', 0, 0, 200, ''],
  ])('manifest version (3.2.5.4): %s', (_n, internalFlags, manifestVersion, status, body) => {
    const o = handleSqmV1(
      post(buildSqmSession({ header: { internalFlags, manifestVersion } })),
      handlerContext({ partners: { windows: { manifest: { version: 7 } } } }),
      new MemoryConversation(),
    );
    expect(o.answer.status).toBe(status);
    expect(text(o)).toBe(body);
    expect(o.answer.headers.ManifestVersion).toBe(status === 201 ? '"7"' : undefined);
    expect(accepted(o)).toEqual([1]);
  });

  it('takes the partner from the path, percent-decoded, and knows every partner when none are listed', () => {
    const o = handleSqmV1(post(buildSqmSession(), { url: '/SQM/Office%20Lab/SQMSERVER.DLL' }), handlerContext(), new MemoryConversation());
    expect(o.partner).toBe('Office Lab');
    expect(rowsOf(o, 'sessions:session')[0].params.partner).toBe('Office Lab');
  });
});

describe('sqm-v1: refusals', () => {
  const badChecksum = buildSqmSession({ header: { dataChecksum: 5 } });
  it.each<[string, unknown, RequestInit, number, string, string, string[]]>([
    ['GET is not an upload', {}, { method: 'GET', url: URL }, 405, 'sqm-v1.method', 'MS-SQMCS 2.2.2', []],
    [
      'a partner the scenario does not list',
      { partners: { windows: null } },
      { url: '/sqm/office/sqmserver.dll', body: buildSqmSession() },
      404,
      'sqm-v1.unknown-partner',
      'MS-SQMCS 2.2.1',
      [],
    ],
    ['over the partner upload length', { partners: { windows: { maxUploadBytes: 100 } } }, { url: URL, body: buildSqmSession() }, 400, 'sqm-v1.size-limit', 'MS-SQMCS 3.1.5.2', []],
    ['a body the listener truncated', {}, { url: URL, body: buildSqmSession(), truncated: true, bodySize: 30 << 20 }, 400, 'sqm-v1.size-limit', 'MS-SQMCS 3.1.5.2', []],
    ['shorter than the header', {}, { url: URL, body: 'garbage' }, 400, 'sqm-v1.truncated', 'MS-SQMCS 2.2.4.1', []],
    ['a wrong DataChecksum (strict)', {}, { url: URL, body: badChecksum }, 400, 'sqm-v1.data-checksum', 'MS-SQMCS 3.2.5.3', ['sessions:session']],
    ['shorter than the header, lenient too', { strictness: 'lenient' }, { url: URL, body: 'garbage' }, 400, 'sqm-v1.truncated', 'MS-SQMCS 2.2.4.1', []],
  ])('%s → %d', (_n, scenario, init, status, rule, specRef, rows) => {
    const o = run(scenario, init);
    expect(o.answer.status).toBe(status);
    expect(ruleRefs(o)).toEqual([[rule, specRef, 'error']]);
    expect(o.answer.reason).toMatch(new RegExp(`^${rule.replace('.', '\\.')} \\(${specRef}\\): `));
    expect(stmts(o)).toEqual(rows);
    expect(accepted(o)).toEqual(rows.length ? [0] : []);
    expect(o.ruleName ?? null).toBeNull();
  });

  it('405 says which methods the path takes', () => {
    expect(run({}, { method: 'DELETE', url: URL }).answer.headers.allow).toBe('POST, PUT');
  });

  it('lenient: a session with an error finding is accepted, the finding still recorded', () => {
    const o = run({ strictness: 'lenient' }, { url: URL, body: badChecksum });
    expect(o.answer.status).toBe(200);
    expect(accepted(o)).toEqual([1]);
    expect(ruleRefs(o)).toEqual([['sqm-v1.data-checksum', 'MS-SQMCS 3.2.5.3', 'error']]);
  });

  it('a rule that only delays still delays the strict 400, and names itself', () => {
    const o = run({ rules: [{ name: 'slow', respond: { delayMs: 50 } }] }, { url: URL, body: badChecksum });
    expect(o).toMatchObject({ ruleName: 'slow', delivery: { delayMs: 50 }, answer: { status: 400 } });
  });
});

describe('sqm-v1: a rule', () => {
  // Only 200, 201 and 403 count as accepted (README "SQM v1 answers").
  it.each<[string, object, number, string, Record<string, string>, number]>([
    ['throttleInterval', { sqm: { throttleInterval: 7 } }, 201, 'ThrottleInterval:"7"\r\n', { ThrottleInterval: '"7"' }, 1],
    [
      'both values, in ABNF order',
      { sqm: { manifestVersion: 9, throttleInterval: 7 } },
      201,
      'ThrottleInterval:"7"\r\nManifestVersion:"9"\r\n',
      { ThrottleInterval: '"7"', ManifestVersion: '"9"' },
      1,
    ],
    ['fixedThrottle', { sqm: { fixedThrottle: true } }, 403, '', {}, 1],
    ['its own status with the sqm part', { status: 202, sqm: { manifestVersion: 3 } }, 202, 'ManifestVersion:"3"\r\n', { ManifestVersion: '"3"' }, 0],
  ])('respond.sqm %s', (_n, respond, status, body, headers, isAccepted) => {
    const o = run({ rules: [{ name: 'r', when: { protocol: 'sqm-v1' }, respond }] }, { url: URL, body: buildSqmSession() });
    expect(o).toMatchObject({ ruleName: 'r', answer: { status, headers } });
    expect(text(o)).toBe(body);
    expect(o.answer.headers['content-type']).toBe(body ? 'text/plain; charset=utf-8' : undefined);
    expect(accepted(o)).toEqual([isAccepted]);
  });

  // MS-SQMCS 3.2.5.5: a throttle response "MAY be combined with an A-SQM manifest response".
  it.each<[string, object, number, string, string | undefined]>([
    ['a throttle is combined with the announcement the client asked for', { sqm: { throttleInterval: 7 } }, 0x8, 'ThrottleInterval:"7"\r\nManifestVersion:"7"\r\n', '"7"'],
    ['unless the rule says manifestVersion: null', { sqm: { throttleInterval: 7, manifestVersion: null } }, 0x8, 'ThrottleInterval:"7"\r\n', undefined],
    ["the rule's own version wins", { sqm: { throttleInterval: 7, manifestVersion: 9 } }, 0x8, 'ThrottleInterval:"7"\r\nManifestVersion:"9"\r\n', '"9"'],
    ['no announcement when the client did not ask', { sqm: { throttleInterval: 7 } }, 0, 'ThrottleInterval:"7"\r\n', undefined],
  ])('respond.sqm: %s', (_n, respond, internalFlags, body, header) => {
    const scenario = { partners: { windows: { manifest: { version: 7 } } }, rules: [{ name: 'r', respond }] };
    const o = run(scenario, { url: URL, body: buildSqmSession({ header: { internalFlags, manifestVersion: 3 } }) });
    expect(o.answer.status).toBe(201);
    expect(text(o)).toBe(body);
    expect(o.answer.headers.ManifestVersion).toBe(header);
  });

  it.each<[string, object, number, string | undefined, string | undefined, number]>([
    ['503 with a body', { status: 503, body: 'down' }, 503, 'text/plain; charset=utf-8', 'scenario answered 503', 0],
    ['500 without a body', { status: 500 }, 500, undefined, 'scenario answered 500', 0],
    ['200 with its own content type', { status: 200, body: '<p>ok</p>', headers: { 'Content-Type': 'text/html' } }, 200, undefined, undefined, 1],
  ])('plain answer: %s', (_n, respond, status, contentType, reason, isAccepted) => {
    const o = run({ rules: [{ name: 'plain', respond }] }, { url: URL, body: buildSqmSession() });
    expect(o).toMatchObject({ ruleName: 'plain', answer: { status, reason } });
    expect(o.answer.headers['content-type']).toBe(contentType);
    expect(text(o)).toBe((respond as { body?: string }).body ?? '');
    expect(accepted(o)).toEqual([isAccepted]);
  });

  it('a plain answer overrides validation (a bad session answered 200 is stored, accepted)', () => {
    const o = run({ rules: [{ name: 'ok', respond: { status: 200 } }] }, { url: URL, body: buildSqmSession({ header: { dataChecksum: 5 } }) });
    expect(o.answer.status).toBe(200);
    expect(accepted(o)).toEqual([1]);
  });

  it.each([
    ['the session machine id, braces and case ignored', 'f0db6a46-cb0e-4e72-ad40-3eedf0349bbe', 201],
    ['another machine', '{00000000-0000-0000-0000-000000000001}', 200],
  ])('when.mid: %s', (_n, mid, status) => {
    const o = run({ rules: [{ name: 'm', when: { mid }, respond: { sqm: { throttleInterval: 1 } } }] }, { url: URL, body: buildSqmSession() });
    expect(o.answer.status).toBe(status);
  });
});

describe('sqmV1Route', () => {
  it.each([
    ['an MSQM session', buildSqmSession(), 'POST', true],
    ['a GET without a body', Buffer.alloc(0), 'GET', true],
    ['an SQM v2 message (sqm-v2 takes it)', buildSqmV2Message({ cmd: 'requpload' }), 'POST', false],
  ])('accepts %s?', (_n, body, method, yes) => {
    expect(sqmV1Route.accepts!(post(body, { method }))).toBe(yes);
  });
  it('claims the upload path in any case, and nothing else', () => {
    expect(sqmV1Route.claims(post(Buffer.alloc(0), { url: '/SQM/windows/SqmServer.dll?x=1' }))).toBe(true);
    expect(sqmV1Route.claims(post(Buffer.alloc(0), { url: '/sqm/windows/other.dll' }))).toBe(false);
  });
});
