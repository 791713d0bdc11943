// SQM v1 end to end against a real listening server: every answer as a client sees it,
// and every capture as a test reads it back through the typed admin client.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCabinet, buildSqmSession, buildSqmUpload } from '../../server/testing';
import { win7Capture } from '../helpers/fixtures';
import { send, sendPartial } from '../helpers/http';
import { useMock } from '../helpers/lifecycle';
import { withTool } from '../helpers/tools';

const mock = useMock();
const upload = (body: Uint8Array, partner = 'windows') => send(`${mock.url}/sqm/${partner}/sqmserver.dll`, { body });

describe('a real Windows 7 upload (MS-SQMCS 4.1)', () => {
  it('is accepted with 200 and decoded to the last data point', async () => {
    const res = await upload(win7Capture());
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(0);
    const [s] = await mock.client.sqmSessions({ partner: 'windows' });
    expect(s.requestId).toBe(Number(res.headers.get('x-mock-request-id')));
    expect(s.protocolVersion).toBe(1);
    expect(s.accepted).toBe(true);
    expect(s.header.clientUniqueIdentifier).toBe('{F0DB6A46-CB0E-4E72-AD40-3EEDF0349BBE}');
    expect(s.header.clientUploadTime).toBe(String(0x01cc583870674250n));
    expect(s.header.clientUploadTimeIso).toBe('2011-08-11T15:07:51.413Z');
    expect(s.sections.map((c) => c.typeName)).toEqual(['dword', 'string', 'stream', 'raw', 'stream']);
    const dwords = s.sections[0].datapoints!;
    expect(dwords).toHaveLength(41);
    expect(dwords.find((d) => d.id === 6)?.value).toBe(7601);
    expect(s.sections[1].layout).toBe('windows');
    expect(s.sections[1].datapoints).toHaveLength(3);
    expect(s.sections[1].datapoints!.find((d) => d.id === 780)?.value).toBe('100040219');
    expect(s.sections[2].streams![0]).toMatchObject({ streamIdentifier: 0x34, countPerRecord: 3, countRecords: 3, entriesRead: 3 });
    expect(s.sections[3]).toMatchObject({ type: 1, reason: 'unknown-type' });
    expect(s.findings.filter((f) => f.level === 'error')).toEqual([]);
  });

  it('reads back the body byte for byte', async () => {
    const res = await upload(win7Capture());
    const id = Number(res.headers.get('x-mock-request-id'));
    expect((await mock.client.requestBody(id)).equals(win7Capture())).toBe(true);
    const [r] = await mock.client.requests({ protocol: 'sqm-v1' });
    expect(r).toMatchObject({ id, method: 'POST', path: '/sqm/windows/sqmserver.dll', status: 200, bodySize: 1078, partner: 'windows', ruleName: null });
  });
});

describe('compressed sessions (InternalFlags bit 0, MSZIP cabinet)', () => {
  const sections = [
    { type: 'dword' as const, datapoints: Array.from({ length: 4000 }, (_, i) => ({ id: i, value: i * 7 })) },
    { type: 'string' as const, datapoints: [{ id: 780, value: 'compressed hello' }] },
  ];
  it('are decompressed, checked and decoded', async () => {
    const body = buildSqmSession({ sections, compress: (raw) => buildCabinet(raw) });
    expect(body.length).toBeLessThan(48000 / 2);
    const res = await upload(body);
    expect(res.status).toBe(200);
    const [s] = await mock.client.sqmSessions();
    expect(s.compressed).toBe(true);
    expect(s.sections[0].datapoints).toHaveLength(4000);
    expect(s.sections[0].datapoints![3999]).toEqual({ id: 3999, value: 3999 * 7, tickCount: 0 });
    expect(s.sections[1].datapoints![0].value).toBe('compressed hello');
  });
  it('with a wrong RawDataChecksum get 400 naming the field', async () => {
    const body = buildSqmSession({ sections, compress: (raw) => buildCabinet(raw), header: { rawDataChecksum: 1 } });
    const res = await upload(body);
    expect(res.status).toBe(400);
    expect(res.text).toContain('sqm-v1.raw-data-checksum');
  });
  it('that inflate past RawDataLength are refused', async () => {
    const raw = Buffer.alloc(600_000);
    const body = buildSqmSession({ compress: () => buildCabinet(raw), header: { rawDataLength: 1000 } });
    const res = await upload(body);
    expect(res.status).toBe(400);
    const v = await mock.client.violations();
    expect(v.map((x) => x.rule)).toContain('cab.limit-exceeded');
  });
});

describe('bad input is answered, captured and reported', () => {
  const valid = () => buildSqmSession({ sections: [{ type: 'dword', datapoints: [{ id: 1, value: 2 }] }] });
  const cases: [string, string, string, () => Buffer][] = [
    [
      'bad checksum',
      'sqm-v1.data-checksum',
      'MS-SQMCS 3.2.5.3',
      () => buildSqmSession({ header: { dataChecksum: 0xdeadbeef }, sections: [{ type: 'dword', datapoints: [{ id: 1, value: 2 }] }] }),
    ],
    ['truncated below the header', 'sqm-v1.truncated', 'MS-SQMCS 2.2.4.1', () => valid().subarray(0, 60)],
    ['truncated data', 'sqm-v1.data-length', 'MS-SQMCS 3.2.5.3', () => valid().subarray(0, 125)],
    ['garbage', 'sqm-v1.signature', 'MS-SQMCS 2.2.4.1', () => Buffer.from('this is not an SQM session, just text bytes '.repeat(5))],
    ['section overrun', 'sqm-v1.section-overrun', 'MS-SQMCS 2.2.4.3', () => buildSqmSession({ sections: [{ type: 'dword', datapoints: [{ id: 1, value: 2 }], length: 400 }] })],
  ];
  it.each(cases)('%s → 400 with %s', async (_name, rule, specRef, make) => {
    const body = make();
    const res = await upload(body);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(new RegExp(`^${rule.replace('.', '\\.')} \\(${specRef}\\): .+\\n$`));
    const id = Number(res.headers.get('x-mock-request-id'));
    const [r] = await mock.client.requests();
    expect(r).toMatchObject({ id, status: 400, protocol: 'sqm-v1', bodySize: body.length });
    expect(r.reason).toContain(rule);
    expect((await mock.client.requestBody(id)).equals(body)).toBe(true);
    const v = await mock.client.violations({ requestId: id });
    expect(v).toContainEqual(expect.objectContaining({ rule, specRef, level: 'error', protocol: 'sqm-v1' }));
  });

  it('lenient strictness accepts what strict refuses, still recording the violation', async () => {
    await mock.client.setScenario({ strictness: 'lenient' });
    const res = await upload(buildSqmSession({ header: { dataChecksum: 1 }, sections: [{ type: 'dword', datapoints: [{ id: 1, value: 2 }] }] }));
    expect(res.status).toBe(200);
    const [s] = await mock.client.sqmSessions();
    expect(s.accepted).toBe(true);
    expect(s.sections[0].datapoints).toEqual([{ id: 1, value: 2, tickCount: 0 }]);
    expect((await mock.client.violations()).map((v) => v.rule)).toEqual(['sqm-v1.data-checksum']);
  });

  it('an oversized body gets 400 and is captured with its size and hash', async () => {
    await mock.client.setScenario({ partners: { small: { maxUploadBytes: 10_000 } } });
    const big = (chars: number) => buildSqmSession({ sections: [{ type: 'string', datapoints: [{ id: 1, value: 'x'.repeat(chars) }] }] });
    // Within what the listener keeps for the path (partner limit + the v2 XML limit): kept whole.
    const body = big(20_000);
    const res = await upload(body, 'small');
    expect(res.status).toBe(400);
    expect(res.text).toContain('sqm-v1.size-limit');
    // Past that: a 64 KiB prefix, the full size and the hash of every byte.
    const huge = big(600_000);
    expect((await upload(huge, 'small')).status).toBe(400);
    const [r1, r2] = await mock.client.requests();
    expect(r1).toMatchObject({ bodySize: body.length, bodyTruncated: false });
    expect(r2).toMatchObject({ bodySize: huge.length, bodyTruncated: true });
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect([r1.bodySha256, r2.bodySha256]).toEqual([sha(body), sha(huge)]);
    expect((await mock.client.requestBody(r2.id)).equals(huge.subarray(0, 65536))).toBe(true);
  });

  it('a partner the scenario does not list gets 404', async () => {
    await mock.client.setScenario({ partners: { windows: {} } });
    expect((await upload(valid(), 'windows')).status).toBe(200);
    const res = await upload(valid(), 'office');
    expect(res.status).toBe(404);
    expect(res.text).toContain('sqm-v1.unknown-partner');
  });

  it('GET on the upload path gets 405 with Allow: POST, PUT', async () => {
    const res = await send(`${mock.url}/sqm/windows/sqmserver.dll`, { method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, PUT');
  });

  it('an unknown route gets a clear 404 and is captured', async () => {
    const res = await send(`${mock.url}/no/such/thing?x=1`, { method: 'POST', body: Buffer.from('abc') });
    expect(res.status).toBe(404);
    expect(res.text).toContain('no route for POST /no/such/thing');
    const [r] = await mock.client.requests({ protocol: 'unknown' });
    expect(r).toMatchObject({ method: 'POST', path: '/no/such/thing?x=1', status: 404, bodySize: 3 });
  });
  it('a PUT to a path no level-1 answer issued is a CER level-2 upload that gets 404', async () => {
    const res = await send(`${mock.url}/no/such/thing`, { method: 'PUT', body: Buffer.from('abc') });
    expect(res.status).toBe(404);
    expect((await mock.client.requests({ protocol: 'cer-level2' }))[0]).toMatchObject({ status: 404 });
  });

  it('a body cut off mid-way (client gone) is still captured', async () => {
    const body = valid();
    await sendPartial(mock.url, '/sqm/windows/sqmserver.dll', body.length + 500, body);
    const [r] = await mock.client.waitFor<{ status: number; bodySize: number }>('request', { count: 1, timeoutMs: 3000 });
    expect(r).toMatchObject({ status: -1, bodySize: body.length });
  });
});

describe('201 and 403 answers (MS-SQMCS 2.2.5)', () => {
  it('201 ThrottleInterval from a scenario rule, as header and body line', async () => {
    await mock.client.setScenario({ rules: [{ name: 'slow-down', when: { protocol: 'sqm-v1' }, respond: { sqm: { throttleInterval: 7 } } }] });
    const res = await upload(buildSqmSession());
    expect(res.status).toBe(201);
    expect(res.text).toBe('ThrottleInterval:"7"\r\n');
    expect(res.headers.get('throttleinterval')).toBe('"7"');
    const [r] = await mock.client.requests();
    expect(r.ruleName).toBe('slow-down');
  });
  it('a session refused as invalid was not answered by the sqm rule that matched', async () => {
    await mock.client.setScenario({ rules: [{ name: 'throttle', respond: { sqm: { throttleInterval: 7 } } }] });
    const res = await upload(buildSqmSession({ header: { dataChecksum: 1 } }));
    expect(res.status).toBe(400);
    expect((await mock.client.requests())[0].ruleName).toBeNull();
  });
  it('a plain rule with only a body and headers answers 200 with them', async () => {
    await mock.client.setScenario({ rules: [{ name: 'hdr', respond: { body: 'hi', headers: { 'x-test': '1' } } }] });
    const res = await upload(buildSqmSession());
    expect([res.status, res.text, res.headers.get('x-test')]).toEqual([200, 'hi', '1']);
  });
  it('403 fixed throttle', async () => {
    await mock.client.setScenario({ rules: [{ respond: { sqm: { fixedThrottle: true } } }] });
    const res = await upload(buildSqmSession());
    expect(res.status).toBe(403);
    expect((await mock.client.requests())[0].ruleName).toBe('rules[0]');
    expect((await mock.client.sqmSessions())[0].accepted).toBe(true);
  });
  it('201 ManifestVersion when bit 0x8 asks and the versions differ, 200 when equal', async () => {
    await mock.client.setScenario({ partners: { windows: { manifest: { version: 7 } } } });
    const asks = (v: number) => buildSqmSession({ header: { internalFlags: 0x8, manifestVersion: v } });
    const differ = await upload(asks(3));
    expect(differ.status).toBe(201);
    expect(differ.text).toBe('ManifestVersion:"7"\r\n');
    expect((await upload(asks(7))).status).toBe(200);
    expect((await upload(buildSqmSession({ header: { manifestVersion: 3 } }))).status).toBe(200);
  });
  it('rules with times apply to the first N matching uploads, then fall through', async () => {
    await mock.client.setScenario({ rules: [{ name: 'two-503', times: 2, respond: { status: 503 } }] });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await upload(buildSqmSession())).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect((await mock.client.requests()).map((r) => r.ruleName)).toEqual(['two-503', 'two-503', null]);
  });
});

describe('admin wait and reset', () => {
  it('wait answers when the N-th matching session lands', async () => {
    const waiting = mock.client.waitFor('sqm-session', { count: 2, timeoutMs: 5000, partner: 'office' });
    await upload(buildSqmSession(), 'windows');
    await upload(buildSqmSession(), 'office');
    await upload(buildSqmSession(), 'office');
    const got = await waiting;
    expect(got).toHaveLength(2);
  });
  it('wait answers 408 on timeout', async () => {
    await expect(mock.client.waitFor('sqm-session', { count: 1, timeoutMs: 100 })).rejects.toThrow(/fewer than 1 sqm-session/);
    const res = await send(`${mock.url}/__admin/wait?kind=request&count=5&timeoutMs=50`, { method: 'GET' });
    expect(res.status).toBe(408);
    expect(JSON.parse(res.text).error.code).toBe('WAIT_TIMEOUT');
  });
  it('reset empties the store', async () => {
    await upload(buildSqmSession());
    expect(await mock.client.requests()).toHaveLength(1);
    await mock.client.reset();
    expect(await mock.client.requests()).toHaveLength(0);
    expect(await mock.client.sqmSessions()).toHaveLength(0);
  });
  it('filters sessions by mid, in any case and with or without braces', async () => {
    const mid = '{0A0B0C0D-1111-2222-3333-444455556666}';
    await upload(buildSqmSession({ header: { clientUniqueIdentifier: mid } }));
    await upload(buildSqmSession());
    expect(await mock.client.sqmSessions({ mid: '0a0b0c0d-1111-2222-3333-444455556666' })).toHaveLength(1);
    expect(await mock.client.sqmSessions({ mid })).toHaveLength(1);
  });
  it('uploads through buildSqmUpload land under their partner', async () => {
    const { path, body } = buildSqmUpload({ partner: 'office' });
    expect((await send(mock.url + path, { body })).status).toBe(200);
    expect(await mock.client.sqmSessions({ partner: 'office' })).toHaveLength(1);
  });
});

describe('cabinets from real tools', () => {
  const itGcab = withTool('gcab', 'the e2e test with a gcab-made cabinet').it;

  itGcab('a session compressed by gcab -z is accepted and decoded', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqm-gcab-'));
    const compress = (raw: Buffer) => {
      fs.writeFileSync(path.join(dir, 'sqmdata'), raw);
      execFileSync('gcab', ['-c', '-z', '-n', path.join(dir, 'out.cab'), 'sqmdata'], { cwd: dir });
      return fs.readFileSync(path.join(dir, 'out.cab'));
    };
    const datapoints = Array.from({ length: 9000 }, (_, i) => ({ id: i, value: i ^ 0x5a5a }));
    const res = await upload(buildSqmSession({ sections: [{ type: 'dword', datapoints }], compress }));
    fs.rmSync(dir, { recursive: true, force: true });
    expect(res.status).toBe(200);
    const [s] = await mock.client.sqmSessions();
    expect(s.compressed).toBe(true);
    expect(s.sections[0].datapoints![8999]).toEqual({ id: 8999, value: 8999 ^ 0x5a5a, tickCount: 0 });
  });

  it('a 300 MB zero-filled file in a 500 KB cabinet is refused without inflating it', async () => {
    const bomb = fs.readFileSync(path.join(__dirname, '../fixtures/cab/bomb-mszip.cab'));
    const before = process.memoryUsage().rss;
    const res = await upload(buildSqmSession({ compress: () => bomb, header: { rawDataLength: 300_000_000 } }));
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/^sqm-v1\.raw-data-length/);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    const rules = (await mock.client.violations()).map((v) => v.rule);
    expect(rules).toEqual(expect.arrayContaining(['sqm-v1.raw-data-length', 'cab.limit-exceeded']));
  });
});
